from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotoverkko.accounts.models import User
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.services import membership_grant
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.organisations.services import OrganisationData, organisation_create
from kotoverkko.reference.models import Municipality


class Command(BaseCommand):
    help = (
        "Create the operating municipality's organisation and make an existing account its platform "
        "administrator (run once, after `createsuperuser`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="E-mail of an existing account.")
        parser.add_argument("--municipality", required=True, help="Municipality code, e.g. 049.")
        parser.add_argument("--name", required=True, help="The organisation's name in Finnish.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account with the e-mail {options['email']}; run createsuperuser first.")
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Unknown municipality code {options['municipality']}.")
        organisation = Organisation.objects.filter(sort_name=options["name"].casefold()).first()
        try:
            if organisation is None:
                organisation = organisation_create(
                    data=OrganisationData(
                        name={"fi": options["name"]},
                        kind=OrganisationKind.MUNICIPALITY,
                        home_municipality=municipality,
                        municipalities_served=[municipality],
                    ),
                    actor=None,
                )
            membership_grant(user=user, organisation=organisation, role=Role.PLATFORM_ADMIN, actor=None)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"{user.email} is a platform administrator in {organisation}."))

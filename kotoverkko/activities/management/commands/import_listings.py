"""manage.py import_listings FILE [--as EMAIL] [--dry-run]: the upload page's import from the shell."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotoverkko.activities import importing


class Command(BaseCommand):
    help = (
        "Import listings from a CSV or XLSX file (the upload page's template layout), all or nothing. "
        "The listings are created as drafts. Every problem is printed with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--as",
            dest="email",
            metavar="EMAIL",
            help="Import as this user (their publishing rights apply). Without it the system imports.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file only; save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["email"]:
            actor = get_user_model().objects.filter(email__iexact=options["email"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user has the e-mail address %(email)s.") % options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("The file %(file)s does not exist.") % {"file": path})
        with path.open("rb") as handle:
            try:
                result = importing.import_listings(
                    file_obj=handle, filename=path.name, actor=actor, dry_run=options["dry_run"]
                )
            except importing.ListingImportFailed as error:
                for problem in error.problems:
                    self.stderr.write(str(problem))
                raise CommandError(error.message) from error
        if result.dry_run:
            message = ngettext(
                "The file is fine: %(count)s listing can be imported. Nothing was saved.",
                "The file is fine: %(count)s listings can be imported. Nothing was saved.",
                result.count,
            )
        else:
            message = ngettext(
                "%(count)s listing was imported as a draft.",
                "%(count)s listings were imported as drafts.",
                result.count,
            )
        self.stdout.write(self.style.SUCCESS(message % {"count": result.count}))

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotoverkko.reference.services import reference_data_load
from kotoverkko.reference.sources import ReferenceDataError


class Command(BaseCommand):
    help = "Load municipalities, regions, counties, languages, countries and legal provisions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = reference_data_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded. {report.summary()}"))
        else:
            self.stdout.write("Reference data is up to date.")

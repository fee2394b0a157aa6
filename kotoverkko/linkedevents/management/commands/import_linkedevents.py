"""manage.py import_linkedevents SOURCE… --organisation ORG [--data-source X] [--dry-run] [--publish]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotoverkko.activities.enums import ListingSection
from kotoverkko.linkedevents import importing, sources
from kotoverkko.linkedevents.sources import Page
from kotoverkko.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import events from a Linked Events API URL (following `next`) or from saved JSON pages. "
        "Upserts listings by (data source, event id); each page is saved in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="+", help="An http(s) API URL, or one or more JSON files.")
        parser.add_argument(
            "--organisation",
            required=True,
            help="Id or business id (Y-tunnus) of the organisation that publishes the listings.",
        )
        parser.add_argument(
            "--data-source", default="", help="Data source name (default: the records' data_source)."
        )
        parser.add_argument(
            "--section", default=ListingSection.ACTIVITY, choices=[choice.value for choice in ListingSection]
        )
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; save nothing.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish complete listings at once (otherwise they go to the moderation queue).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = self._organisation(options["organisation"])
        is_url = sources.is_url(options["source"][0])
        try:
            report = importing.import_pages(
                pages=sources.read_pages(options["source"]),
                organisation=organisation,
                data_source=options["data_source"],
                dry_run=options["dry_run"],
                publish=options["publish"],
                section=options["section"],
                fetch_place=sources.fetch_json if is_url else None,
                on_page=self._print_page,
            )
        except (importing.ImportFailed, sources.SourceError) as error:
            raise CommandError(
                f"{error}\nNothing from this page was saved; pages before it were saved."
                if not options["dry_run"]
                else f"{error}\nDry run: nothing was saved."
            ) from error
        self._print_summary(report)

    def _organisation(self, value: str) -> Organisation:
        lookup = {"pk": int(value)} if value.isdigit() else {"business_id": value}
        organisation = Organisation.objects.filter(**lookup).first()
        if organisation is None:
            raise CommandError(f"No organisation {value!r}.")
        return organisation

    def _print_page(self, page: Page, outcomes: list[importing.Outcome]) -> None:
        self.stdout.write(f"Page {page.number} ({page.label}): {len(outcomes)} events")
        for outcome in outcomes:
            self.stdout.write(f"  {outcome}")

    def _print_summary(self, report: importing.ImportReport) -> None:
        counts = report.counts()
        summary = ", ".join(f"{action} {counts[action]}" for action in sorted(counts)) or "no events"
        for note in report.unresolved_places:
            self.stdout.write(f"  {note}")
        if report.unknown_keywords:
            self.stdout.write(
                f"Ignored {sum(report.unknown_keywords.values())} unknown keywords "
                f"({len(report.unknown_keywords)} different; add them to linkedevents/data/keyword_map.json)."
            )
        prefix = "Dry run, nothing saved: " if report.dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.pages} pages, {summary}."))

"""Recompute the computed indicators whose data has changed (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from kotoverkko.planning.services import indicators_refresh


class Command(BaseCommand):
    help = "Recompute computed programme indicators whose source data has changed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Recompute every computed indicator.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = indicators_refresh(force=options["force"])
        self.stdout.write(f"{count} indicator(s) recomputed.")

"""manage.py load_situation_demo: the real StatFin files and the synthetic demo tables (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kotoverkko.situation.demo import load_demo


class Command(BaseCommand):
    help = "Import the situation picture's demo data: real Statistics Finland files and synthetic tables."

    def handle(self, *args: object, **options: object) -> None:
        count = load_demo()
        self.stdout.write(f"Situation demo data: {count} dataset version(s) imported.")

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kotoverkko.activities.models import Listing
from kotoverkko.activities.services import occurrences_refresh
from kotoverkko.activities.tasks import queue_confirmation_reminders


class Command(BaseCommand):
    help = (
        "Daily upkeep of the activity directory: send reminders for listings not confirmed in time and "
        "roll occurrences forward. Run it once a day (e.g. from cron or a scheduler)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            reminded = queue_confirmation_reminders()
        now = timezone.now()
        refreshed = 0
        # Listings whose next occurrence has passed need their window moved forward.
        for listing in Listing.objects.filter(next_occurrence_at__lt=now).iterator():
            with transaction.atomic():
                occurrences_refresh(listing, now=now)
            refreshed += 1
        self.stdout.write(f"Reminders queued: {reminded}. Listings with refreshed occurrences: {refreshed}.")

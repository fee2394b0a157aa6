from typing import Any

from django.core.management.base import BaseCommand

from kotoverkko.cooperation.tasks import queue_reminders


class Command(BaseCommand):
    help = (
        "Send the cooperation reminders due today: action items before their due date and once when "
        "overdue, agreements before their review date and expiry. Run once a day; a second run sends nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = queue_reminders()
        self.stdout.write(
            f"Reminders queued: {queued.action_items_due} action items due, "
            f"{queued.action_items_overdue} overdue, {queued.agreement_reviews} agreement reviews, "
            f"{queued.agreement_expiries} agreement expiries."
        )

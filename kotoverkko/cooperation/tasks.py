"""Reminders: action items before their due date and once when overdue; agreements before their
review date and their expiry. `queue_reminders` runs daily (`manage.py cooperation_reminders`);
each reminder is sent once per date, so a second run the same day sends nothing, and a new due,
review or expiry date makes the reminder due again."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kotoverkko.accounts.models import Membership
from kotoverkko.accounts.roles import Permission, role_grants
from kotoverkko.organisations.models import Organisation

from . import selectors
from .models import ActionItem, Agreement

ACTION_ITEM_DUE = "due"
ACTION_ITEM_OVERDUE = "overdue"
AGREEMENT_REVIEW = "review"
AGREEMENT_EXPIRY = "expiry"


def _manager_addresses(organisation: Organisation) -> dict[str, list[str]]:
    """E-mail addresses of the organisation's cooperation managers, grouped by their language."""
    by_language: dict[str, list[str]] = {}
    memberships = Membership.objects.filter(
        organisation_id__in=organisation.lineage_ids(), user__is_active=True
    ).select_related("user")
    for membership in memberships:
        if role_grants(membership.role, Permission.MANAGE_COOPERATION):
            by_language.setdefault(membership.user.preferred_language, []).append(membership.user.email)
    return by_language


def _send(organisation: Organisation, template: str, context_for: Callable[[], dict]) -> int:
    sent = 0
    for language, addresses in _manager_addresses(organisation).items():
        with translation.override(language):
            context = {**context_for(), "site_name": settings.SITE_NAME}
            subject = render_to_string(f"cooperation/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"cooperation/email/{template}_body.txt", context)
        send_mail(subject, body, None, sorted(set(addresses)))
        sent += 1
    return sent


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_action_item_reminder(*, item_id: int, kind: str) -> None:
    """E-mail the responsible organisation's managers about an action item."""
    item = ActionItem.objects.select_related("owner", "body").filter(pk=item_id).first()
    if item is None:
        return

    def context() -> dict:
        return {
            "item": item,
            "overdue": kind == ACTION_ITEM_OVERDUE,
            "url": _absolute(reverse("cooperation:action_items")),
        }

    _send(item.owner, "action_item_reminder", context)


@task()
def send_agreement_reminder(*, agreement_id: int, kind: str) -> None:
    """E-mail the managing organisation's managers before an agreement's review or expiry."""
    agreement = Agreement.objects.select_related("owner").filter(pk=agreement_id).first()
    if agreement is None:
        return

    def context() -> dict:
        return {
            "agreement": agreement,
            "expiry": kind == AGREEMENT_EXPIRY,
            "url": _absolute(reverse("cooperation:agreement_detail", args=[agreement.pk])),
        }

    _send(agreement.owner, "agreement_reminder", context)


@dataclass(frozen=True)
class QueuedReminders:
    action_items_due: int = 0
    action_items_overdue: int = 0
    agreement_reviews: int = 0
    agreement_expiries: int = 0

    @property
    def total(self) -> int:
        return (
            self.action_items_due
            + self.action_items_overdue
            + self.agreement_reviews
            + self.agreement_expiries
        )


def _mark_and_queue(queryset, date_field: str, marker: str, enqueue: Callable[[int], None]) -> int:  # noqa: ANN001
    count = 0
    for obj in queryset.select_for_update(skip_locked=True):
        type(obj).objects.filter(pk=obj.pk).update(**{marker: getattr(obj, date_field)})
        transaction.on_commit(lambda pk=obj.pk: enqueue(pk))
        count += 1
    return count


@transaction.atomic
def queue_reminders(*, on: datetime.date | None = None) -> QueuedReminders:
    """Mark every reminder due `on` (default today) as sent and queue its e-mail after commit."""
    on = on or selectors.today()
    return QueuedReminders(
        action_items_due=_mark_and_queue(
            selectors.action_items_due_for_reminder(on=on),
            "due_on",
            "due_reminder_sent_for",
            lambda pk: send_action_item_reminder.enqueue(item_id=pk, kind=ACTION_ITEM_DUE),
        ),
        action_items_overdue=_mark_and_queue(
            selectors.action_items_overdue_for_reminder(on=on),
            "due_on",
            "overdue_reminder_sent_for",
            lambda pk: send_action_item_reminder.enqueue(item_id=pk, kind=ACTION_ITEM_OVERDUE),
        ),
        agreement_reviews=_mark_and_queue(
            selectors.agreements_due_for_review_reminder(on=on),
            "review_on",
            "review_reminder_sent_for",
            lambda pk: send_agreement_reminder.enqueue(agreement_id=pk, kind=AGREEMENT_REVIEW),
        ),
        agreement_expiries=_mark_and_queue(
            selectors.agreements_due_for_expiry_reminder(on=on),
            "valid_until",
            "expiry_reminder_sent_for",
            lambda pk: send_agreement_reminder.enqueue(agreement_id=pk, kind=AGREEMENT_EXPIRY),
        ),
    )

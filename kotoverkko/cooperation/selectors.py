"""Read use-cases of the cooperation area; private data is always read through policies."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kotoverkko.organisations.models import Organisation

from . import policies
from .enums import ACTION_ITEM_OPEN_STATUSES, AgreementStatus, BodyKind, MeetingStatus
from .models import (
    ActionItem,
    Agreement,
    AgreementDocument,
    BodyMember,
    CooperationBody,
    Meeting,
    MeetingAttachment,
)

# --- Settings (dated reminder windows live in settings, with these defaults) ------------------------


def action_item_reminder_days() -> int:
    return int(getattr(settings, "COOPERATION_ACTION_ITEM_REMINDER_DAYS", 7))


def agreement_review_reminder_days() -> int:
    return int(getattr(settings, "COOPERATION_AGREEMENT_REVIEW_REMINDER_DAYS", 60))


def agreement_expiry_reminder_days() -> int:
    return int(getattr(settings, "COOPERATION_AGREEMENT_EXPIRY_REMINDER_DAYS", 14))


def today() -> datetime.date:
    return timezone.localdate()


# --- Bodies and meetings --------------------------------------------------------------------------


def body_list_for_user(*, user: Any, kind: str = "") -> QuerySet[CooperationBody]:
    bodies = policies.bodies_visible_to(user).select_related("owner").prefetch_related("municipalities")
    if kind:
        bodies = bodies.filter(kind=kind)
    return bodies.order_by("kind", "pk")


def body_get_for_user(*, user: Any, body_id: int) -> CooperationBody:
    """A body the user may see; 404 otherwise."""
    return get_object_or_404(policies.bodies_visible_to(user).select_related("owner"), pk=body_id)


def body_get_for_manager(*, user: Any, body_id: int) -> CooperationBody:
    return get_object_or_404(policies.bodies_managed_by(user).select_related("owner"), pk=body_id)


def member_list(*, body: CooperationBody) -> QuerySet[BodyMember]:
    return body.members.select_related("organisation", "user").order_by("organisation__sort_name", "pk")


def member_get_for_manager(*, user: Any, body_id: int, member_id: int) -> BodyMember:
    body = body_get_for_manager(user=user, body_id=body_id)
    return get_object_or_404(body.members.select_related("organisation", "user", "body__owner"), pk=member_id)


def meetings_upcoming(*, body: CooperationBody, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return (
        body.meetings.filter(ends_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def meetings_past(*, body: CooperationBody, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return body.meetings.filter(ends_at__lt=now).order_by("-starts_at", "pk")


def meeting_get_for_user(*, user: Any, meeting_id: int) -> Meeting:
    meetings = policies.meetings_visible_to(user).select_related("body__owner")
    meetings = meetings.prefetch_related(
        "agenda_items",
        "attachments",
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
    )
    return get_object_or_404(meetings, pk=meeting_id)


def meeting_get_for_recorder(*, user: Any, meeting_id: int) -> Meeting:
    """A meeting the user may edit and record; 404 otherwise (also for an existing one)."""
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    if not policies.can_record_meeting(user, meeting.body):
        raise Http404
    return meeting


def body_get_for_recorder(*, user: Any, body_id: int) -> CooperationBody:
    body = body_get_for_user(user=user, body_id=body_id)
    if not policies.can_record_meeting(user, body):
        raise Http404
    return body


def attendance_of(*, meeting: Meeting) -> dict[int, str]:
    return dict(meeting.attendance.values_list("member_id", "status"))


def attachment_get_for_user(*, user: Any, attachment_id: int) -> MeetingAttachment:
    """An attachment of a meeting whose papers the user may see; 404 otherwise."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.select_related("meeting__body__owner").filter(
            meeting__in=policies.meetings_visible_to(user)
        ),
        pk=attachment_id,
    )
    if not policies.can_view_meeting_papers(user, attachment.meeting):
        raise Http404
    return attachment


def planning_cooperation_group(municipality_code: str) -> CooperationBody | None:
    """The municipality's planning cooperation group (the oldest, if there are several), or None."""
    return (
        CooperationBody.objects.filter(kind=BodyKind.PLANNING_GROUP)
        .filter(Q(owner__home_municipality_id=municipality_code) | Q(municipalities__code=municipality_code))
        .order_by("pk")
        .first()
    )


def body_memberships_of_user(*, user: Any) -> QuerySet[BodyMember]:
    """The seats a user holds in cooperation bodies (for the account's own data export)."""
    return BodyMember.objects.filter(user=user).select_related("body", "organisation").order_by("pk")


# --- Action items ---------------------------------------------------------------------------------


def body_organisations(body: CooperationBody) -> QuerySet[Organisation]:
    """The organisations that may own a body's action items: its owner and member organisations."""
    ids = {body.owner_id, *body.members.values_list("organisation_id", flat=True)}
    return Organisation.objects.filter(pk__in=ids).order_by("sort_name", "pk")


def action_item_list_for_user(*, user: Any, status: str = "") -> QuerySet[ActionItem]:
    items = policies.action_items_visible_to(user).select_related("owner", "body", "meeting")
    if status == "open":
        items = items.filter(status__in=ACTION_ITEM_OPEN_STATUSES)
    elif status:
        items = items.filter(status=status)
    return items.order_by("due_on", "pk")


def action_item_get_for_updater(*, user: Any, item_id: int) -> ActionItem:
    item = get_object_or_404(
        policies.action_items_visible_to(user).select_related("owner", "body__owner"), pk=item_id
    )
    if not policies.can_update_action_item(user, item):
        raise Http404
    return item


def action_item_get_for_recorder(*, user: Any, item_id: int) -> ActionItem:
    """An action item of a body whose meetings the user records; 404 otherwise."""
    item = get_object_or_404(
        policies.action_items_visible_to(user).select_related("owner", "body__owner"), pk=item_id
    )
    if not policies.can_record_meeting(user, item.body):
        raise Http404
    return item


def action_items_due_for_reminder(*, on: datetime.date) -> QuerySet[ActionItem]:
    """Open items due within the reminder window and not yet reminded of this due date."""
    horizon = on + datetime.timedelta(days=action_item_reminder_days())
    return (
        ActionItem.objects.filter(status__in=ACTION_ITEM_OPEN_STATUSES, due_on__gte=on, due_on__lte=horizon)
        .exclude(due_reminder_sent_for=F("due_on"))
        .order_by("pk")
    )


def action_items_overdue_for_reminder(*, on: datetime.date) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(status__in=ACTION_ITEM_OPEN_STATUSES, due_on__lt=on)
        .exclude(overdue_reminder_sent_for=F("due_on"))
        .order_by("pk")
    )


def agreements_due_for_review_reminder(*, on: datetime.date) -> QuerySet[Agreement]:
    horizon = on + datetime.timedelta(days=agreement_review_reminder_days())
    return (
        Agreement.objects.exclude(status=AgreementStatus.ENDED)
        .filter(review_on__isnull=False, review_on__lte=horizon, review_on__gte=on)
        .exclude(review_reminder_sent_for=F("review_on"))
        .order_by("pk")
    )


def agreements_due_for_expiry_reminder(*, on: datetime.date) -> QuerySet[Agreement]:
    horizon = on + datetime.timedelta(days=agreement_expiry_reminder_days())
    return (
        Agreement.objects.exclude(status=AgreementStatus.ENDED)
        .filter(valid_until__isnull=False, valid_until__lte=horizon, valid_until__gte=on)
        .exclude(expiry_reminder_sent_for=F("valid_until"))
        .order_by("pk")
    )


# --- Agreements -----------------------------------------------------------------------------------


def agreement_list_for_user(*, user: Any, kind: str = "") -> QuerySet[Agreement]:
    agreements = (
        policies.agreements_visible_to(user)
        .select_related("owner")
        .prefetch_related("parties__organisation", "quotas")
    )
    if kind:
        agreements = agreements.filter(kind=kind)
    return agreements.order_by("review_on", "pk")


def agreement_get_for_user(*, user: Any, agreement_id: int) -> Agreement:
    agreements = policies.agreements_visible_to(user).select_related("owner")
    return get_object_or_404(
        agreements.prefetch_related("parties__organisation", "quotas", "documents"), pk=agreement_id
    )


def agreement_review_due_soon(*, agreement: Agreement) -> bool:
    """The next review falls within the reminder window (or has passed)."""
    if agreement.review_on is None or agreement.status == AgreementStatus.ENDED:
        return False
    return agreement.review_on <= today() + datetime.timedelta(days=agreement_review_reminder_days())


def agreement_get_for_manager(*, user: Any, agreement_id: int) -> Agreement:
    agreement = agreement_get_for_user(user=user, agreement_id=agreement_id)
    if not policies.can_manage_agreement(user, agreement):
        raise Http404
    return agreement


def document_get_for_user(*, user: Any, document_id: int) -> AgreementDocument:
    """A document of an agreement the user is inside of; 404 otherwise (documents are never public)."""
    document = get_object_or_404(
        AgreementDocument.objects.select_related("agreement__owner").filter(
            agreement__in=policies.agreements_visible_to(user)
        ),
        pk=document_id,
    )
    if not policies.is_agreement_insider(user, document.agreement):
        raise Http404
    return document

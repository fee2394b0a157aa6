"""Write use-cases of the activity directory."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError, ErrorCode
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from . import policies, recurrence, search, workflow
from .enums import ListingStatus, Registration, ReportStatus
from .models import (
    Handout,
    HandoutCount,
    HandoutItem,
    Listing,
    Occurrence,
    Report,
    Schedule,
    TargetGroup,
    Theme,
    UnmetSearch,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
CONFIRM_SALT = "kotoverkko.activities.confirm"


class ListingErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    ILLEGAL_TRANSITION = "illegal_transition", _("The listing cannot be moved to that state now.")
    TITLE_REQUIRED = "title_required", _("Give the title in at least one language.")
    SUMMARY_REQUIRED = "summary_required", _("Give a summary in at least one language before submitting.")
    CRITERIA_NOT_CONFIRMED = (
        "criteria_not_confirmed",
        _("Confirm that the listing meets the listing criteria before submitting it."),
    )
    SCHEDULE_REQUIRED = "schedule_required", _("Add at least one time when the activity takes place.")
    PLACE_REQUIRED = (
        "place_required",
        _("Give the place and its municipality, or mark the activity as online."),
    )
    ONLINE_URL_REQUIRED = "online_url_required", _("Give the online address of an online activity.")
    REASON_REQUIRED = "reason_required", _("Write the reason so that the publisher knows what to change.")
    AGE_RANGE = "age_range", _("The minimum age cannot be greater than the maximum age.")
    INVALID_LANGUAGE_CODE = (
        "invalid_language_code",
        _("Use a two- or three-letter language code, e.g. ar or ckb."),
    )
    INVALID_SCHEDULE = "invalid_schedule", _("The schedule is not valid.")
    CONFIRM_LINK_INVALID = "confirm_link_invalid", _("The confirmation link is not valid or has expired.")
    REGISTRATION_INFO_REQUIRED = (
        "registration_info_required",
        _("Tell where to register: the link, the telephone number or the e-mail address."),
    )
    HANDOUT_EMPTY = "handout_empty", _("Add at least one listing to the handout.")


def _fail(
    code: ListingErrorCode, field_name: str | None = None, message: str | None = None
) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name, message=message)


# --- Data in -----------------------------------------------------------------------------------


@dataclass
class ScheduleData:
    starts_at: datetime.datetime  # aware, or naive Helsinki wall-clock time
    ends_at: datetime.datetime
    rrule: str = ""
    exdates: list[str] = field(default_factory=list)
    rdates: list[str] = field(default_factory=list)


@dataclass
class ListingData:
    section: str
    organisation: Organisation
    title: dict[str, str]
    summary: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    plain_finnish: str = ""
    themes: list[Theme] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    co_organisers: list[Organisation] = field(default_factory=list)
    contact_email: str = ""
    contact_phone: str = ""
    contact_url: str = ""
    languages: list[Language] = field(default_factory=list)
    has_interpretation: bool = False
    min_age: int | None = None
    max_age: int | None = None
    gender_restriction: str = ""
    is_for_families: bool = False
    has_childcare: bool = False
    is_accessible: bool = False
    accessibility_info: dict[str, str] = field(default_factory=dict)
    is_free: bool = True
    fee_info: dict[str, str] = field(default_factory=dict)
    registration: str = Registration.DROP_IN
    registration_info: str = ""
    is_online: bool = False
    online_url: str = ""
    place_name: dict[str, str] = field(default_factory=dict)
    street_address: str = ""
    postal_code: str = ""
    municipality: Municipality | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    municipalities_served: list[Municipality] = field(default_factory=list)
    valid_until: datetime.date | None = None
    criteria_confirmed: bool = False
    schedules: list[ScheduleData] = field(default_factory=list)


SCALAR_FIELDS = [
    "section",
    "organisation",
    "title",
    "summary",
    "description",
    "plain_finnish",
    "contact_email",
    "contact_phone",
    "contact_url",
    "has_interpretation",
    "min_age",
    "max_age",
    "gender_restriction",
    "is_for_families",
    "has_childcare",
    "is_accessible",
    "accessibility_info",
    "is_free",
    "fee_info",
    "registration",
    "registration_info",
    "is_online",
    "online_url",
    "place_name",
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "valid_until",
]
M2M_FIELDS = ["themes", "target_groups", "co_organisers", "languages", "municipalities_served"]
AUDITED_FIELDS = SCALAR_FIELDS + M2M_FIELDS
MULTILINGUAL_FIELDS = ["title", "summary", "description", "accessibility_info", "fee_info", "place_name"]


def _clean(data: ListingData) -> ListingData:
    try:
        for name in MULTILINGUAL_FIELDS:
            setattr(data, name, i18n.clean_multilingual(getattr(data, name)))
    except ValueError as error:
        raise _fail(ListingErrorCode.INVALID_LANGUAGE_CODE, "title") from error
    if not data.title:
        raise _fail(ListingErrorCode.TITLE_REQUIRED, "title")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        raise _fail(ListingErrorCode.AGE_RANGE, "min_age")
    if data.registration != Registration.DROP_IN and not data.registration_info.strip():
        raise _fail(ListingErrorCode.REGISTRATION_INFO_REQUIRED, "registration_info")
    if data.is_online and not data.online_url:
        raise _fail(ListingErrorCode.ONLINE_URL_REQUIRED, "online_url")
    data.schedules = [_clean_schedule(schedule) for schedule in data.schedules]
    return data


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else value.replace(tzinfo=HELSINKI)


def _clean_schedule(schedule: ScheduleData) -> ScheduleData:
    schedule.starts_at, schedule.ends_at = _aware(schedule.starts_at), _aware(schedule.ends_at)
    if schedule.ends_at <= schedule.starts_at:
        raise _fail(
            ListingErrorCode.INVALID_SCHEDULE, "schedules", str(_("The end must be after the start."))
        )
    try:
        schedule.rrule = (
            recurrence.validate_rrule(schedule.rrule, starts_at=schedule.starts_at)
            if schedule.rrule.strip()
            else ""
        )
        for value in [*schedule.exdates, *schedule.rdates]:
            datetime.date.fromisoformat(value)
    except recurrence.RecurrenceError as error:
        raise _fail(ListingErrorCode.INVALID_SCHEDULE, "schedules", str(error.message)) from error
    except ValueError as error:
        raise _fail(
            ListingErrorCode.INVALID_SCHEDULE, "schedules", str(_("Write dates as YYYY-MM-DD."))
        ) from error
    return schedule


def _check_ready_to_submit(listing: Listing) -> None:
    if not listing.summary:
        raise _fail(ListingErrorCode.SUMMARY_REQUIRED, "summary")
    if listing.criteria_confirmed_at is None:
        raise _fail(ListingErrorCode.CRITERIA_NOT_CONFIRMED, "criteria_confirmed")
    if not listing.schedules.exists():
        raise _fail(ListingErrorCode.SCHEDULE_REQUIRED, "schedules")
    if not listing.is_online and listing.municipality_id is None:
        raise _fail(ListingErrorCode.PLACE_REQUIRED, "municipality")


# --- Derived state -------------------------------------------------------------------------------


def occurrences_refresh(listing: Listing, *, now: datetime.datetime | None = None) -> None:
    """Rebuild the listing's materialised occurrences within the search horizon."""
    now = now or timezone.now()
    window_end = now + datetime.timedelta(days=settings.OCCURRENCE_HORIZON_DAYS)
    rows = []
    for schedule in listing.schedules.all():
        for starts_at, ends_at in recurrence.expand(
            starts_at=schedule.starts_at,
            ends_at=schedule.ends_at,
            rrule=schedule.rrule,
            exdates=schedule.exdates,
            rdates=schedule.rdates,
            window_start=now,
            window_end=window_end,
        ):
            local = starts_at.astimezone(HELSINKI)
            rows.append(
                Occurrence(
                    listing=listing,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    weekday=local.weekday(),
                    start_minute=local.hour * 60 + local.minute,
                )
            )
    Occurrence.objects.filter(listing=listing).delete()
    Occurrence.objects.bulk_create(rows, batch_size=500)
    next_start = min((row.starts_at for row in rows if row.starts_at >= now), default=None)
    Listing.objects.filter(pk=listing.pk).update(next_occurrence_at=next_start)
    listing.next_occurrence_at = next_start


def _refresh_derived(listing: Listing) -> None:
    listing.sort_title = i18n.localized(listing.title, "fi").casefold()[:300]
    Listing.objects.filter(pk=listing.pk).update(sort_title=listing.sort_title)
    occurrences_refresh(listing)
    search.index_listing(listing)


def _scope(listing: Listing) -> dict[str, Any]:
    return {
        "organisation_id": listing.organisation_id,
        "municipality_code": listing.municipality_id or listing.organisation.home_municipality_id or "",
    }


def _record(
    listing: Listing, action: str, actor: Any, changes: dict[str, Any] | None = None, *, origin: str = ""
) -> None:
    changes = dict(changes or {})
    if origin:  # who acted when no person did (an import, a feed); the trail shows it
        changes["origin"] = {"from": None, "to": origin}
    audit.record(actor=actor, action=action, obj=listing, changes=changes, **_scope(listing))


def _write(listing: Listing, data: ListingData, *, now: datetime.datetime) -> None:
    for name in SCALAR_FIELDS:
        setattr(listing, name, getattr(data, name))
    if data.criteria_confirmed and listing.criteria_confirmed_at is None:
        listing.criteria_confirmed_at = now
    elif not data.criteria_confirmed:
        listing.criteria_confirmed_at = None
    try:
        listing.full_clean(exclude=["search_stems", "sort_title"])
    except ValidationError as error:
        messages = next(iter(error.message_dict.values()))
        raise ApplicationError("invalid", messages[0], fields=error.message_dict) from error
    listing.save()
    for name in M2M_FIELDS:
        getattr(listing, name).set(getattr(data, name))
    listing.schedules.all().delete()
    Schedule.objects.bulk_create(
        [
            Schedule(
                listing=listing,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                rrule=item.rrule,
                exdates=item.exdates,
                rdates=item.rdates,
            )
            for item in data.schedules
        ]
    )


def _schedules_snapshot(listing: Listing) -> list[str]:
    return [
        f"{s.starts_at.astimezone(HELSINKI):%Y-%m-%dT%H:%M}/{s.ends_at.astimezone(HELSINKI):%H:%M} {s.rrule} "
        f"-{','.join(s.exdates)} +{','.join(s.rdates)}"
        for s in listing.schedules.all()
    ]


# --- Use-cases -----------------------------------------------------------------------------------


@transaction.atomic
def listing_create(
    *,
    data: ListingData,
    actor: Any,
    now: datetime.datetime | None = None,
    source: str = "",
    source_id: str = "",
    origin: str = "",
) -> Listing:
    """Create a draft listing. Raises ApplicationError(NOT_ALLOWED | TITLE_REQUIRED | INVALID_*).

    `actor=None` is the system (imports): no permission check, `origin` says who it was in the trail;
    `source`/`source_id` identify a listing that mirrors an outside record (idempotent imports).
    """
    now = now or timezone.now()
    if actor is not None and not policies.can_publish_for(actor, data.organisation):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    data = _clean(data)
    listing = Listing(status=ListingStatus.DRAFT, last_confirmed_at=now, source=source, source_id=source_id)
    _write(listing, data, now=now)
    _refresh_derived(listing)
    after = audit.snapshot(listing, AUDITED_FIELDS)
    after["schedules"] = _schedules_snapshot(listing)
    _record(listing, "listing.created", actor, audit.changes_between({}, after), origin=origin)
    return listing


@transaction.atomic
def listing_update(
    *, listing: Listing, data: ListingData, actor: Any, origin: str = "", confirm: bool = False
) -> Listing:
    """Change a listing. A published listing stays published; the change is in its history.

    `actor=None` is the system (imports; see listing_create); `confirm` counts the change as the
    organisation confirming the listing is current (an import from the organisation's own source).
    """
    if actor is not None and (
        not policies.can_edit_listing(actor, listing)
        or not policies.can_publish_for(actor, data.organisation)
    ):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    data = _clean(data)
    before = audit.snapshot(listing, AUDITED_FIELDS)
    before["schedules"] = _schedules_snapshot(listing)
    _write(listing, data, now=timezone.now())
    _refresh_derived(listing)
    if confirm:
        listing.last_confirmed_at = timezone.now()
        listing.save(update_fields=["last_confirmed_at", "updated_at"])
    after = audit.snapshot(listing, AUDITED_FIELDS)
    after["schedules"] = _schedules_snapshot(listing)
    changes = audit.changes_between(before, after)
    if changes:
        _record(listing, "listing.updated", actor, changes, origin=origin)
    return listing


def _transition(
    listing: Listing, new_status: str, actor: Any, *, action: str, origin: str = "", **extra: Any
) -> Listing:
    if not workflow.can_transition(listing.status, new_status):
        raise _fail(ListingErrorCode.ILLEGAL_TRANSITION)
    old = listing.status
    listing.status = new_status
    for name, value in extra.items():
        setattr(listing, name, value)
    listing.save(update_fields=["status", *extra.keys(), "updated_at"])
    _record(listing, action, actor, {"status": {"from": old, "to": new_status}}, origin=origin)
    return listing


@transaction.atomic
def listing_submit(*, listing: Listing, actor: Any, origin: str = "") -> Listing:
    """Send a draft or returned listing to moderation. Raises ApplicationError.

    `actor=None` is the system (imports; see listing_create)."""
    if actor is not None and not policies.can_edit_listing(actor, listing):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    _check_ready_to_submit(listing)
    return _transition(listing, ListingStatus.SUBMITTED, actor, action="listing.submitted", origin=origin)


def listing_ready_problem(listing: Listing) -> str:
    """Why the listing cannot go to moderation yet, or "" when it can."""
    try:
        _check_ready_to_submit(listing)
    except ApplicationError as error:
        return error.message
    return ""


@transaction.atomic
def listing_publish(*, listing: Listing, actor: Any, origin: str = "") -> Listing:
    """A moderator publishes a submitted listing (the criteria were checked)."""
    if actor is not None and not policies.can_moderate(actor):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    _check_ready_to_submit(listing)
    now = timezone.now()
    return _transition(
        listing,
        ListingStatus.PUBLISHED,
        actor,
        action="listing.published",
        origin=origin,
        published_at=now,
        last_confirmed_at=now,
        return_reason="",
    )


@transaction.atomic
def listing_return(*, listing: Listing, reason: str, actor: Any) -> Listing:
    """A moderator returns a listing to its publisher with a reason they will see."""
    if not policies.can_moderate(actor):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    if not reason.strip():
        raise _fail(ListingErrorCode.REASON_REQUIRED, "reason")
    return _transition(
        listing, ListingStatus.RETURNED, actor, action="listing.returned", return_reason=reason.strip()
    )


@transaction.atomic
def listing_archive(*, listing: Listing, actor: Any, origin: str = "") -> Listing:
    """Take a listing off the directory. `actor=None` is the system (imports; see listing_create)."""
    if actor is not None and not (policies.can_edit_listing(actor, listing) or policies.can_moderate(actor)):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    return _transition(listing, ListingStatus.ARCHIVED, actor, action="listing.archived", origin=origin)


@transaction.atomic
def listing_restore(*, listing: Listing, actor: Any) -> Listing:
    """An archived listing comes back as a draft."""
    if not policies.can_edit_listing(actor, listing):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    return _transition(listing, ListingStatus.DRAFT, actor, action="listing.restored")


def listing_data_from(listing: Listing) -> ListingData:
    """The listing's current content as input data (for editing and duplicating)."""
    values = {name: getattr(listing, name) for name in SCALAR_FIELDS}
    values.update({name: list(getattr(listing, name).all()) for name in M2M_FIELDS})
    values["schedules"] = [
        ScheduleData(
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            rrule=s.rrule,
            exdates=list(s.exdates),
            rdates=list(s.rdates),
        )
        for s in listing.schedules.all()
    ]
    values["criteria_confirmed"] = listing.criteria_confirmed_at is not None
    return ListingData(**values)


@transaction.atomic
def listing_duplicate(*, listing: Listing, actor: Any) -> Listing:
    """A new draft with the same content, for a similar activity."""
    if not policies.can_edit_listing(actor, listing):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    data = listing_data_from(listing)
    data.criteria_confirmed = False
    copy = listing_create(data=data, actor=actor)
    _record(copy, "listing.duplicated", actor, {"source": {"from": None, "to": listing.pk}})
    return copy


@transaction.atomic
def listing_confirm(*, listing: Listing, actor: Any) -> Listing:
    """Mark the listing's information as still valid (restores a listing hidden as stale)."""
    if actor is not None and not policies.can_edit_listing(actor, listing):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    listing.last_confirmed_at = timezone.now()
    listing.reminder_sent_at = None
    listing.save(update_fields=["last_confirmed_at", "reminder_sent_at", "updated_at"])
    _record(listing, "listing.confirmed", actor)
    return listing


def confirm_token(listing: Listing) -> str:
    """A signed one-click "still valid" token; it stops working once the listing is confirmed."""
    return signing.dumps(
        {"listing": listing.pk, "since": listing.last_confirmed_at.isoformat()},
        salt=CONFIRM_SALT,
        compress=True,
    )


@transaction.atomic
def listing_confirm_by_token(*, token: str) -> Listing:
    max_age = datetime.timedelta(days=settings.LISTING_HIDE_DAYS)
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature as error:
        raise _fail(ListingErrorCode.CONFIRM_LINK_INVALID) from error
    listing = Listing.objects.select_for_update().filter(pk=payload.get("listing")).first()
    if listing is None or listing.status == ListingStatus.ARCHIVED:
        raise _fail(ListingErrorCode.CONFIRM_LINK_INVALID)
    if listing.last_confirmed_at.isoformat() != payload.get("since"):
        return listing  # already confirmed through another link or the UI: nothing to do
    return listing_confirm(listing=listing, actor=None)


# --- Reports -------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, listing: Listing, reason: str, message: str) -> Report:
    """Anyone's report of an outdated or wrong listing (rate limiting is the view's job)."""
    report = Report(listing=listing, reason=reason, message=message.strip()[:2000])
    report.full_clean()
    report.save()
    _record(listing, "listing.reported", None, {"reason": {"from": None, "to": reason}})
    return report


@transaction.atomic
def report_handle(*, report: Report, actor: Any) -> Report:
    if not (policies.can_moderate(actor) or policies.can_edit_listing(actor, report.listing)):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    report.status = ReportStatus.HANDLED
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    _record(report.listing, "listing.report_handled", actor)
    return report


# --- Handouts ------------------------------------------------------------------------------------


@transaction.atomic
def handout_create(
    *, listings: list[Listing], language: str, organisation: Organisation, actor: Any
) -> Handout:
    """A counsellor's handout: listings and a language, never anything about the client."""
    if (
        not policies.can_hand_out(actor)
        or not policies.organisations_for_handouts(actor).filter(pk=organisation.pk).exists()
    ):
        raise _fail(ListingErrorCode.NOT_ALLOWED)
    if not listings:
        raise _fail(ListingErrorCode.HANDOUT_EMPTY, "listings")
    if not i18n.LANGUAGE_CODE_PATTERN.match(language):
        raise _fail(ListingErrorCode.INVALID_LANGUAGE_CODE, "language")
    now = timezone.now()
    handout = Handout.objects.create(
        token=secrets.token_urlsafe(12),
        language=language,
        organisation=organisation,
        municipality_id=organisation.home_municipality_id,
        created_by=actor,
        expires_at=now + datetime.timedelta(days=settings.HANDOUT_VALID_DAYS),
        is_draft=False,
    )
    HandoutItem.objects.bulk_create(
        [
            HandoutItem(handout=handout, listing=listing, position=index)
            for index, listing in enumerate(listings)
        ]
    )
    month = now.astimezone(HELSINKI).date().replace(day=1)
    for listing in listings:
        counter, _created = HandoutCount.objects.get_or_create(
            listing=listing, municipality_id=handout.municipality_id, month=month
        )
        HandoutCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    audit.record(
        actor=actor,
        action="handout.created",
        obj=handout,
        organisation_id=organisation.pk,
        municipality_code=handout.municipality_id or "",
        changes={
            "listings": {"from": None, "to": [listing.pk for listing in listings]},
            "language": {"from": None, "to": language},
        },
    )
    return handout


# --- Searches that found nothing -------------------------------------------------------------------


def unmet_search_record(*, text: str, filters: dict[str, Any], now: datetime.datetime | None = None) -> None:
    """Count a search that found nothing; anonymous: the words and filters only."""
    now = now or timezone.now()
    text = " ".join(text.casefold().split())[:100]
    filters = {
        key: str(value) for key, value in sorted(filters.items()) if value not in ("", None, [], (), False)
    }
    key = hashlib.sha256(repr((text, filters)).encode()).hexdigest()
    month = now.astimezone(HELSINKI).date().replace(day=1)
    row, _created = UnmetSearch.objects.get_or_create(
        key=key, month=month, defaults={"text": text, "filters": filters}
    )
    UnmetSearch.objects.filter(pk=row.pk).update(count=F("count") + 1)

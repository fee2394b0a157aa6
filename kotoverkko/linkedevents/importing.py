"""Import of Linked Events events as listings: idempotent upserts by (data source, event id).

    report = import_pages(pages=sources.read_pages([...]), organisation=org, publish=False)

* Every listing imported from data source X has `source = "linkedevents:X"` and `source_id` = the
  event id; re-importing the same data changes nothing and reports "unchanged".
* A recurring super event and its sub-events become ONE listing whose schedules carry the
  sub-events' times (one schedule per start time and duration, the other days as `rdates`).
  A sub-event whose super event is already a listing is merged into it; a sub-event that arrives
  without its super event becomes its own listing, and is merged (and archived) later when its
  super event is imported.
* A cancelled or deleted event archives its listing (a cancelled sub-event removes its day).
* New listings go through the same moderation as the UI: a complete listing is submitted to the
  moderation queue, an incomplete one stays a draft (the report says why). With `publish=True`
  complete listings are published at once, as a moderator would.
* Each page is applied in one transaction; a malformed page saves nothing and stops the run
  (earlier pages stay). A dry run applies everything in one transaction and rolls it back, so its
  report is exactly what a real run would do.
* The audit trail records every change with no actor and
  `"origin": "import linkedevents <source>:<id>"` (activities services, actor=None).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kotoverkko.activities import recurrence, services
from kotoverkko.activities.enums import ListingSection, ListingStatus, Registration
from kotoverkko.activities.models import Listing, TargetGroup, Theme
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from . import mapping
from .sources import Page

HELSINKI = ZoneInfo("Europe/Helsinki")
ACTOR_DESCRIPTION = "import linkedevents"
SOURCE_PREFIX = "linkedevents:"
SUMMARY_LIMIT = 300
# The fields an import owns; anything else (contact details, accessibility…) stays as edited here.
IMPORTED_FIELDS = (
    "title",
    "summary",
    "description",
    "languages",
    "themes",
    "target_groups",
    "is_free",
    "fee_info",
    "registration",
    "registration_info",
    "contact_url",
    "is_online",
    "online_url",
    "place_name",
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "min_age",
    "max_age",
    "schedules",
)


class ImportFailed(Exception):
    """A page could not be imported; the message names the page and the record."""


@dataclass
class Outcome:
    event_id: str
    action: str  # created | updated | unchanged | archived | merged | skipped
    listing_id: int | None = None
    note: str = ""

    def __str__(self) -> str:
        listing = f" → listing #{self.listing_id}" if self.listing_id else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.action:9} {self.event_id}{listing}{note}"


@dataclass
class ImportReport:
    outcomes: list[Outcome] = field(default_factory=list)
    pages: int = 0
    unknown_keywords: Counter[str] = field(default_factory=Counter)
    unresolved_places: list[str] = field(default_factory=list)
    dry_run: bool = False

    def counts(self) -> Counter[str]:
        return Counter(outcome.action for outcome in self.outcomes)


PlaceFetcher = Callable[[str], Any]


@dataclass
class _Context:
    organisation: Organisation
    source: str
    publish: bool
    section: str
    keyword_map: dict[str, mapping.KeywordTarget]
    fetch_place: PlaceFetcher | None
    report: ImportReport


# --- The run ---------------------------------------------------------------------------------------


def import_pages(
    *,
    pages: Iterable[Page],
    organisation: Organisation,
    data_source: str = "",
    dry_run: bool = False,
    publish: bool = False,
    section: str = ListingSection.ACTIVITY,
    fetch_place: PlaceFetcher | None = None,
    on_page: Callable[[Page, list[Outcome]], None] | None = None,
) -> ImportReport:
    """Import the pages in order. Raises ImportFailed at the first malformed page."""
    report = ImportReport(dry_run=dry_run)
    keyword_map = mapping.load_keyword_map()
    outer = transaction.atomic() if dry_run else contextlib.nullcontext()
    with outer:
        for page in pages:
            try:
                if page.error:
                    raise mapping.MalformedPage(page.error)
                events = mapping.parse_page(page.payload)
            except mapping.MalformedPage as error:
                raise ImportFailed(f"{page.label} (page {page.number}): {error}") from error
            context = _Context(
                organisation=organisation,
                source=SOURCE_PREFIX + (data_source or (events[0].data_source if events else "")),
                publish=publish,
                section=section,
                keyword_map=keyword_map,
                fetch_place=fetch_place,
                report=report,
            )
            done = len(report.outcomes)
            with transaction.atomic():
                for position, event in enumerate(events, start=1):
                    try:
                        report.outcomes.extend(_import_event(context, event))
                    except ApplicationError as error:
                        where = f"{page.label} (page {page.number}): record {position} ({event.id})"
                        raise ImportFailed(f"{where}: {error.message}") from error
            report.pages += 1
            if on_page is not None:
                on_page(page, report.outcomes[done:])
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- One event -------------------------------------------------------------------------------------


def _find(context: _Context, event_id: str) -> Listing | None:
    return Listing.objects.filter(source=context.source, source_id=event_id).first()


def _import_event(context: _Context, event: mapping.SourceEvent) -> list[Outcome]:
    if event.super_event_id and not event.is_super_event:
        parent = _find(context, event.super_event_id)
        if parent is not None and parent.status != ListingStatus.ARCHIVED:
            return [_merge_sub_event(context, parent, event)]
    listing = _find(context, event.id)
    if event.is_cancelled:
        return [_archive(context, listing, event.id, note="cancelled in the source")]
    outcomes: list[Outcome] = []
    occurrences = _own_occurrences(event)
    if event.is_super_event:
        # Sub-events imported earlier on their own join their super event now.
        for orphan in Listing.objects.filter(
            source=context.source, source_id__in=event.sub_event_ids
        ).exclude(status=ListingStatus.ARCHIVED):
            occurrences += _listing_occurrences(orphan)
            outcomes.append(_archive(context, orphan, orphan.source_id, note=f"merged into {event.id}"))
        if listing is not None:
            occurrences = _listing_occurrences(listing) + occurrences
    data = _listing_data(context, event, occurrences)
    outcomes.insert(0, _upsert(context, listing, event.id, data))
    return outcomes


def _own_occurrences(event: mapping.SourceEvent) -> list[mapping.Occurrence]:
    if event.is_super_event:
        # A super event's own times span the whole series; its sub-events are the real times.
        return [sub.occurrence for sub in event.sub_events if sub.occurrence and not sub.is_cancelled]
    return [event.occurrence] if event.occurrence else []


def _merge_sub_event(context: _Context, parent: Listing, event: mapping.SourceEvent) -> Outcome:
    occurrences = _listing_occurrences(parent)
    if event.occurrence is not None:
        same = [o for o in occurrences if o.starts_at == event.occurrence.starts_at]
        occurrences = [o for o in occurrences if o not in same]
        if not event.is_cancelled:
            occurrences.append(event.occurrence)
    data = services.listing_data_from(parent)
    data.schedules = _schedules(occurrences)
    outcome = _upsert(context, parent, parent.source_id, data)
    return Outcome(event.id, "merged", parent.pk, f"{outcome.action} {parent.source_id}")


def _archive(context: _Context, listing: Listing | None, event_id: str, *, note: str) -> Outcome:
    if listing is None:
        return Outcome(event_id, "skipped", None, note)
    if listing.status == ListingStatus.ARCHIVED:
        return Outcome(event_id, "unchanged", listing.pk, "archived")
    services.listing_archive(listing=listing, actor=None, origin=_origin(listing.source, listing.source_id))
    return Outcome(event_id, "archived", listing.pk, note)


def _upsert(context: _Context, listing: Listing | None, event_id: str, data: services.ListingData) -> Outcome:
    if listing is None:
        listing = _create(context, event_id, data)
        return Outcome(event_id, "created", listing.pk, _moderate(context, listing))
    if listing.status == ListingStatus.ARCHIVED:
        return Outcome(event_id, "unchanged", listing.pk, "archived here; not restored")
    current = services.listing_data_from(listing)
    if _comparable(current) == _comparable(data):
        return Outcome(event_id, "unchanged", listing.pk, _moderate(context, listing))
    _update(context, listing, data)
    return Outcome(event_id, "updated", listing.pk, _moderate(context, listing))


def _comparable(data: services.ListingData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in IMPORTED_FIELDS:
        value = getattr(data, name)
        if name == "schedules":
            value = sorted(
                (s.starts_at.timestamp(), s.ends_at.timestamp(), s.rrule, sorted(s.exdates), sorted(s.rdates))
                for s in value
            )
        elif isinstance(value, list):
            value = sorted(item.pk for item in value)
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, dict):
            value = {code: text.strip() for code, text in value.items() if text and text.strip()}
        values[name] = value
    return values


# --- Writing through the activities services ---------------------------------------------------------
# The system path of activities.services (actor=None): the same validation, derived data, workflow
# and audit trail as the UI; `origin` names the import in the trail.


def _origin(listing_source: str, event_id: str) -> str:
    return f"{ACTOR_DESCRIPTION} {listing_source}:{event_id}"


def _create(context: _Context, event_id: str, data: services.ListingData) -> Listing:
    return services.listing_create(
        data=data,
        actor=None,
        source=context.source,
        source_id=event_id,
        origin=_origin(context.source, event_id),
    )


def _update(context: _Context, listing: Listing, data: services.ListingData) -> None:
    services.listing_update(
        listing=listing,
        data=data,
        actor=None,
        origin=_origin(listing.source, listing.source_id),
        confirm=True,
    )


def _moderate(context: _Context, listing: Listing) -> str:
    """Submit a complete draft (or publish it with --publish); say why an incomplete one waits."""
    if listing.status == ListingStatus.PUBLISHED:
        return "published"
    problem = services.listing_ready_problem(listing)
    if problem:
        return f"{listing.status}: {problem}"
    origin = _origin(listing.source, listing.source_id)
    if listing.status in (ListingStatus.DRAFT, ListingStatus.RETURNED):
        services.listing_submit(listing=listing, actor=None, origin=origin)
    if context.publish and listing.status == ListingStatus.SUBMITTED:
        services.listing_publish(listing=listing, actor=None, origin=origin)
    return str(listing.status)


# --- Mapping to listing data --------------------------------------------------------------------------


def _listing_occurrences(listing: Listing) -> list[mapping.Occurrence]:
    """Every time of the listing's schedules (imported schedules are dates, so this is finite)."""
    found: list[mapping.Occurrence] = []
    horizon = timezone.now() + datetime.timedelta(days=settings.OCCURRENCE_HORIZON_DAYS)
    for schedule in listing.schedules.all():
        last = max(
            [schedule.starts_at.astimezone(HELSINKI).date()]
            + [datetime.date.fromisoformat(day) for day in schedule.rdates]
        )
        window_end = max(
            horizon, datetime.datetime.combine(last + datetime.timedelta(days=2), datetime.time(), HELSINKI)
        )
        for starts_at, ends_at in recurrence.expand(
            starts_at=schedule.starts_at,
            ends_at=schedule.ends_at,
            rrule=schedule.rrule,
            exdates=schedule.exdates,
            rdates=schedule.rdates,
            window_start=schedule.starts_at - datetime.timedelta(seconds=1),
            window_end=window_end,
            limit=1000,
        ):
            found.append(mapping.Occurrence(starts_at=starts_at, ends_at=ends_at))
    return found


def _schedules(occurrences: list[mapping.Occurrence]) -> list[services.ScheduleData]:
    """One schedule per local start time and duration; its other days become rdates."""
    groups: dict[tuple[datetime.time, datetime.timedelta], list[datetime.datetime]] = {}
    for occurrence in occurrences:
        local = occurrence.starts_at.astimezone(HELSINKI)
        key = (local.time(), occurrence.ends_at - occurrence.starts_at)
        if local not in groups.setdefault(key, []):
            groups[key].append(local)
    schedules = []
    for (_time, duration), starts in sorted(groups.items(), key=lambda item: min(item[1])):
        starts.sort()
        days = sorted({start.date().isoformat() for start in starts[1:]} - {starts[0].date().isoformat()})
        schedules.append(
            services.ScheduleData(starts_at=starts[0], ends_at=starts[0] + duration, rdates=days)
        )
    return schedules


def _municipality(place: mapping.SourcePlace | None, extra_info: dict[str, str]) -> Municipality | None:
    """The municipality named by the place's locality, else one named in the extra location info."""
    names: list[str] = []
    if place is not None:
        names += list(place.locality.values())
    for text in extra_info.values():
        names += [part.strip() for chunk in text.split("/") for part in chunk.split(",")]
    for name in names:
        if not name:
            continue
        found = Municipality.objects.current().filter(_name_is(name)).order_by("code").first()
        if found is not None:
            return found
    return None


def _name_is(name: str) -> Any:
    return Q(name_fi__iexact=name) | Q(name_sv__iexact=name) | Q(name_en__iexact=name)


def _resolve_place(context: _Context, event: mapping.SourceEvent) -> tuple[mapping.SourcePlace | None, str]:
    place = event.place
    if place is None or place.name or not place.reference:
        return place, ""
    if context.fetch_place is None:
        return None, f"place {place.reference} not embedded"
    try:
        return mapping.parse_place(context.fetch_place(place.reference), position=0), ""
    except Exception:
        return None, f"place {place.reference} could not be read"


def _vocabulary(context: _Context, keyword_ids: list[str]) -> tuple[list[Theme], list[TargetGroup]]:
    theme_slugs: set[str] = set()
    group_slugs: set[str] = set()
    for keyword_id in keyword_ids:
        target = context.keyword_map.get(keyword_id)
        if target is None:
            context.report.unknown_keywords[keyword_id] += 1
            continue
        theme_slugs.update(target.themes)
        group_slugs.update(target.target_groups)
    themes = list(Theme.objects.filter(slug__in=theme_slugs).order_by("pk"))
    groups = list(TargetGroup.objects.filter(slug__in=group_slugs).order_by("pk"))
    return themes, groups


def _summary(event: mapping.SourceEvent) -> dict[str, str]:
    if event.short_description:
        return event.short_description
    return {code: _shorten(text) for code, text in event.description.items()}


def _shorten(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= SUMMARY_LIMIT else first[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _listing_data(
    context: _Context, event: mapping.SourceEvent, occurrences: list[mapping.Occurrence]
) -> services.ListingData:
    existing = _find(context, event.id)
    base = (
        services.listing_data_from(existing)
        if existing is not None
        else services.ListingData(
            section=context.section, organisation=context.organisation, title={}, criteria_confirmed=True
        )
    )
    place, note = _resolve_place(context, event)
    if note:
        context.report.unresolved_places.append(f"{event.id}: {note}")
    themes, groups = _vocabulary(context, event.keywords)
    online = event.is_virtual and bool(event.virtual_url or event.info_url)
    registration_url = event.enrolment_url
    return replace(
        base,
        title=event.name,
        summary=_summary(event),
        description=event.description,
        languages=list(Language.objects.filter(code__in=set(event.languages)).order_by("code")),
        themes=themes,
        target_groups=groups,
        is_free=event.is_free,
        fee_info=event.price,
        registration=Registration.LINK if registration_url else Registration.DROP_IN,
        registration_info=registration_url[:300],
        contact_url=(event.info_url or event.offer_url)[:200],
        is_online=online,
        online_url=(event.virtual_url or event.info_url)[:200] if online else "",
        place_name=(place.name if place and place.name else event.location_extra_info),
        street_address=(place.street_address[:200] if place else ""),
        postal_code=(place.postal_code if place else ""),
        municipality=_municipality(place, event.location_extra_info),
        latitude=_coordinate(place.latitude if place else None, 59, 71),
        longitude=_coordinate(place.longitude if place else None, 19, 32),
        min_age=event.min_age,
        max_age=event.max_age if event.min_age is None or (event.max_age or 0) >= event.min_age else None,
        schedules=_schedules(occurrences),
    )


def _coordinate(value: Any, low: int, high: int) -> Any:
    return value if value is not None and low <= value <= high else None

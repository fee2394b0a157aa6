"""Read use-cases of the Linked Events interface: the public directory as events, places, keywords
and languages. Everything starts from the public listing selectors of the activities app, so an
event is visible here exactly when its listing is visible in the public search.

Identifiers (stable, so that clients can store them):

* a listing is the event `kotoverkko:<listing pk>`: a super event of type "recurring" when it has a
  repeat rule, extra dates or several schedules, otherwise a single event;
* an occurrence of a recurring listing is the sub-event `kotoverkko:<listing pk>-<YYYYMMDDHHMM>`,
  the start in Helsinki time (occurrence rows are rebuilt every night, so their pks are not stable);
* a theme is the keyword `kotoverkko:theme-<slug>`, a target group `kotoverkko:tg-<slug>`;
* a language is its ISO 639 code (the reference Language table);
* a place is derived from the place fields of listings (there is no place table):
  `kotoverkko:place-<10 hex digits of sha256>` of the normalised street address, postal code and
  municipality, or of the place name and municipality when there is no street address, or of the
  municipality alone. Listings at the same address share the place; its name is that of the
  oldest such listing. Online-only listings are at the virtual place `kotoverkko:internet`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kotoverkko.activities import selectors as activity_selectors
from kotoverkko.activities.models import Listing, Occurrence, TargetGroup, Theme
from kotoverkko.core import i18n
from kotoverkko.reference.models import Language, Municipality

HELSINKI = ZoneInfo("Europe/Helsinki")
DATA_SOURCE = "kotoverkko"
INTERNET_PLACE_ID = "kotoverkko:internet"
THEME_PREFIX = "kotoverkko:theme-"
TARGET_GROUP_PREFIX = "kotoverkko:tg-"
PLACE_PREFIX = "kotoverkko:place-"
EVENT_ID = re.compile(r"^kotoverkko:(?P<pk>\d{1,18})(?:-(?P<start>\d{12}))?$")
PLACE_FIELDS = ("place_name", "street_address", "postal_code", "municipality_id", "latitude", "longitude")


class InvalidFilter(ValueError):
    """A query parameter that cannot be understood (the view answers 400 with the message)."""


# --- Places ---------------------------------------------------------------------------------------


@dataclass
class Place:
    id: str
    name: dict[str, str]
    street_address: str = ""
    postal_code: str = ""
    municipality: Municipality | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    last_modified: datetime.datetime | None = None
    listing_ids: list[int] = field(default_factory=list)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def place_id_of(values: dict[str, Any]) -> str | None:
    """The derived place id of a listing's place fields, or None when it has no place at all."""
    street = _normal(values.get("street_address") or "")
    municipality = values.get("municipality_id") or ""
    if street:
        key = f"address|{street}|{values.get('postal_code') or ''}|{municipality}"
    elif values.get("place_name"):
        key = f"name|{_normal(i18n.localized(values['place_name'], 'fi'))}|{municipality}"
    elif municipality:
        key = f"municipality|{municipality}"
    else:
        return None
    return PLACE_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:10]


def listing_place_id(listing: Listing) -> str:
    """The event location id of a listing: its derived place, else the virtual internet place."""
    found = place_id_of({name: getattr(listing, name) for name in PLACE_FIELDS})
    return found or INTERNET_PLACE_ID


def _place_rows(listings: QuerySet[Listing]) -> Iterable[dict[str, Any]]:
    return listings.order_by("pk").values("pk", "updated_at", *PLACE_FIELDS)


def place_list() -> list[Place]:
    """Every place of a public listing (plus the internet place when an online listing has none)."""
    municipalities = {m.code: m for m in Municipality.objects.all()}
    places: dict[str, Place] = {}
    has_online = False
    for row in _place_rows(activity_selectors.listings_public()):
        place_id = place_id_of(row)
        if place_id is None:
            has_online = True
            continue
        place = places.get(place_id)
        if place is None:
            name = i18n.clean_multilingual(row["place_name"] or {}) if row["place_name"] else {}
            municipality = municipalities.get(row["municipality_id"] or "")
            place = places[place_id] = Place(
                id=place_id,
                name=name or _fallback_place_name(row["street_address"], municipality),
                street_address=row["street_address"],
                postal_code=row["postal_code"],
                municipality=municipality,
                latitude=row["latitude"],
                longitude=row["longitude"],
                last_modified=row["updated_at"],
            )
        place.listing_ids.append(row["pk"])
        place.last_modified = max(place.last_modified or row["updated_at"], row["updated_at"])
    result = sorted(places.values(), key=lambda p: (i18n.localized(p.name, "fi").casefold(), p.id))
    if has_online:
        result.append(internet_place())
    return result


def _fallback_place_name(street_address: str, municipality: Municipality | None) -> dict[str, str]:
    if street_address:
        return {"fi": street_address}
    if municipality is not None:
        return {"fi": municipality.name_fi, "sv": municipality.name_sv, "en": municipality.name_en}
    return {"fi": "–"}


def internet_place() -> Place:
    return Place(id=INTERNET_PLACE_ID, name={"fi": "Internet", "sv": "Internet", "en": "Internet"})


def place_get(*, place_id: str) -> Place:
    for place in place_list():
        if place.id == place_id:
            return place
    raise Http404


def places_by_id(place_ids: set[str]) -> dict[str, Place]:
    return {place.id: place for place in place_list() if place.id in place_ids}


# --- Keywords and languages --------------------------------------------------------------------------


@dataclass
class Keyword:
    id: str
    name: dict[str, str]
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


def _keyword(prefix: str, term: Theme | TargetGroup) -> Keyword:
    return Keyword(
        id=prefix + term.slug,
        name={"fi": term.label_fi, "sv": term.label_sv, "en": term.label_en},
        is_active=term.is_active,
        created_at=term.created_at,
        updated_at=term.updated_at,
    )


def theme_keyword(theme: Theme) -> Keyword:
    return _keyword(THEME_PREFIX, theme)


def target_group_keyword(group: TargetGroup) -> Keyword:
    return _keyword(TARGET_GROUP_PREFIX, group)


def keyword_list(*, text: str = "", show_all: bool = False) -> list[Keyword]:
    """Themes, then target groups, as keywords; retired terms only with show_all."""
    keywords = [theme_keyword(t) for t in Theme.objects.order_by("position", "slug")]
    keywords += [target_group_keyword(g) for g in TargetGroup.objects.order_by("position", "slug")]
    if not show_all:
        keywords = [k for k in keywords if k.is_active]
    if text:
        needle = text.casefold()
        keywords = [k for k in keywords if any(needle in label.casefold() for label in k.name.values())]
    return keywords


def keyword_get(*, keyword_id: str) -> Keyword:
    if keyword_id.startswith(THEME_PREFIX):
        theme = Theme.objects.filter(slug=keyword_id.removeprefix(THEME_PREFIX)).first()
        if theme is not None:
            return theme_keyword(theme)
    if keyword_id.startswith(TARGET_GROUP_PREFIX):
        group = TargetGroup.objects.filter(slug=keyword_id.removeprefix(TARGET_GROUP_PREFIX)).first()
        if group is not None:
            return target_group_keyword(group)
    raise Http404


def language_list() -> QuerySet[Language]:
    return Language.objects.order_by("code")


def language_get(*, code: str) -> Language:
    language = Language.objects.filter(code=code).first()
    if language is None:
        raise Http404
    return language


# --- Events ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    text: str = ""
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    is_free: bool | None = None


def parse_time(value: str, *, is_end: bool, now: datetime.datetime | None = None) -> datetime.datetime:
    """A Linked Events time parameter: "now", "today", a date or an ISO 8601 date-time.

    A date (and "today") means the start of the day for `start` and the end of it for `end`.
    """
    now = now or timezone.now()
    value = value.strip()
    if value.lower() == "now":
        return now
    if value.lower() == "today":
        day = now.astimezone(HELSINKI).date()
    else:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is not None:
        if is_end:
            day += datetime.timedelta(days=1)
        return datetime.datetime.combine(day, datetime.time(), HELSINKI)
    try:
        moment = datetime.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError as error:
        raise InvalidFilter(value) from error
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=HELSINKI)


def _upcoming_occurrences(now: datetime.datetime) -> Prefetch:
    return Prefetch(
        "occurrences",
        queryset=Occurrence.objects.filter(ends_at__gt=now).order_by("starts_at"),
        to_attr="upcoming",
    )


def _with_event_data(listings: QuerySet[Listing], now: datetime.datetime) -> QuerySet[Listing]:
    return listings.select_related("organisation", "municipality").prefetch_related(
        "languages", "themes", "target_groups", "images", "schedules", _upcoming_occurrences(now)
    )


def event_list(*, filters: EventFilters, now: datetime.datetime | None = None) -> QuerySet[Listing]:
    """Public listings as top-level events (super events and single events), filtered."""
    now = now or timezone.now()
    listings = activity_selectors.listing_list_public(
        filters=activity_selectors.ListingFilters(text=filters.text)
    )
    if filters.start or filters.end:
        condition = Q(listing=OuterRef("pk"))
        if filters.start:
            condition &= Q(ends_at__gt=filters.start)
        if filters.end:
            condition &= Q(starts_at__lt=filters.end)
        listings = listings.filter(Exists(Occurrence.objects.filter(condition)))
    if filters.keywords:
        themes = [k.removeprefix(THEME_PREFIX) for k in filters.keywords if k.startswith(THEME_PREFIX)]
        groups = [
            k.removeprefix(TARGET_GROUP_PREFIX) for k in filters.keywords if k.startswith(TARGET_GROUP_PREFIX)
        ]
        listings = listings.filter(
            Q(pk__in=Listing.themes.through.objects.filter(theme__slug__in=themes).values("listing_id"))
            | Q(
                pk__in=Listing.target_groups.through.objects.filter(targetgroup__slug__in=groups).values(
                    "listing_id"
                )
            )
        )
    if filters.languages:
        listings = listings.filter(
            pk__in=Listing.languages.through.objects.filter(language_id__in=filters.languages).values(
                "listing_id"
            )
        )
    if filters.locations:
        listings = listings.filter(_location_condition(listings, set(filters.locations)))
    if filters.is_free is not None:
        listings = listings.filter(is_free=filters.is_free)
    return _with_event_data(listings, now)


def _location_condition(listings: QuerySet[Listing], place_ids: set[str]) -> Q:
    """Listings at any of the places (derived ids are computed, so the match is made here)."""
    matching = [row["pk"] for row in _place_rows(listings) if place_id_of(row) in place_ids]
    condition = Q(pk__in=matching)
    if INTERNET_PLACE_ID in place_ids:
        condition |= Q(is_online=True)
    return condition


def events_last_modified() -> datetime.datetime | None:
    return activity_selectors.listings_public().aggregate(latest=Max("updated_at"))["latest"]


@dataclass
class EventRef:
    listing: Listing
    occurrence: Occurrence | None = None  # set for a sub-event


def parse_event_id(event_id: str) -> tuple[int, datetime.datetime | None]:
    match = EVENT_ID.match(event_id)
    if match is None:
        raise Http404
    start = match["start"]
    if start is None:
        return int(match["pk"]), None
    try:
        local = datetime.datetime.strptime(start, "%Y%m%d%H%M").replace(tzinfo=HELSINKI)
    except ValueError as error:
        raise Http404 from error
    return int(match["pk"]), local


def event_get(*, event_id: str, now: datetime.datetime | None = None) -> EventRef:
    """A public listing's event, or one upcoming occurrence of a recurring one; 404 otherwise."""
    now = now or timezone.now()
    pk, start = parse_event_id(event_id)
    listing = _with_event_data(activity_selectors.listings_public(), now).filter(pk=pk).first()
    if listing is None:
        raise Http404
    if start is None:
        return EventRef(listing=listing)
    if not is_recurring(listing):
        raise Http404
    occurrence = next((o for o in listing.upcoming if o.starts_at == start), None)
    if occurrence is None:
        raise Http404
    return EventRef(listing=listing, occurrence=occurrence)


def is_recurring(listing: Listing) -> bool:
    schedules = list(listing.schedules.all())
    return len(schedules) > 1 or any(s.rrule or s.rdates for s in schedules)


def sub_event_id(listing: Listing, occurrence: Occurrence) -> str:
    return f"kotoverkko:{listing.pk}-{occurrence.starts_at.astimezone(HELSINKI):%Y%m%d%H%M}"

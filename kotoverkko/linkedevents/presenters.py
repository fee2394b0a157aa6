"""Objects in the Linked Events v1 JSON-LD format, shaped to validate against the Helsinki OpenAPI
file (shared/specs/linked-events-helsinki.openapi.yaml).

Where the live Linked Events API and its OpenAPI file disagree, the file wins, because it is the
published contract:

* no value is ever null (the file declares nothing nullable): empty values are left out, and a
  place without coordinates has `position: {"type": "Point", "coordinates": []}`;
* `super_event` is the super event's URL as a string (the file says string);
* a reference that is not embedded with `include=` still carries the fields the file requires of
  the object (`@id` plus e.g. `id`, `name`, `data_source` of a keyword), so clients that only read
  `@id` work as before;
* language names are at most 20 characters (the file's limit): the first part of the
  classification name ("kreikka, uuskreikka (vuoden 1453 jälkeen)" → "kreikka").

No contact person, e-mail address or telephone number is published.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.html import linebreaks

from kotoverkko.activities.enums import Registration
from kotoverkko.activities.models import Listing, Occurrence
from kotoverkko.reference.models import Language

from . import selectors
from .selectors import DATA_SOURCE, Keyword, Place

HELSINKI = ZoneInfo("Europe/Helsinki")
CONTEXT = "http://schema.org"
LANGUAGE_NAME_LIMIT = 20
UI_LANGUAGES = ("fi", "sv", "en")

Absolute = Callable[[str], str]  # a path -> the absolute URL


def iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(HELSINKI).isoformat(timespec="seconds") if value else None


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None and value != {}}


class Presenter:
    """Turns selector results into Linked Events objects with absolute `@id` URLs."""

    def __init__(self, *, absolute: Absolute, include: set[str] | None = None) -> None:
        self.absolute = absolute
        self.include = include or set()
        self._places: dict[str, Place] | None = None
        # A recurring listing repeats its place, keywords and URLs in every sub-event: build each once.
        self._urls: dict[tuple[str, str], str] = {}
        self._per_listing: dict[tuple[str, int], Any] = {}

    # --- URLs

    def url(self, route: str, identifier: str) -> str:
        key = (route, identifier)
        if key not in self._urls:
            self._urls[key] = self.absolute(reverse(f"linkedevents:{route}", args=[identifier]))
        return self._urls[key]

    def _once(self, kind: str, listing: Listing, build: Any) -> Any:
        key = (kind, listing.pk)
        if key not in self._per_listing:
            self._per_listing[key] = build(listing)
        return self._per_listing[key]

    # --- Languages

    def language(self, language: Language, *, embedded: bool = True) -> dict[str, Any]:
        names = {"fi": language.name_fi, "sv": language.name_sv, "en": language.name_en}
        data: dict[str, Any] = {
            "@id": self.url("language_detail", language.code),
            "id": language.code,
            "name": {code: short_language_name(name) for code, name in names.items() if name},
        }
        if embedded:
            data.update(
                {
                    "@context": CONTEXT,
                    "@type": "Language",
                    "translation_available": language.code in UI_LANGUAGES,
                }
            )
        return data

    # --- Keywords

    def keyword(self, keyword: Keyword, *, embedded: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@id": self.url("keyword_detail", keyword.id),
            "id": keyword.id,
            "name": {code: text for code, text in keyword.name.items() if text},
            "data_source": DATA_SOURCE,
        }
        if embedded:
            data.update(
                {
                    "@context": CONTEXT,
                    "@type": "Keyword",
                    "publisher": DATA_SOURCE,
                    "aggregate": False,
                    "deprecated": not keyword.is_active,
                    "alt_labels": [],
                    "created_time": iso(keyword.created_at),
                    "last_modified_time": iso(keyword.updated_at),
                }
            )
        return data

    # --- Places

    def place(self, place: Place, *, embedded: bool = True) -> dict[str, Any]:
        coordinates = (
            [float(place.longitude), float(place.latitude)]
            if place.latitude is not None and place.longitude is not None
            else []
        )
        data: dict[str, Any] = {
            "@id": self.url("place_detail", place.id),
            "id": place.id,
            "name": place.name,
            "position": {"type": "Point", "coordinates": coordinates},
        }
        if embedded:
            municipality = place.municipality
            locality = (
                {"fi": municipality.name_fi, "sv": municipality.name_sv, "en": municipality.name_en}
                if municipality
                else {}
            )
            data.update(
                _without_empty(
                    {
                        "@context": CONTEXT,
                        "@type": "Place",
                        "data_source": DATA_SOURCE,
                        "publisher": DATA_SOURCE,
                        "street_address": {"fi": place.street_address} if place.street_address else {},
                        "postal_code": place.postal_code or None,
                        "address_locality": locality,
                        "address_country": "FI" if place.id != selectors.INTERNET_PLACE_ID else None,
                        "deleted": False,
                        "last_modified_time": iso(place.last_modified),
                        "custom_data": [],
                    }
                )
            )
        return data

    def _place_of(self, listing: Listing) -> Place:
        place_id = selectors.listing_place_id(listing)
        if place_id == selectors.INTERNET_PLACE_ID:
            return selectors.internet_place()
        if self._places is None:
            self._places = {place.id: place for place in selectors.place_list()}
        return self._places[place_id]

    # --- Events

    def event(self, listing: Listing, occurrence: Occurrence | None = None) -> dict[str, Any]:
        """The listing as an event: a super event, a single event, or one of its sub-events."""
        recurring = selectors.is_recurring(listing)
        if occurrence is not None:
            identifier = selectors.sub_event_id(listing, occurrence)
            start, end = occurrence.starts_at, occurrence.ends_at
        else:
            identifier = f"kotoverkko:{listing.pk}"
            start, end = _span(listing)
        data = {
            "@id": self.url("event_detail", identifier),
            "@context": CONTEXT,
            "@type": "Event/LinkedEvent",
            "id": identifier,
            "data_source": DATA_SOURCE,
            "publisher": f"kotoverkko:org-{listing.organisation_id}",
            "provider": listing.organisation.name or None,
            "name": listing.title,
            "short_description": listing.summary,
            "description": {code: linebreaks(text) for code, text in listing.description.items()},
            "info_url": self._info_url(listing),
            "publication_status": "public",
            "event_status": "EventScheduled",
            "type_id": "General",
            "start_time": iso(start),
            "end_time": iso(end),
            "created_time": iso(listing.created_at),
            "last_modified_time": iso(listing.updated_at),
            "date_published": iso(listing.published_at),
            "location": self._location(listing),
            "keywords": self._keywords(listing),
            "audience": [
                self.keyword(selectors.target_group_keyword(g), embedded="audience" in self.include)
                for g in listing.target_groups.all()
            ],
            "in_language": [
                self.language(language, embedded="in_language" in self.include)
                for language in listing.languages.all()
            ],
            "offers": [self._offer(listing)],
            "images": [self._image(image) for image in listing.images.all()],
            "external_links": [],
            "videos": [],
            "audience_min_age": listing.min_age,
            "audience_max_age": listing.max_age,
            "is_virtualevent": listing.is_online,
            "virtualevent_url": listing.online_url or None,
            "deleted": False,
            "sub_events": [],
        }
        if occurrence is not None:
            data["super_event"] = self.url("event_detail", f"kotoverkko:{listing.pk}")
        elif recurring:
            data["super_event_type"] = "recurring"
            data["sub_events"] = [self._sub_event(listing, o) for o in listing.upcoming]
        return _without_empty(data)

    def _sub_event(self, listing: Listing, occurrence: Occurrence) -> dict[str, Any]:
        if "sub_events" in self.include:
            return self.event(listing, occurrence)
        identifier = selectors.sub_event_id(listing, occurrence)
        return {
            "@id": self.url("event_detail", identifier),
            "id": identifier,
            "name": listing.title,
            "start_time": iso(occurrence.starts_at),
            "end_time": iso(occurrence.ends_at),
            "publication_status": "public",
            "location": self._location(listing),
            "keywords": self._keywords(listing),
            "super_event": self.url("event_detail", f"kotoverkko:{listing.pk}"),
        }

    def _location(self, listing: Listing) -> dict[str, Any]:
        return self._once(
            "location",
            listing,
            lambda item: self.place(self._place_of(item), embedded="location" in self.include),
        )

    def _keywords(self, listing: Listing) -> list[dict[str, Any]]:
        return self._once("keywords", listing, self._build_keywords)

    def _build_keywords(self, listing: Listing) -> list[dict[str, Any]]:
        embedded = "keywords" in self.include
        terms = [selectors.theme_keyword(t) for t in listing.themes.all()]
        terms += [selectors.target_group_keyword(g) for g in listing.target_groups.all()]
        return [self.keyword(term, embedded=embedded) for term in terms]

    def _info_url(self, listing: Listing) -> dict[str, str]:
        if listing.contact_url:
            return dict.fromkeys(listing.title, listing.contact_url)
        path = reverse("activities:detail", args=[listing.pk])
        # The directory's own page; Finnish has no language prefix, the others do.
        return {
            "fi": self.absolute(path),
            "sv": self.absolute(f"/sv{path}"),
            "en": self.absolute(f"/en{path}"),
        }

    def _offer(self, listing: Listing) -> dict[str, Any]:
        offer: dict[str, Any] = {"is_free": listing.is_free, "price": listing.fee_info}
        if listing.registration == Registration.LINK and listing.registration_info.startswith("http"):
            offer["info_url"] = dict.fromkeys(listing.title, listing.registration_info)
        return _without_empty(offer)

    def _image(self, image: Any) -> dict[str, Any]:
        return _without_empty(
            {
                "url": self.absolute(image.image.url),
                "name": "",
                "alt_text": image.alt_text,
                "license": image.licence,
                "photographer_name": image.credit,
            }
        )


def _span(listing: Listing) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """From the first start to the last known end (the last materialised occurrence)."""
    schedules = list(listing.schedules.all())
    if not schedules:
        return None, None
    start = min(s.starts_at for s in schedules)
    upcoming = getattr(listing, "upcoming", [])
    end = max([o.ends_at for o in upcoming] + [s.ends_at for s in schedules])
    return start, end


def short_language_name(name: str) -> str:
    """The first part of a classification name, at most LANGUAGE_NAME_LIMIT characters."""
    short = re.split(r"[,;(]", name, maxsplit=1)[0].rstrip("*").strip() or name
    if len(short) <= LANGUAGE_NAME_LIMIT:
        return short
    cut = short[:LANGUAGE_NAME_LIMIT].rsplit(" ", 1)[0]
    return cut or short[:LANGUAGE_NAME_LIMIT]

"""Linked Events records → plain values (pure, no database): what a record says, checked.

A page must be an object with a `meta` object and a `data` list; every record needs an `id`, a
`name` with at least one text, and readable times. Anything else raises `MalformedRecord` naming
the record's position (1-based) and field, and the importer saves nothing from that page.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from django.utils.html import strip_tags

HELSINKI = ZoneInfo("Europe/Helsinki")
KEYWORD_MAP_PATH = Path(__file__).parent / "data" / "keyword_map.json"
CANCELLED_STATUSES = frozenset({"EventCancelled"})
# A Linked Events event may have no end; a Kotoverkko schedule needs one.
DEFAULT_DURATION = datetime.timedelta(hours=1)
BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/li|/h[1-6]|/div)\s*>")
LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}$")


class MalformedPage(ValueError):
    """The page cannot be used; `message` says where (record position and field)."""


@dataclass
class Occurrence:
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass
class SourcePlace:
    reference: str = ""  # the @id URL when the place was not embedded
    name: dict[str, str] = field(default_factory=dict)
    street_address: str = ""
    postal_code: str = ""
    locality: dict[str, str] = field(default_factory=dict)
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class SourceEvent:
    id: str
    data_source: str
    name: dict[str, str]
    short_description: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    location_extra_info: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    place: SourcePlace | None = None
    is_free: bool = True
    price: dict[str, str] = field(default_factory=dict)
    offer_url: str = ""
    info_url: str = ""
    enrolment_url: str = ""
    is_virtual: bool = False
    virtual_url: str = ""
    min_age: int | None = None
    max_age: int | None = None
    occurrence: Occurrence | None = None
    super_event_id: str = ""
    is_super_event: bool = False
    sub_event_ids: list[str] = field(default_factory=list)
    sub_events: list[SourceEvent] = field(default_factory=list)
    is_cancelled: bool = False


def identifier(value: Any) -> str:
    """The id of a reference: an embedded object's `id`, or the last path part of its `@id` URL."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str | int):
            return str(value["id"])
        value = value.get("@id")
    if isinstance(value, str) and value:
        path = urlparse(value).path.rstrip("/") if "://" in value else value
        return unquote(path.rsplit("/", 1)[-1])
    return ""


def plain_text(value: str) -> str:
    """Linked Events HTML as the plain text listings store (paragraphs kept as blank lines)."""
    text = BLOCK_END.sub("\n", value)
    text = html.unescape(strip_tags(text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def multilingual(value: Any, *, position: int, name: str) -> dict[str, str]:
    """A multilingual text as {code: plain text}; "zh_hans" becomes "zh", unknown keys are dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedPage(f"record {position}: {name} is not a multilingual object")
    texts: dict[str, str] = {}
    for key, text in value.items():
        code = str(key).lower().replace("-", "_").split("_")[0]
        if LANGUAGE_KEY.match(code) and isinstance(text, str) and plain_text(text):
            texts.setdefault(code, plain_text(text))
    return texts


def _first(texts: dict[str, str]) -> str:
    return texts.get("fi") or next(iter(texts.values()), "")


def _url(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("fi") or next((v for v in value.values() if isinstance(v, str) and v), "")
    return (
        value.strip() if isinstance(value, str) and value.strip().startswith(("http://", "https://")) else ""
    )


def parse_time(value: Any, *, position: int, name: str) -> tuple[datetime.datetime | None, bool]:
    """(aware datetime, is a date only) of a Linked Events time; None when absent."""
    if value in (None, ""):
        return None, False
    if not isinstance(value, str):
        raise MalformedPage(f"record {position}: {name} is not a date or time")
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            return datetime.datetime.combine(day, datetime.time(), HELSINKI), True
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedPage(f"record {position}: {name} {value!r} is not a date or time") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HELSINKI)
    return moment, False


def _occurrence(record: dict[str, Any], position: int) -> Occurrence | None:
    start, start_is_date = parse_time(record.get("start_time"), position=position, name="start_time")
    end, end_is_date = parse_time(record.get("end_time"), position=position, name="end_time")
    if start is None:
        return None
    if start_is_date or record.get("has_start_time") is False:
        # An all-day event: from midnight to the midnight after the last day.
        start = datetime.datetime.combine(start.astimezone(HELSINKI).date(), datetime.time(), HELSINKI)
        last = (end or start).astimezone(HELSINKI).date()
        if end is not None and not end_is_date and end.astimezone(HELSINKI).time() == datetime.time():
            last -= datetime.timedelta(days=1)
        end = datetime.datetime.combine(
            max(last, start.date()) + datetime.timedelta(days=1), datetime.time(), HELSINKI
        )
    if end is None or end <= start:
        if end is not None and end < start:
            raise MalformedPage(f"record {position}: end_time is before start_time")
        end = start + DEFAULT_DURATION
    return Occurrence(starts_at=start, ends_at=end)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001")) if value is not None else None
    except InvalidOperation:
        return None


def parse_place(value: Any, *, position: int) -> SourcePlace | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MalformedPage(f"record {position}: location is not an object")
    if set(value) <= {"@id"}:
        return SourcePlace(reference=str(value.get("@id") or ""))
    coordinates = (value.get("position") or {}).get("coordinates") or []
    longitude, latitude = [*coordinates, None, None][:2] if isinstance(coordinates, list) else (None, None)
    postal_code = str(value.get("postal_code") or "").strip()
    return SourcePlace(
        reference=str(value.get("@id") or ""),
        name=multilingual(value.get("name"), position=position, name="location.name"),
        street_address=_first(
            multilingual(value.get("street_address"), position=position, name="location.street_address")
        ),
        postal_code=postal_code if re.fullmatch(r"\d{5}", postal_code) else "",
        locality=multilingual(
            value.get("address_locality"), position=position, name="location.address_locality"
        ),
        latitude=_decimal(latitude),
        longitude=_decimal(longitude),
    )


def _age(value: Any) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= 120 else None


def parse_event(record: Any, *, position: int, embedded: bool = False) -> SourceEvent:
    """One Linked Events event record, checked; raises MalformedPage."""
    if not isinstance(record, dict):
        raise MalformedPage(f"record {position}: not an object")
    event_id = record.get("id")
    if not isinstance(event_id, str) or not event_id.strip():
        raise MalformedPage(f"record {position}: id is missing")
    name = multilingual(record.get("name"), position=position, name="name")
    if not name:
        raise MalformedPage(f"record {position} ({event_id}): name is missing")
    offers = [offer for offer in record.get("offers") or [] if isinstance(offer, dict)]
    priced = next((offer for offer in offers if not offer.get("is_free")), None)
    sub_events = [
        parse_event(sub, position=position, embedded=True)
        for sub in record.get("sub_events") or []
        if isinstance(sub, dict) and sub.get("name") and sub.get("id")
    ]
    return SourceEvent(
        id=event_id.strip(),
        data_source=str(record.get("data_source") or event_id.split(":", 1)[0]),
        name=name,
        short_description=multilingual(
            record.get("short_description"), position=position, name="short_description"
        ),
        description=multilingual(record.get("description"), position=position, name="description"),
        location_extra_info=multilingual(
            record.get("location_extra_info"), position=position, name="location_extra_info"
        ),
        languages=[identifier(item) for item in record.get("in_language") or [] if identifier(item)],
        keywords=[
            identifier(item)
            for item in [*(record.get("keywords") or []), *(record.get("audience") or [])]
            if identifier(item)
        ],
        place=parse_place(record.get("location"), position=position),
        is_free=priced is None,
        price=multilingual(priced.get("price"), position=position, name="offers.price") if priced else {},
        offer_url=_url(offers[0].get("info_url")) if offers else "",
        info_url=_url(record.get("info_url")),
        enrolment_url=_url(record.get("enrolment_url")),
        is_virtual=record.get("is_virtualevent") is True,
        virtual_url=_url(record.get("virtualevent_url")),
        min_age=_age(record.get("audience_min_age")),
        max_age=_age(record.get("audience_max_age")),
        occurrence=_occurrence(record, position),
        super_event_id=identifier(record.get("super_event")),
        is_super_event=record.get("super_event_type") == "recurring"
        or (bool(record.get("sub_events")) and not embedded),
        sub_event_ids=[identifier(sub) for sub in record.get("sub_events") or [] if identifier(sub)],
        sub_events=sub_events,
        is_cancelled=record.get("event_status") in CANCELLED_STATUSES or record.get("deleted") is True,
    )


def parse_page(payload: Any) -> list[SourceEvent]:
    """The events of a page; raises MalformedPage naming the record and field."""
    if not isinstance(payload, dict) or not isinstance(payload.get("meta"), dict):
        raise MalformedPage("the page has no meta object")
    if not isinstance(payload.get("data"), list):
        raise MalformedPage("the page has no data list")
    return [parse_event(record, position=index) for index, record in enumerate(payload["data"], start=1)]


@dataclass
class KeywordTarget:
    themes: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)


def load_keyword_map(path: Path = KEYWORD_MAP_PATH) -> dict[str, KeywordTarget]:
    """The editable table of Linked Events keyword ids → theme and target-group slugs."""
    table = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: KeywordTarget(
            themes=list(entry.get("themes", [])), target_groups=list(entry.get("target_groups", []))
        )
        for key, entry in table["keywords"].items()
    }

"""Exports of any public search as CSV, XLSX or JSON (the search page's query string).

Bounded to EXPORT_MAX_ROWS rows; the files say so when rows were left out. Multilingual fields
get one column per language that occurs in the export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kotoverkko.activities.models import Listing

from . import presenters

EXPORT_MAX_ROWS = 5000
MULTILINGUAL = ("title", "summary", "description", "place_name", "fee_info", "accessibility_info")
SCALARS = (
    "id",
    "url",
    "section",
    "organisation_id",
    "organisation",
    "themes",
    "target_groups",
    "languages",
    "municipality",
    "municipalities_served",
    "street_address",
    "postal_code",
    "latitude",
    "longitude",
    "is_online",
    "online_url",
    "next_occurrence_at",
    "schedules",
    "is_free",
    "min_age",
    "max_age",
    "gender_restriction",
    "is_for_families",
    "has_childcare",
    "is_accessible",
    "has_interpretation",
    "registration",
    "registration_info",
    "contact_email",
    "contact_phone",
    "contact_url",
    "valid_until",
    "updated_at",
)
UI_ORDER = ("fi", "sv", "en")


def bounded(listings: QuerySet[Listing]) -> tuple[list[Listing], int]:
    """At most EXPORT_MAX_ROWS listings with their relations, and how many matched in all."""
    count = listings.count()
    rows = list(
        listings.select_related("organisation", "municipality").prefetch_related(
            "themes", "target_groups", "languages", "municipalities_served", "co_organisers", "schedules"
        )[:EXPORT_MAX_ROWS]
    )
    return rows, count


def _languages(records: list[dict[str, Any]]) -> list[str]:
    found = {code for record in records for name in MULTILINGUAL for code in (record[name] or {})}
    return [code for code in UI_ORDER if code in found] + sorted(found - set(UI_ORDER))


def _schedule_text(schedules: list[dict[str, Any]]) -> str:
    parts = []
    for item in schedules:
        text = f"{item['starts_at'].isoformat()}/{item['ends_at'].isoformat()}"
        if item["rrule"]:
            text += f" {item['rrule']}"
        parts.append(text)
    return "; ".join(parts)


def _record(listing: Listing, request: HttpRequest) -> dict[str, Any]:
    data = presenters.listing_data(listing, request)
    data["place_name"] = listing.place_name or {}
    data["street_address"] = listing.street_address
    data["postal_code"] = listing.postal_code
    data["latitude"] = presenters.as_float(listing.latitude)
    data["longitude"] = presenters.as_float(listing.longitude)
    data["organisation_id"] = listing.organisation_id
    data["organisation"] = listing.organisation.display_name
    return data


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table(listings: Iterable[Listing], request: HttpRequest) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: the scalar columns, then one column per multilingual field and language."""
    records = [_record(listing, request) for listing in listings]
    languages = _languages(records)
    header = [*SCALARS, *(f"{name}_{code}" for name in MULTILINGUAL for code in languages)]
    rows = []
    for record in records:
        row = [
            _schedule_text(record["schedules"]) if name == "schedules" else _cell(record[name])
            for name in SCALARS
        ]
        row += [(record[name] or {}).get(code, "") for name in MULTILINGUAL for code in languages]
        rows.append(row)
    return header, rows


def _note(count: int, shown: int) -> str:
    return _(
        "%(shown)s of %(count)s listings; an export holds at most %(limit)s. Narrow the search for the rest."
    ) % {
        "shown": shown,
        "count": count,
        "limit": EXPORT_MAX_ROWS,
    }


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(listings: list[Listing], count: int, request: HttpRequest) -> bytes:
    header, rows = table(listings, request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    if count > len(listings):
        writer.writerow([_note(count, len(listings))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(listings: list[Listing], count: int, request: HttpRequest) -> bytes:
    header, rows = table(listings, request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Listings")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 2, 10), 40)
    if count > len(listings):
        sheet.append([])
        sheet.append([_note(count, len(listings))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(listings: list[Listing], count: int, request: HttpRequest) -> bytes:
    data = {
        "meta": {
            "count": count,
            "exported": len(listings),
            "limit": EXPORT_MAX_ROWS,
            "truncated": count > len(listings),
            "api": request.build_absolute_uri(reverse("api:v1:listing_list")),
        },
        "data": [presenters.listing_data(listing, request) for listing in listings],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "json": ("application/json", to_json),
}

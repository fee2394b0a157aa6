"""JSON input of listing writes as the activities services' ListingData.

Identifiers (theme ids, language and municipality codes, organisation ids) are looked up here;
unknown ones give a 400 naming the field. PATCH starts from the listing's current content.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from kotoverkko.activities.models import TargetGroup, Theme
from kotoverkko.activities.services import ListingData, ScheduleData
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from .errors import ApiErrorCode
from .schemas import ListingFieldsIn

# Model fields that may be set to null; a null for any other field is refused.
NULLABLE = frozenset({"min_age", "max_age", "municipality", "latitude", "longitude", "valid_until"})
PLAIN = (
    "section",
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
    "latitude",
    "longitude",
    "valid_until",
    "criteria_confirmed",
)


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(ApiErrorCode.INVALID.value, message, fields={field: [message]})


def _lookup(queryset: QuerySet[Any], field: str, key: str, values: list[Any]) -> list[Model]:
    found = {str(getattr(obj, key)): obj for obj in queryset.filter(**{f"{key}__in": values})}
    unknown = [str(value) for value in values if str(value) not in found]
    if unknown:
        raise _invalid(field, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown[:10])})
    return [found[str(value)] for value in dict.fromkeys(values)]


def _relations(payload: ListingFieldsIn, given: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "themes" in given:
        values["themes"] = _lookup(
            Theme.objects.filter(is_active=True), "themes", "slug", payload.themes or []
        )
    if "target_groups" in given:
        values["target_groups"] = _lookup(
            TargetGroup.objects.filter(is_active=True), "target_groups", "slug", payload.target_groups or []
        )
    if "languages" in given:
        values["languages"] = _lookup(Language.objects.all(), "languages", "code", payload.languages or [])
    if "co_organisers" in given:
        values["co_organisers"] = _lookup(
            Organisation.objects.public(), "co_organisers", "pk", payload.co_organisers or []
        )
    if "municipalities_served" in given:
        values["municipalities_served"] = _lookup(
            Municipality.objects.current(),
            "municipalities_served",
            "code",
            payload.municipalities_served or [],
        )
    if "municipality" in given:
        code = payload.municipality
        values["municipality"] = (
            _lookup(Municipality.objects.current(), "municipality", "code", [code])[0] if code else None
        )
    return values


def _schedules(payload: ListingFieldsIn) -> list[ScheduleData]:
    return [
        ScheduleData(
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            rrule=item.rrule,
            exdates=list(item.exdates),
            rdates=list(item.rdates),
        )
        for item in payload.schedules or []
    ]


def listing_data_from(
    payload: ListingFieldsIn, *, organisation: Organisation, current: ListingData | None = None
) -> ListingData:
    """The input merged over the current content (or over the defaults of a new listing)."""
    given = set(payload.model_fields_set) - {"submit"}
    for name in given:
        if getattr(payload, name) is None and name not in NULLABLE and name != "municipality":
            raise _invalid(name, _("This field cannot be null."))
    data = current or ListingData(section=payload.section or "activity", organisation=organisation, title={})
    for name in PLAIN:
        if name in given:
            setattr(data, name, getattr(payload, name))
    for name, value in _relations(payload, given).items():
        setattr(data, name, value)
    if "schedules" in given:
        data.schedules = _schedules(payload)
    if data.valid_until is not None and not isinstance(data.valid_until, datetime.date):
        raise _invalid("valid_until", _("Use a date, e.g. 2026-12-31."))
    data.organisation = organisation
    return data

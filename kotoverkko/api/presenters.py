"""Model instances as the API's JSON data (plain dicts; the schemas document and check them)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.urls import reverse

from kotoverkko.activities.models import Listing, Occurrence, TargetGroup, Theme
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from .selectors import Place, has_place, place_id

HELSINKI = ZoneInfo("Europe/Helsinki")


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _trilingual(obj: Any, prefix: str) -> dict[str, str]:
    return {
        code: getattr(obj, f"{prefix}_{code}")
        for code in ("fi", "sv", "en")
        if getattr(obj, f"{prefix}_{code}")
    }


def organisation_ref(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "name": organisation.name or {}}


def listing_place(listing: Listing) -> dict[str, Any] | None:
    if not has_place(listing):
        return None
    return {
        "id": place_id(
            street_address=listing.street_address,
            postal_code=listing.postal_code,
            municipality=listing.municipality_id,
            name=listing.place_name or {},
        ),
        "name": listing.place_name or {},
        "street_address": listing.street_address,
        "postal_code": listing.postal_code,
        "municipality": listing.municipality_id,
        "latitude": as_float(listing.latitude),
        "longitude": as_float(listing.longitude),
    }


def listing_data(listing: Listing, request: HttpRequest) -> dict[str, Any]:
    """The listing as the API shows it; expects the relations of selectors.with_relations."""
    return {
        "id": listing.pk,
        "url": request.build_absolute_uri(reverse("activities:detail", args=[listing.pk])),
        "section": listing.section,
        "status": listing.status,
        "title": listing.title or {},
        "summary": listing.summary or {},
        "description": listing.description or {},
        "plain_finnish": listing.plain_finnish,
        "organisation": organisation_ref(listing.organisation),
        "co_organisers": [organisation_ref(o) for o in listing.co_organisers.all() if o.is_public],
        "themes": [theme.slug for theme in listing.themes.all()],
        "target_groups": [group.slug for group in listing.target_groups.all()],
        "languages": [language.code for language in listing.languages.all()],
        "has_interpretation": listing.has_interpretation,
        "min_age": listing.min_age,
        "max_age": listing.max_age,
        "gender_restriction": listing.gender_restriction,
        "is_for_families": listing.is_for_families,
        "has_childcare": listing.has_childcare,
        "is_accessible": listing.is_accessible,
        "accessibility_info": listing.accessibility_info or {},
        "is_free": listing.is_free,
        "fee_info": listing.fee_info or {},
        "registration": listing.registration,
        "registration_info": listing.registration_info,
        "contact_email": listing.contact_email,
        "contact_phone": listing.contact_phone,
        "contact_url": listing.contact_url,
        "is_online": listing.is_online,
        "online_url": listing.online_url,
        "place": listing_place(listing),
        "municipality": listing.municipality_id,
        "municipalities_served": [m.code for m in listing.municipalities_served.all()],
        "schedules": [
            {
                "starts_at": s.starts_at.astimezone(HELSINKI),
                "ends_at": s.ends_at.astimezone(HELSINKI),
                "rrule": s.rrule,
                "exdates": list(s.exdates),
                "rdates": list(s.rdates),
            }
            for s in listing.schedules.all()
        ],
        "next_occurrence_at": listing.next_occurrence_at.astimezone(HELSINKI)
        if listing.next_occurrence_at
        else None,
        "valid_until": listing.valid_until,
        "published_at": listing.published_at,
        "updated_at": listing.updated_at,
    }


def occurrence_data(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "listing_id": occurrence.listing_id,
        "starts_at": occurrence.starts_at.astimezone(HELSINKI),
        "ends_at": occurrence.ends_at.astimezone(HELSINKI),
    }


def place_data(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "street_address": place.street_address,
        "postal_code": place.postal_code,
        "municipality": place.municipality,
        "latitude": as_float(place.latitude),
        "longitude": as_float(place.longitude),
        "listing_count": place.listing_count,
    }


def organisation_data(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "url": request.build_absolute_uri(reverse("organisations:detail", args=[organisation.pk])),
        "name": organisation.name or {},
        "kind": organisation.kind,
        "description": organisation.description or {},
        "parent_id": organisation.parent_id
        if organisation.parent and organisation.parent.is_public
        else None,
        "home_municipality": organisation.home_municipality_id,
        "municipalities_served": [m.code for m in organisation.municipalities_served.all()],
        "languages_served": [language.code for language in organisation.languages_served.all()],
        "email": organisation.email,
        "phone": organisation.phone,
        "website": organisation.website,
        "street_address": organisation.street_address,
        "postal_code": organisation.postal_code,
        "post_office": organisation.post_office,
    }


def vocabulary_data(term: Theme | TargetGroup) -> dict[str, Any]:
    return {"id": term.slug, "label": _trilingual(term, "label")}


def language_data(language: Language) -> dict[str, Any]:
    return {"code": language.code, "name": _trilingual(language, "name"), "native_name": language.native_name}


def municipality_data(municipality: Municipality) -> dict[str, Any]:
    return {
        "code": municipality.code,
        "name": _trilingual(municipality, "name"),
        "region": municipality.region_id,
    }

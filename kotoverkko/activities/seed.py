"""Demo listings for the demo region, from seed_data.py, through the services. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.seed import ORGANISATIONS
from kotoverkko.reference.models import Language, Municipality

from . import services
from .enums import ListingStatus
from .models import Listing, TargetGroup, Theme

HELSINKI = ZoneInfo("Europe/Helsinki")
SOURCE = "demo"


def _vocabulary(model: type[Theme] | type[TargetGroup], rows: list[dict[str, str]]) -> dict[str, Any]:
    terms = {}
    for position, row in enumerate(rows):
        term, _created = model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "label_fi": row["fi"],
                "label_sv": row["sv"],
                "label_en": row["en"],
                "position": position,
            },
        )
        terms[row["slug"]] = term
    return terms


def _organisations() -> dict[str, Organisation]:
    by_name = {o.sort_name: o for o in Organisation.objects.all()}
    result = {}
    for spec in ORGANISATIONS:
        first = spec.name.get("fi") or next(iter(spec.name.values()))
        if first.casefold() in by_name:
            result[spec.key] = by_name[first.casefold()]
    return result


def _local(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=HELSINKI)


def _data(
    row: dict[str, Any], organisations: dict[str, Organisation], themes: dict, groups: dict
) -> services.ListingData:
    schedule = row["schedule"]
    municipality = row.get("municipality")
    return services.ListingData(
        section=row["section"],
        organisation=organisations[row["organisation"]],
        title=row["title"],
        summary=row.get("summary") or {},
        description=row.get("description") or {},
        plain_finnish=row.get("plain_finnish") or "",
        themes=[themes[slug] for slug in row.get("themes", [])],
        target_groups=[groups[slug] for slug in row.get("target_groups", [])],
        languages=list(Language.objects.filter(code__in=row.get("languages", []))),
        has_interpretation=bool(row.get("has_interpretation")),
        min_age=row.get("min_age"),
        max_age=row.get("max_age"),
        gender_restriction=row.get("gender_restriction") or "",
        is_for_families=bool(row.get("is_for_families")),
        has_childcare=bool(row.get("has_childcare")),
        is_accessible=bool(row.get("is_accessible")),
        is_free=bool(row.get("is_free", True)),
        fee_info=row.get("fee_info") or {},
        registration=row.get("registration") or "drop_in",
        registration_info=row.get("registration_info") or "",
        is_online=bool(row.get("is_online")),
        online_url=row.get("online_url") or "",
        place_name=row.get("place_name") or {},
        street_address=row.get("street_address") or "",
        postal_code=row.get("postal_code") or "",
        municipality=Municipality.objects.get(code=municipality) if municipality else None,
        latitude=Decimal(row["latitude"]) if row.get("latitude") else None,
        longitude=Decimal(row["longitude"]) if row.get("longitude") else None,
        municipalities_served=list(
            Municipality.objects.filter(code__in=row.get("municipalities_served", []))
        ),
        contact_email=row.get("contact_email") or "",
        criteria_confirmed=True,
        schedules=[
            services.ScheduleData(
                starts_at=_local(schedule["start"]),
                ends_at=_local(schedule["end"]),
                rrule=schedule.get("rrule") or "",
                exdates=list(schedule.get("exdates") or []),
                rdates=list(schedule.get("rdates") or []),
            )
        ],
    )


@transaction.atomic
def seed_directory() -> int:
    """Create the demo vocabularies and listings that are missing; returns how many were created."""
    from . import seed_data

    themes = _vocabulary(Theme, seed_data.THEMES)
    groups = _vocabulary(TargetGroup, seed_data.TARGET_GROUPS)
    organisations = _organisations()
    existing = set(Listing.objects.filter(source=SOURCE).values_list("source_id", flat=True))
    created = 0
    for row in seed_data.LISTINGS:
        if row["key"] in existing or row["organisation"] not in organisations:
            continue
        listing = services.listing_create(data=_data(row, organisations, themes, groups), actor=None)
        Listing.objects.filter(pk=listing.pk).update(
            source=SOURCE, source_id=row["key"], status=ListingStatus.SUBMITTED
        )
        listing.refresh_from_db()
        services.listing_publish(listing=listing, actor=None)
        created += 1
    # Demo listings stay fresh: the demo is not about stale data.
    Listing.objects.filter(source=SOURCE).update(last_confirmed_at=timezone.now())
    return created

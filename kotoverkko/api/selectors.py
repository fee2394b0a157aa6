"""Read use-cases of the JSON API. Public reads show only what the public directory shows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from kotoverkko.activities import selectors as listing_selectors
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing, Occurrence, TargetGroup, Theme
from kotoverkko.core import i18n
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.selectors import OrganisationFilters, organisation_list_public
from kotoverkko.reference.models import Language, Municipality

from .filters import ApiListingFilters
from .models import ApiToken

LISTING_RELATIONS = (
    "themes",
    "target_groups",
    "languages",
    "municipalities_served",
    "co_organisers",
    "schedules",
)


def listing_list_for_api(*, filters: ApiListingFilters) -> QuerySet[Listing]:
    """Public listings matching the search filters, plus the API's own is_free and updated_since."""
    listings = listing_selectors.listing_list_public(filters=filters.search)
    if filters.is_free is False:
        listings = listings.filter(is_free=False)
    if filters.updated_since is not None:
        listings = listings.filter(updated_at__gte=filters.updated_since)
    if filters.by_update:
        listings = listings.order_by("updated_at", "pk")
    return listings


def with_relations(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.select_related("organisation", "municipality").prefetch_related(*LISTING_RELATIONS)


def listings_readable_by(token: ApiToken | None) -> QuerySet[Listing]:
    """Public listings, and every listing of the token's own organisation except archived ones."""
    public = Q(pk__in=listing_selectors.listings_public().values("pk"))
    if token is None:
        return Listing.objects.filter(public)
    own = Q(organisation_id=token.organisation_id) & ~Q(status=ListingStatus.ARCHIVED)
    return Listing.objects.filter(public | own)


def listing_get_for_api(*, listing_id: int, token: ApiToken | None) -> Listing:
    """A listing the caller may read (404 otherwise, also when it exists)."""
    return get_object_or_404(with_relations(listings_readable_by(token)), pk=listing_id)


def listing_get_for_token_write(*, listing_id: int, token: ApiToken) -> Listing:
    """The token organisation's own listing (not archived); 404 for anything else."""
    listings = Listing.objects.filter(organisation_id=token.organisation_id).exclude(
        status=ListingStatus.ARCHIVED
    )
    return get_object_or_404(with_relations(listings), pk=listing_id)


def occurrence_list_for_api(
    *, filters: ApiListingFilters, listing_id: int | None = None
) -> QuerySet[Occurrence]:
    """Upcoming occurrences of the public listings matching the filters, in time order."""
    window = listing_selectors._occurrence_filter(filters.search)  # the search page's own rule
    listings = listing_list_for_api(filters=filters)
    if listing_id is not None:
        listings = listings.filter(pk=listing_id)
    occurrences = Occurrence.objects.filter(listing__in=listings.order_by().values("pk"))
    occurrences = (
        occurrences.filter(window)
        if window is not None
        else occurrences.filter(ends_at__gt=listing_selectors._now())
    )
    return occurrences.order_by("starts_at", "pk")


# --- Places ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A location of public listings. There is no place register: a place is an address in use."""

    id: str
    name: dict[str, str]
    street_address: str
    postal_code: str
    municipality: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    listing_count: int


def place_id(*, street_address: str, postal_code: str, municipality: str | None, name: dict[str, str]) -> str:
    """A stable short id: a hash of the address (or of the Finnish/first name when there is none)."""
    if street_address.strip():
        key = f"a|{' '.join(street_address.casefold().split())}|{postal_code.strip()}|{municipality or ''}"
    else:
        key = f"n|{' '.join(i18n.localized(name, 'fi').casefold().split())}|{municipality or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def has_place(listing: Listing) -> bool:
    return bool(listing.street_address.strip() or any((listing.place_name or {}).values()))


def _place_rows() -> Iterable[dict[str, Any]]:
    return (
        listing_selectors.listings_public()
        .filter(~Q(street_address="") | ~Q(place_name={}))
        .order_by("pk")
        .values("place_name", "street_address", "postal_code", "municipality_id", "latitude", "longitude")
    )


def place_list_public() -> list[Place]:
    """Every distinct place of the public listings, by municipality and name (cached briefly)."""
    stamp = listing_selectors.listings_public().aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    key = f"api:places:{stamp['count']}:{changed:.6f}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    places: dict[str, dict[str, Any]] = {}
    for row in _place_rows():
        name = row["place_name"] or {}
        if not row["street_address"].strip() and not any(name.values()):
            continue
        pid = place_id(
            street_address=row["street_address"],
            postal_code=row["postal_code"],
            municipality=row["municipality_id"],
            name=name,
        )
        place = places.setdefault(pid, {**row, "place_name": dict(name), "count": 0})
        place["count"] += 1
        for code, text in name.items():
            place["place_name"].setdefault(code, text)
        if place["latitude"] is None and row["latitude"] is not None:
            place["latitude"], place["longitude"] = row["latitude"], row["longitude"]
    found = [
        Place(
            id=pid,
            name=row["place_name"],
            street_address=row["street_address"],
            postal_code=row["postal_code"],
            municipality=row["municipality_id"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            listing_count=row["count"],
        )
        for pid, row in places.items()
    ]
    found.sort(key=lambda p: (p.municipality or "", i18n.localized(p.name, "fi").casefold(), p.id))
    cache.set(key, found, 60)
    return found


def place_get_public(*, place_id: str) -> Place:
    from django.http import Http404

    for place in place_list_public():
        if place.id == place_id:
            return place
    raise Http404


# --- Vocabularies and reference data ------------------------------------------------------------------


def organisation_list_for_api() -> QuerySet[Organisation]:
    return organisation_list_public(filters=OrganisationFilters()).prefetch_related(
        "municipalities_served", "languages_served"
    )


def organisation_get_for_api(*, organisation_id: int) -> Organisation:
    return get_object_or_404(organisation_list_for_api(), pk=organisation_id)


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True).order_by("position", "label_fi", "pk")


def target_group_list() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(is_active=True).order_by("position", "label_fi", "pk")


def language_list() -> QuerySet[Language]:
    return Language.objects.order_by("code")


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.current().order_by("code")


# --- Tokens --------------------------------------------------------------------------------------


def api_token_list(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")

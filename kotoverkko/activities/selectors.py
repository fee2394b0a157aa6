"""Read use-cases of the activity directory."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import policies, search
from .enums import ListingStatus
from .models import Listing, Occurrence, Report

HELSINKI = ZoneInfo("Europe/Helsinki")

# Time-of-day filter: local start minute ranges.
TIMES_OF_DAY = {"morning": (0, 12 * 60), "afternoon": (12 * 60, 17 * 60), "evening": (17 * 60, 24 * 60)}
SORTS = ("next", "relevance", "newest")


@dataclass(frozen=True)
class ListingFilters:
    text: str = ""
    section: str = ""
    municipalities: tuple[str, ...] = ()
    language: str = ""
    theme: str = ""
    target_group: str = ""
    age: int | None = None
    weekdays: tuple[int, ...] = ()
    time_of_day: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    free_only: bool = False
    mode: str = ""  # "online" | "in_person" | ""
    accessible: bool = False
    childcare: bool = False
    sort: str = "next"
    extra: dict[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        """The filters as plain data (for counting searches that found nothing)."""
        record = asdict(self)
        record.pop("extra")
        record.pop("sort")
        return record


def _now() -> datetime.datetime:
    return timezone.now()


def listings_public() -> QuerySet[Listing]:
    """Everything the public may see: published, valid, and confirmed within the hiding limit."""
    now = _now()
    stale_before = now - datetime.timedelta(days=settings.LISTING_HIDE_DAYS)
    return Listing.objects.current(today=timezone.localdate(), stale_before=stale_before)


def _occurrence_filter(filters: ListingFilters) -> Q | None:
    conditions = Q()
    used = False
    now = _now()
    if filters.date_from or filters.date_to:
        start = datetime.datetime.combine(
            filters.date_from or now.astimezone(HELSINKI).date(), datetime.time(), HELSINKI
        )
        conditions &= Q(ends_at__gt=max(start, now))
        if filters.date_to:
            end = datetime.datetime.combine(
                filters.date_to + datetime.timedelta(days=1), datetime.time(), HELSINKI
            )
            conditions &= Q(starts_at__lt=end)
        used = True
    if filters.weekdays:
        conditions &= Q(weekday__in=filters.weekdays)
        used = True
    if filters.time_of_day in TIMES_OF_DAY:
        low, high = TIMES_OF_DAY[filters.time_of_day]
        conditions &= Q(start_minute__gte=low, start_minute__lt=high)
        used = True
    if not used:
        return None
    return conditions & Q(ends_at__gt=now)


def listing_list_public(*, filters: ListingFilters) -> QuerySet[Listing]:
    """Public listings matching the filters, ordered as asked."""
    listings = listings_public()
    if filters.section:
        listings = listings.filter(section=filters.section)
    if filters.municipalities:
        # One id list from indexed lookups (venue, municipalities served, online), so the planner
        # can start from the few listings of the area instead of scanning every listing.
        in_area = (
            Listing.objects.filter(municipality_id__in=filters.municipalities)
            .values("pk")
            .union(
                Listing.municipalities_served.through.objects.filter(
                    municipality_id__in=filters.municipalities
                ).values("listing_id"),
                Listing.objects.filter(is_online=True).values("pk"),
            )
        )
        listings = listings.filter(pk__in=in_area)
    if filters.language:
        listings = listings.filter(
            pk__in=Listing.languages.through.objects.filter(language_id=filters.language).values("listing_id")
        )
    if filters.theme:
        listings = listings.filter(
            pk__in=Listing.themes.through.objects.filter(theme__slug=filters.theme).values("listing_id")
        )
    if filters.target_group:
        listings = listings.filter(
            pk__in=Listing.target_groups.through.objects.filter(
                targetgroup__slug=filters.target_group
            ).values("listing_id")
        )
    if filters.age is not None:
        listings = listings.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age)
        )
    if filters.free_only:
        listings = listings.filter(is_free=True)
    if filters.mode == "online":
        listings = listings.filter(is_online=True)
    elif filters.mode == "in_person":
        listings = listings.filter(is_online=False)
    if filters.accessible:
        listings = listings.filter(is_accessible=True)
    if filters.childcare:
        listings = listings.filter(has_childcare=True)
    occurrence_condition = _occurrence_filter(filters)
    if occurrence_condition is not None:
        listings = listings.filter(
            Exists(Occurrence.objects.filter(occurrence_condition, listing=OuterRef("pk")))
        )
    if filters.text:
        listings = search.apply_text(listings, filters.text)
    listings = listings.select_related("organisation", "municipality").prefetch_related("languages")
    if filters.sort == "newest":
        return listings.order_by("-published_at", "-pk")
    listings = listings.order_by(F("next_occurrence_at").asc(nulls_last=True), "sort_title", "pk")
    if filters.sort == "relevance" and filters.text:
        # Equally relevant listings keep the next-occurrence order.
        return search.rank_by_relevance(listings, filters.text)
    return listings


def listing_get_public(*, listing_id: int) -> Listing:
    listings = (
        listings_public()
        .select_related("organisation", "municipality")
        .prefetch_related(
            "languages",
            "themes",
            "target_groups",
            "municipalities_served",
            "co_organisers",
            "images",
            "schedules",
        )
    )
    return get_object_or_404(listings, pk=listing_id)


def listing_get_for_editor(*, user: Any, listing_id: int) -> Listing:
    """A listing the user may edit, or one a moderator is looking at; 404 otherwise."""
    listing = get_object_or_404(
        Listing.objects.select_related("organisation", "municipality").prefetch_related("schedules"),
        pk=listing_id,
    )
    if not (policies.can_edit_listing(user, listing) or policies.can_moderate(user)):
        raise Http404
    return listing


def next_occurrences(*, listing: Listing, count: int = 5) -> list[Occurrence]:
    return list(listing.occurrences.filter(ends_at__gt=_now()).order_by("starts_at")[:count])


def listings_of_user(*, user: Any, status: str = "") -> QuerySet[Listing]:
    listings = policies.listings_editable_by(user).select_related("organisation")
    if status:
        listings = listings.filter(status=status)
    return listings.order_by("-updated_at", "-pk")


def moderation_queue() -> QuerySet[Listing]:
    return (
        Listing.objects.filter(status=ListingStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("updated_at")
    )


def open_reports() -> QuerySet[Report]:
    return Report.objects.filter(status="open").select_related("listing", "listing__organisation")


def stale_listings(*, now: datetime.datetime | None = None) -> QuerySet[Listing]:
    """Published listings nobody has confirmed for LISTING_REMINDER_DAYS and not yet reminded."""
    now = now or _now()
    limit = now - datetime.timedelta(days=settings.LISTING_REMINDER_DAYS)
    return (
        Listing.objects.published()
        .filter(last_confirmed_at__lt=limit, reminder_sent_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
    )

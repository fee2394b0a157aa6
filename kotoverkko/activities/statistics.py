"""The coordinator's directory statistics: aggregate counts only, never anything about a person.

Every figure is one aggregate query (or two, with the names of what was counted); nothing is
fetched row by row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n
from kotoverkko.reference.models import Language, Municipality

from . import selectors
from .enums import ListingStatus
from .models import HandoutCount, Listing, TargetGroup, Theme, UnmetSearch

HELSINKI = ZoneInfo("Europe/Helsinki")
MONTHS_SHOWN = 12
MAX_ROWS = 200

# The search filters as the public search form names them (for the unmet-search table).
FILTER_LABELS = {
    "section": _("Section"),
    "municipalities": _("Municipality"),
    "language": _("Language"),
    "theme": _("Theme"),
    "target_group": _("Target group"),
    "age": _("Age"),
    "weekdays": _("Days"),
    "time_of_day": _("Time of day"),
    "date_from": _("From"),
    "date_to": _("To"),
    "free_only": _("Free only"),
    "mode": _("Online or in person"),
    "accessible": _("Accessible venue"),
    "childcare": _("Childcare"),
}


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    lang: str = ""


@dataclass(frozen=True)
class MunicipalityRow:
    name: str
    located: int
    served: int


@dataclass(frozen=True)
class Freshness:
    fresh: int
    due: int
    hidden: int
    reminder_days: int
    hide_days: int


@dataclass(frozen=True)
class HandoutRow:
    month: datetime.date
    listing_id: int
    title: str
    title_lang: str
    count: int


@dataclass(frozen=True)
class UnmetRow:
    month: datetime.date
    text: str
    filters: list[tuple[str, str]]
    count: int


@dataclass
class DirectoryStatistics:
    municipality: Municipality | None
    total: int
    online: int
    by_theme: list[CountRow] = field(default_factory=list)
    by_target_group: list[CountRow] = field(default_factory=list)
    by_language: list[CountRow] = field(default_factory=list)
    by_municipality: list[MunicipalityRow] = field(default_factory=list)
    freshness: Freshness | None = None
    handouts: list[HandoutRow] = field(default_factory=list)
    handouts_by_month: list[CountRow] = field(default_factory=list)
    unmet: list[UnmetRow] = field(default_factory=list)


def _in_municipality(listings: QuerySet[Listing], code: str | None) -> QuerySet[Listing]:
    if not code:
        return listings
    served = Listing.municipalities_served.through.objects.filter(municipality_id=code).values("listing_id")
    return listings.filter(Q(municipality_id=code) | Q(pk__in=served))


def _first_month(now: datetime.datetime) -> datetime.date:
    month = now.astimezone(HELSINKI).date().replace(day=1)
    for _step in range(MONTHS_SHOWN - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _vocabulary_counts(model: type[Theme] | type[TargetGroup], public_ids: QuerySet[Any]) -> list[CountRow]:
    through = Listing.themes.through if model is Theme else Listing.target_groups.through
    column = "theme_id" if model is Theme else "targetgroup_id"
    counts = dict(
        through.objects.filter(listing_id__in=public_ids)
        .values(column)
        .annotate(n=Count("listing_id", distinct=True))
        .values_list(column, "n")
    )
    terms = model.objects.filter(Q(is_active=True) | Q(pk__in=counts.keys()))
    rows = [CountRow(term.label, counts.get(term.pk, 0)) for term in terms]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _language_counts(public_ids: QuerySet[Any]) -> list[CountRow]:
    counts = dict(
        Listing.languages.through.objects.filter(listing_id__in=public_ids)
        .values("language_id")
        .annotate(n=Count("listing_id", distinct=True))
        .values_list("language_id", "n")
    )
    names = Language.objects.in_bulk(list(counts))
    rows = [CountRow(names[code].name if code in names else code, n, code) for code, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _municipality_counts(public: QuerySet[Listing], public_ids: QuerySet[Any]) -> list[MunicipalityRow]:
    located = dict(
        public.filter(municipality__isnull=False)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    served = dict(
        Listing.municipalities_served.through.objects.filter(listing_id__in=public_ids)
        .values("municipality_id")
        .annotate(n=Count("listing_id", distinct=True))
        .values_list("municipality_id", "n")
    )
    names = Municipality.objects.in_bulk(list(located.keys() | served.keys()))
    rows = [
        MunicipalityRow(
            names[code].name if code in names else code, located.get(code, 0), served.get(code, 0)
        )
        for code in located.keys() | served.keys()
    ]
    return sorted(rows, key=lambda row: (-(row.located + row.served), row.name))


def _freshness(code: str | None, now: datetime.datetime) -> Freshness:
    """Published, still valid listings by how long ago someone confirmed them."""
    reminder_before = now - datetime.timedelta(days=settings.LISTING_REMINDER_DAYS)
    hide_before = now - datetime.timedelta(days=settings.LISTING_HIDE_DAYS)
    listings = Listing.objects.filter(status=ListingStatus.PUBLISHED).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())
    )
    counts = _in_municipality(listings, code).aggregate(
        fresh=Count("pk", filter=Q(last_confirmed_at__gte=reminder_before)),
        due=Count("pk", filter=Q(last_confirmed_at__lt=reminder_before, last_confirmed_at__gte=hide_before)),
        hidden=Count("pk", filter=Q(last_confirmed_at__lt=hide_before)),
    )
    return Freshness(
        reminder_days=settings.LISTING_REMINDER_DAYS, hide_days=settings.LISTING_HIDE_DAYS, **counts
    )


def _handouts(code: str | None, since: datetime.date) -> tuple[list[HandoutRow], list[CountRow]]:
    counts = HandoutCount.objects.filter(month__gte=since)
    if code:
        counts = counts.filter(municipality_id=code)
    per_listing = (
        counts.values("month", "listing_id", "listing__title")
        .annotate(total=Sum("count"))
        .order_by("-month", "-total", "listing_id")[:MAX_ROWS]
    )
    rows = [
        HandoutRow(
            month=row["month"],
            listing_id=row["listing_id"],
            title=i18n.localized(row["listing__title"]),
            title_lang=i18n.localized_language(row["listing__title"]),
            count=row["total"],
        )
        for row in per_listing
    ]
    per_month = counts.values("month").annotate(total=Sum("count")).order_by("-month")
    months = [CountRow(f"{row['month']:%m/%Y}", row["total"]) for row in per_month]
    return rows, months


def _unmet(since: datetime.date) -> list[UnmetRow]:
    searches = UnmetSearch.objects.filter(month__gte=since).order_by("-month", "-count", "text")[:MAX_ROWS]
    return [
        UnmetRow(
            month=search.month,
            text=search.text,
            filters=[(str(FILTER_LABELS.get(key, key)), str(value)) for key, value in search.filters.items()],
            count=search.count,
        )
        for search in searches
    ]


def directory_statistics(
    *, municipality: Municipality | None = None, now: datetime.datetime | None = None
) -> DirectoryStatistics:
    """The directory's figures, for the whole country or one municipality (held or served there)."""
    now = now or timezone.now()
    code = municipality.code if municipality is not None else None
    public = _in_municipality(selectors.listings_public(), code).order_by()
    public_ids = public.values("pk")
    totals = public.aggregate(total=Count("pk"), online=Count("pk", filter=Q(is_online=True)))
    since = _first_month(now)
    handouts, handouts_by_month = _handouts(code, since)
    return DirectoryStatistics(
        municipality=municipality,
        total=totals["total"],
        online=totals["online"],
        by_theme=_vocabulary_counts(Theme, public_ids),
        by_target_group=_vocabulary_counts(TargetGroup, public_ids),
        by_language=_language_counts(public_ids),
        by_municipality=_municipality_counts(public, public_ids),
        freshness=_freshness(code, now),
        handouts=handouts,
        handouts_by_month=handouts_by_month,
        unmet=_unmet(since),
    )

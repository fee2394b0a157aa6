"""Read use-cases of signals.

`signal_counts` and `signal_counts_by_theme` are the stable interface for the situation picture and
the programme planning: counts only, no text and nothing about people. They do not check access;
callers decide where the counts are shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.shortcuts import get_object_or_404

from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.models import Organisation, OrganisationKind

from . import policies
from .enums import StatisticsPeriod
from .models import Signal, SignalRoute, SignalTheme

HELSINKI = ZoneInfo("Europe/Helsinki")
SIGNAL_OBJECT_TYPE = "signals.signal"


# --- Counts for other areas ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalCount:
    theme_slug: str
    theme_label: str  # in the active language
    period_start: datetime.date  # first day of the month or quarter
    count: int


def _sent_between(
    municipality_codes: list[str] | None, start: datetime.date, end: datetime.date
) -> QuerySet[Signal]:
    """Signals sent on days start..end (inclusive, Helsinki time) in the municipalities (None: all)."""
    begins = datetime.datetime.combine(start, datetime.time.min, tzinfo=HELSINKI)
    ends = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=HELSINKI)
    return Signal.objects.in_municipalities(municipality_codes).filter(
        created_at__gte=begins, created_at__lt=ends
    )


def signal_counts(
    *,
    municipality_codes: list[str] | None,
    start: datetime.date,
    end: datetime.date,
    period: str = StatisticsPeriod.MONTH,
) -> list[SignalCount]:
    """Signals sent per theme and month (or quarter), by the day they were sent; no empty rows.

    Raises ValueError on an unknown period.
    """
    if period not in StatisticsPeriod.values:
        raise ValueError(period)
    trunc = TruncMonth if period == StatisticsPeriod.MONTH else TruncQuarter
    rows = (
        _sent_between(municipality_codes, start, end)
        .annotate(period_start=trunc("created_at", tzinfo=HELSINKI))
        .values("theme_id", "period_start")
        .annotate(count=Count("pk"))
        .order_by()
    )
    themes = {theme.pk: theme for theme in SignalTheme.objects.all()}
    counts = [
        SignalCount(
            theme_slug=themes[row["theme_id"]].slug,
            theme_label=themes[row["theme_id"]].label,
            period_start=_as_date(row["period_start"]),
            count=row["count"],
        )
        for row in rows
    ]
    order = {pk: (theme.position, theme.slug) for pk, theme in themes.items()}
    slug_order = {themes[pk].slug: key for pk, key in order.items()}
    return sorted(counts, key=lambda c: (c.period_start, slug_order[c.theme_slug]))


def signal_counts_by_theme(
    *, municipality_codes: list[str] | None, start: datetime.date, end: datetime.date
) -> list[tuple[str, str, int]]:
    """(label, slug, count) for every theme with signals in the period, most signals first."""
    rows = (
        _sent_between(municipality_codes, start, end)
        .values("theme_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    themes = {theme.pk: theme for theme in SignalTheme.objects.all()}
    result = [(themes[row["theme_id"]].label, themes[row["theme_id"]].slug, row["count"]) for row in rows]
    return sorted(result, key=lambda row: (-row[2], row[1]))


def _as_date(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.astimezone(HELSINKI).date() if value.tzinfo else value.date()
    return value


# --- Lists and pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    theme: SignalTheme | None = None
    urgency: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


def _for_lists(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    return signals.select_related("theme", "municipality", "sender_organisation", "routed_organisation")


def signal_list_inbox(*, user: Any, filters: InboxFilters) -> QuerySet[Signal]:
    """The handler's and coordinator's inbox, newest first."""
    signals = policies.signals_in_inbox_of(user)
    if filters.status:
        signals = signals.filter(status=filters.status)
    if filters.theme is not None:
        signals = signals.filter(theme=filters.theme)
    if filters.urgency:
        signals = signals.filter(urgency=filters.urgency)
    if filters.start:
        begins = datetime.datetime.combine(filters.start, datetime.time.min, tzinfo=HELSINKI)
        signals = signals.filter(created_at__gte=begins)
    if filters.end:
        ends = datetime.datetime.combine(
            filters.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=HELSINKI
        )
        signals = signals.filter(created_at__lt=ends)
    return _for_lists(signals).order_by("-created_at", "-pk")


def signal_list_sent(*, user: Any, status: str = "") -> QuerySet[Signal]:
    """Signals of the user's organisations, newest first."""
    signals = policies.signals_sent_visible_to(user)
    if status:
        signals = signals.filter(status=status)
    return _for_lists(signals).order_by("-created_at", "-pk")


def signal_get_for_user(*, user: Any, signal_id: int) -> Signal:
    """A signal the user may see; 404 otherwise (also when it exists)."""
    return get_object_or_404(_for_lists(policies.signals_visible_to(user)), pk=signal_id)


def signal_history(*, signal: Signal) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=SIGNAL_OBJECT_TYPE, object_id=str(signal.pk)).order_by(
        "occurred_at", "pk"
    )


# --- Routing ---------------------------------------------------------------------------------------


def municipality_organisation(*, municipality_code: str) -> Organisation | None:
    """The municipality's own organisation (the top one when there are several)."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, home_municipality_id=municipality_code
        )
        .order_by("parent_id", "pk")
        .first()
    )


def municipality_codes_with_organisation() -> list[str]:
    """Municipalities that have their own organisation in the service (they can receive signals)."""
    codes = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
        "home_municipality_id", flat=True
    )
    return sorted(set(codes))


def route_for(*, municipality_code: str, theme: SignalTheme) -> Organisation | None:
    """Where a signal of this theme in this municipality goes: the routing table, else the municipality."""
    route = (
        SignalRoute.objects.filter(municipality_id=municipality_code, theme=theme)
        .select_related("organisation")
        .first()
    )
    if route is not None:
        return route.organisation
    return municipality_organisation(municipality_code=municipality_code)


def routing_table(*, municipality_code: str) -> dict[int, Organisation]:
    """Theme id → organisation for the themes the municipality routes explicitly."""
    routes = SignalRoute.objects.filter(municipality_id=municipality_code).select_related("organisation")
    return {route.theme_id: route.organisation for route in routes}


def routing_candidates(*, municipality_code: str) -> QuerySet[Organisation]:
    """Organisations a signal of the municipality may be routed to: those that serve it."""
    return Organisation.objects.serving(municipality_code).order_by("sort_name", "pk")


def active_themes() -> QuerySet[SignalTheme]:
    return SignalTheme.objects.filter(is_active=True)

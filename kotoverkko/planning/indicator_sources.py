"""Computed indicators: what they read and how their values are computed.

A computed indicator keeps a definition (`Indicator.definition`) and gets its measurements from
the situation picture's datasets or the activity directory's statistics, through those apps'
selectors. Each source also gives a *fingerprint* of the data it read (the current dataset
version, or the day for directory figures): `services.indicator_refresh` recomputes only when the
fingerprint has changed, so reading a page after a new dataset version is imported updates the
indicator without the situation app knowing about planning.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.activities import statistics as directory_statistics
from kotoverkko.reference.models import Municipality
from kotoverkko.signals import selectors as signal_selectors
from kotoverkko.situation import selectors as situation_selectors

from .enums import IndicatorSource


class DefinitionError(ValueError):
    """The definition does not name data the platform has."""


@dataclass(frozen=True)
class Value:
    measured_on: datetime.date
    value: Decimal
    source: str


@dataclass(frozen=True)
class Computed:
    fingerprint: str
    values: list[Value]
    replaces_series: bool  # the values are the whole series (else: today's value is added)


# The directory metrics an indicator may follow (an allow-list; labels for the form).
DIRECTORY_METRICS: dict[str, Any] = {
    "published_listings": _("Published listings in the municipality"),
    "listings_per_language": _("Published listings in one language"),
    "handouts_per_month": _("Handouts per month"),
    "signals_per_month": _("Signals from the field per month"),
}

SIGNAL_MONTHS = 24


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise DefinitionError(code)
    return municipality


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _directory(definition: dict[str, Any]) -> Computed:
    metric = definition.get("metric", "")
    if metric not in DIRECTORY_METRICS:
        raise DefinitionError(metric)
    municipality = _municipality(str(definition.get("municipality", "")))
    today = timezone.localdate()
    figures = directory_statistics.directory_statistics(municipality=municipality)
    source = str(_("Activity directory"))
    if metric == "handouts_per_month":
        values = []
        for row in figures.handouts_by_month:
            month, year = row.label.split("/")
            values.append(
                Value(_month_end(datetime.date(int(year), int(month), 1)), Decimal(row.count), source)
            )
        return Computed(today.isoformat(), sorted(values, key=lambda v: v.measured_on), replaces_series=True)
    if metric == "signals_per_month":
        return _signals_per_month(municipality, today)
    if metric == "listings_per_language":
        language = str(definition.get("language", ""))
        if not language:
            raise DefinitionError(metric)
        count = next((row.count for row in figures.by_language if row.lang == language), 0)
        return Computed(today.isoformat(), [Value(today, Decimal(count), source)], replaces_series=False)
    return Computed(today.isoformat(), [Value(today, Decimal(figures.total), source)], replaces_series=False)


def _signals_per_month(municipality: Municipality, today: datetime.date) -> Computed:
    """Signals sent about the municipality per month (all themes), the last SIGNAL_MONTHS months."""
    start = (today.replace(day=1) - relativedelta(months=SIGNAL_MONTHS - 1)).replace(day=1)
    totals: dict[datetime.date, int] = {}
    for row in signal_selectors.signal_counts(municipality_codes=[municipality.code], start=start, end=today):
        totals[row.period_start] = totals.get(row.period_start, 0) + row.count
    source = str(_("Signals from the field"))
    values = [Value(_month_end(month), Decimal(count), source) for month, count in sorted(totals.items())]
    return Computed(today.isoformat(), values, replaces_series=True)


def _situation_source(definition: dict[str, Any]) -> situation_selectors.Source:
    table_id = str(definition.get("table_id", ""))
    for source in situation_selectors.current_sources():
        if source.dataset.table_id == table_id:
            return source
    raise DefinitionError(table_id)


def situation_fingerprint(definition: dict[str, Any]) -> str:
    """The current version of the dataset the indicator reads ('' when there is none)."""
    table_id = str(definition.get("table_id", ""))
    versions = situation_selectors.current_versions().filter(dataset__table_id=table_id)
    version = versions.values_list("pk", flat=True).first()
    return f"dataset-version:{version}" if version else ""


def _period_end(code: str, start: datetime.date | None) -> datetime.date | None:
    """The last day of a statistics period: "2024" (a year), "2024M03" (a month), "2024Q1"."""
    match = re.match(r"^(\d{4})(?:([MQ])(\d{1,2}))?$", code)
    if match is None:
        return None
    year, unit, number = int(match[1]), match[2], int(match[3] or 0)
    if unit is None:
        return datetime.date(year, 12, 31)
    months = 1 if unit == "M" else 3
    first = start or datetime.date(year, (number - 1) * months + 1, 1)
    return first + relativedelta(months=months) - datetime.timedelta(days=1)


def _situation(definition: dict[str, Any]) -> Computed:
    source = _situation_source(definition)
    try:
        area = situation_selectors.area_get(str(definition.get("area", "")))
    except Http404 as error:
        raise DefinitionError(definition.get("area")) from error
    fixed = {str(role): str(code) for role, code in (definition.get("fixed") or {}).items()}
    if "time" not in source.roles:
        raise DefinitionError("time")
    # Periods stay as the table has them: monthly counts of jobseekers are stocks, and adding up
    # a year's months would multiply them by twelve.
    cells = situation_selectors.collect(source, [area], ("time",), fixed, raw_time=True).get(area.key, {})
    label = str(source.dataset)
    values = sorted(
        (
            Value(period_end, amount.value, label)
            for (code,), amount in cells.items()
            if (period_end := _period_end(code, source.periods.get(code)))
            and amount.value is not None
            and amount.suppressed == 0
        ),
        key=lambda value: value.measured_on,
    )
    return Computed(f"dataset-version:{source.version.pk}", values, replaces_series=True)


COMPUTERS: dict[str, Callable[[dict[str, Any]], Computed]] = {
    IndicatorSource.DIRECTORY: _directory,
    IndicatorSource.SITUATION: _situation,
}


def fingerprint(source_kind: str, definition: dict[str, Any]) -> str:
    """A cheap check of whether the data behind an indicator has changed since `computed_from`."""
    if source_kind == IndicatorSource.SITUATION:
        return situation_fingerprint(definition)
    if source_kind == IndicatorSource.DIRECTORY:
        return timezone.localdate().isoformat()
    return ""


def compute(source_kind: str, definition: dict[str, Any]) -> Computed:
    """The indicator's values now. Raises DefinitionError when the definition names missing data."""
    computer = COMPUTERS.get(source_kind)
    if computer is None:
        raise DefinitionError(source_kind)
    return computer(definition)


def validate(source_kind: str, definition: dict[str, Any]) -> None:
    """Raise DefinitionError unless the definition's shape is right (the data may come later)."""
    if source_kind == IndicatorSource.DIRECTORY:
        if definition.get("metric") not in DIRECTORY_METRICS:
            raise DefinitionError("metric")
        _municipality(str(definition.get("municipality", "")))
        if definition.get("metric") == "listings_per_language" and not definition.get("language"):
            raise DefinitionError("language")
    elif source_kind == IndicatorSource.SITUATION:
        if not definition.get("table_id"):
            raise DefinitionError("table_id")
        try:
            situation_selectors.area_get(str(definition.get("area", "")))
        except Http404 as error:
            raise DefinitionError("area") from error


def dataset_choices() -> list[tuple[str, str]]:
    """The situation picture's current datasets, for the indicator form."""
    return [
        (version.dataset.table_id, str(version.dataset)) for version in situation_selectors.current_versions()
    ]

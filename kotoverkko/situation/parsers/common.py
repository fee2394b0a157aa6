"""The table model shared by the PX, JSON-stat and PxWeb CSV parsers: dimensions, periods, missing cells."""

from __future__ import annotations

import calendar
import datetime
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

__all__ = [
    "MISSING_MEANINGS",
    "Cell",
    "Dimension",
    "DimensionValue",
    "Missing",
    "Table",
    "TableFormatError",
    "TableMetadata",
    "TimePeriod",
    "municipality_code",
    "parse_period",
]


class TableFormatError(ValueError):
    """A statistics file or response is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class Missing:
    """Why a cell has no number: the marker as published and what it means."""

    marker: str
    meaning: str


# Statistics Finland's legend of symbols (also PxWeb's defaults). "-" is "magnitude nil": it is still
# kept as a missing cell with its reason, never turned into 0, so a later step decides how to show it.
MISSING_MEANINGS: dict[str, str] = {
    ".": "category not applicable (logically impossible to present)",
    "..": "data not available or too uncertain to be presented",
    "...": "confidential (subject to secrecy)",
    "....": "missing (PX data symbol 4; the table's notes explain it)",
    ".....": "missing (PX data symbol 5; the table's notes explain it)",
    "......": "missing (PX data symbol 6; the table's notes explain it)",
    "-": "magnitude nil",
}


class Cell(NamedTuple):
    """One observation: its value codes in dimension order, its number, or why it has none."""

    key: tuple[str, ...]
    value: Decimal | None
    missing: Missing | None


# --- Time periods ---------------------------------------------------------------------------------

TIME_UNITS = ("A", "H", "Q", "M", "W")

_PERIOD_PATTERNS: dict[str, re.Pattern[str]] = {
    "A": re.compile(r"(?P<year>\d{4})"),
    "H": re.compile(r"(?P<year>\d{4})[Hh]?(?P<n>[12])"),
    "Q": re.compile(r"(?P<year>\d{4})[Qq]?(?P<n>[1-4])"),
    "M": re.compile(r"(?P<year>\d{4})[Mm]?(?P<n>0[1-9]|1[0-2])"),
    "W": re.compile(r"(?P<year>\d{4})[Ww]?(?P<n>0[1-9]|[1-4]\d|5[0-3])"),
}
# Without a declared unit only unambiguous forms are recognised: "2024M01" but not "202401".
_INFERRED_PERIOD = re.compile(r"(?P<year>\d{4})(?:(?P<unit>[HhQqMmWw])(?P<n>\d{1,2}))?")


@dataclass(frozen=True, slots=True)
class TimePeriod:
    """A statistical period: a year, half-year, quarter, month or ISO week, with its first and last day."""

    unit: str
    year: int
    number: int
    text: str

    @property
    def start(self) -> datetime.date:
        """First day of the period."""
        if self.unit == "A":
            return datetime.date(self.year, 1, 1)
        if self.unit == "H":
            return datetime.date(self.year, 6 * self.number - 5, 1)
        if self.unit == "Q":
            return datetime.date(self.year, 3 * self.number - 2, 1)
        if self.unit == "M":
            return datetime.date(self.year, self.number, 1)
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the period."""
        if self.unit == "A":
            return datetime.date(self.year, 12, 31)
        if self.unit == "W":
            return datetime.date.fromisocalendar(self.year, self.number, 7)
        months = {"H": 6, "Q": 3, "M": 1}[self.unit]
        last_month = self.start.month + months - 1
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def __str__(self) -> str:
        return self.text


def parse_period(text: str, unit: str | None = None) -> TimePeriod:
    """Read "2023", "2023Q4", "2024M01" (or "202401" when unit="M") into a period; ValueError if not one."""
    text = text.strip()
    if unit is not None:
        unit = unit.upper()[:1]
        pattern = _PERIOD_PATTERNS.get(unit)
        if pattern is None:
            raise ValueError(f"unknown time unit {unit!r} (expected one of {', '.join(TIME_UNITS)})")
        match = pattern.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a period of unit {unit}")
        number = int(match.group("n")) if unit != "A" else 1
        period = TimePeriod(unit, int(match.group("year")), number, text)
    else:
        match = _INFERRED_PERIOD.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a recognisable period")
        if match.group("unit") is None:
            return TimePeriod("A", int(match.group("year")), 1, text)
        return parse_period(text, match.group("unit"))
    if period.unit == "W":
        try:
            period.start  # noqa: B018 - week 53 exists only in some years
        except ValueError as exc:
            raise ValueError(f"{text!r}: week {period.number} does not exist in {period.year}") from exc
    return period


def infer_periods(codes: tuple[str, ...], unit: str | None = None) -> tuple[TimePeriod, ...] | None:
    """Periods for every code, or None when any code is not a period."""
    try:
        return tuple(parse_period(code, unit) for code in codes)
    except ValueError:
        return None


# --- Dimensions and tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionValue:
    """One value of a dimension: its code, labels per language and what the source says about it."""

    code: str
    labels: dict[str, str]
    period: TimePeriod | None = None
    units: dict[str, str] = field(default_factory=dict)
    precision: int | None = None
    last_updated: datetime.datetime | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def label(self, language: str) -> str:
        """The label in a language, else the first one given, else the code."""
        return self.labels.get(language) or next(iter(self.labels.values()), self.code)


@dataclass(frozen=True)
class Dimension:
    """A variable of the table (stub, heading or JSON-stat id) with its values in data order."""

    code: str
    labels: dict[str, str]
    values: tuple[DimensionValue, ...]
    placement: str = ""
    is_time: bool = False
    time_unit: str | None = None
    is_content: bool = False
    is_geo: bool = False
    variable_type: str | None = None
    elimination: str | None = None
    map: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    _index: dict[str, int] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, int] = {}
        for position, value in enumerate(self.values):
            if index.setdefault(value.code, position) != position:
                raise TableFormatError(f"dimension {self.code!r} has the value code {value.code!r} twice")
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def codes(self) -> tuple[str, ...]:
        """Value codes in data order."""
        return tuple(value.code for value in self.values)

    @property
    def periods(self) -> tuple[TimePeriod | None, ...]:
        """The period of each value (None for values of a dimension that is not time)."""
        return tuple(value.period for value in self.values)

    def index(self, code: str) -> int:
        """Position of a value code; KeyError names the dimension."""
        try:
            return self._index[code]
        except KeyError:
            raise KeyError(f"dimension {self.code!r} has no value {code!r}") from None

    def value(self, code: str) -> DimensionValue:
        """The value with this code."""
        return self.values[self.index(code)]

    def label(self, language: str) -> str:
        """The dimension's name in a language, else the first one given, else its code."""
        return self.labels.get(language) or next(iter(self.labels.values()), self.code)


@dataclass(frozen=True)
class TableMetadata:
    """What a table says about itself; text fields are per language ({"fi": …, "sv": …})."""

    source_format: str
    table_id: str | None = None
    matrix: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    subject_code: str | None = None
    subject_area: dict[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    default_language: str | None = None
    last_updated: datetime.datetime | None = None
    created: datetime.datetime | None = None
    next_update: datetime.datetime | None = None
    decimals: int | None = None
    show_decimals: int | None = None
    encoding: str | None = None
    format_version: str | None = None
    official_statistics: bool | None = None
    copyright: bool | None = None
    contents_dimension: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """Metadata, ordered dimensions and the cells in dimension order (the last dimension varies fastest)."""

    metadata: TableMetadata
    dimensions: tuple[Dimension, ...]

    def cells(self) -> Iterator[Cell]:
        """Every cell in dimension order; subclasses stream them from their source."""
        raise NotImplementedError

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values in each dimension."""
        return tuple(len(dimension) for dimension in self.dimensions)

    @property
    def size(self) -> int:
        """Number of cells the dimensions call for."""
        return math.prod(self.shape)

    def dimension(self, code: str) -> Dimension:
        """The dimension with this code."""
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(f"no dimension {code!r}; the table has {', '.join(d.code for d in self.dimensions)}")

    @property
    def time_dimension(self) -> Dimension | None:
        """The first time dimension, if any."""
        return next((d for d in self.dimensions if d.is_time), None)

    def validate(self) -> int:
        """Read every cell once (raising on the first fault) and return how many there are."""
        count = 0
        for _cell in self.cells():
            count += 1
        return count

    def as_dict(self) -> dict[tuple[str, ...], Decimal | Missing]:
        """All cells in memory, keyed by their code tuple: for small tables and tests only."""
        return {key: value if missing is None else missing for key, value, missing in self.cells()}


def shape_text(dimensions: tuple[Dimension, ...]) -> str:
    """'159 × 3 × 19 × 1' for error messages."""
    return " × ".join(str(len(d)) for d in dimensions) or "0"


def municipality_code(area_code: str) -> str | None:
    """The 3-digit municipality code of a StatFin area code ("KU043" -> "043"), else None."""
    match = re.fullmatch(r"KU(\d{3})", area_code.strip())
    return match.group(1) if match else None


def labels_from(mapping: Mapping[str, str | None]) -> dict[str, str]:
    """Drop languages without text."""
    return {language: text for language, text in mapping.items() if text}

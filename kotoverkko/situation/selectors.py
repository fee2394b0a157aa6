"""Read use-cases of the situation picture: areas, the current version of each dataset, and the
numbers of an area computed from them (see indicators.py for the rules, suppression above all).

A page costs a fixed number of queries: the current versions (1; their dimensions come from a
per-process cache, 2 queries the first time a version is seen), a few grouped queries of
observations per dataset (the database selects and adds up), and the findings.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from kotoverkko.core import i18n
from kotoverkko.reference.models import Municipality, Region, WellbeingCounty

from . import indicators
from .indicators import Amount
from .models import (
    Dataset,
    DatasetVersion,
    Dimension,
    DimensionRole,
    DimensionValue,
    Finding,
    Observation,
    value_columns,
)

COUNTRY = "SSS"
MUNICIPALITIES_PATTERN = re.compile(r"^[0-9]{3}(\+[0-9]{3})*$")
REGION_PATTERN = re.compile(r"^MK([0-9]{2})$")
COUNTY_PATTERN = re.compile(r"^HV([0-9]{2})$")
MAX_GROUP = 50
SHAPES_CACHED = 64  # versions whose dimensions a process keeps in memory
# The demo cooperation area offered on the index page.
DEMO_GROUP = "049+235+257"

LANGUAGE_DIMENSIONS = frozenset({"language", "kieli", "språk", "sprak"})
SEX_DIMENSIONS = frozenset({"sex", "sukupuoli", "kön", "kon", "gender"})
AGE_DIMENSIONS = frozenset({"age", "ikä", "ika", "ålder", "alder"})
ORIGIN_DIMENSIONS = frozenset(
    {"country of birth", "syntymämaa", "syntymamaa", "födelseland", "fodelseland", "birth_country", "origin"}
)
JOBSEEKER_TABLES = ("jobseek", "12r5", "tyonv")
# Codes of "foreign (or foreign-language) unemployed jobseekers" in the known tables.
FOREIGN_JOBSEEKER_CODES = ("TYOTTOMATULK", "foreign_language", "foreign", "vieraskieliset")


# --- Areas --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    key: str  # as in the address: "049", "049+235", "MK01", "HV03", "SSS"
    kind: str  # municipality | group | region | county | country
    name: str
    codes: tuple[str, ...] = ()  # municipality codes (with predecessors) whose numbers are summed
    direct: str = ""  # a code the statistics may hold for the whole area ("MK01", "SSS")
    municipality: Municipality | None = None
    region_id: str = ""
    county_id: str = ""

    @property
    def kind_label(self) -> str:
        return {
            "municipality": _("Municipality"),
            "group": _("Municipalities together"),
            "region": _("Region"),
            "county": _("Wellbeing services county"),
            "country": _("Whole country"),
        }[self.kind]


def _with_predecessors(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes and those of municipalities merged into them (their old data counts here)."""
    found = list(dict.fromkeys(codes))
    new = list(found)
    while new:
        new = [
            code
            for code in Municipality.objects.filter(successor_id__in=new).values_list("code", flat=True)
            if code not in found
        ]
        found.extend(new)
    return tuple(found)


def area_get(key: str) -> Area:
    """The area named in the address; 404 when there is no such area."""
    key = (key or "").strip()
    if key == COUNTRY:
        codes = tuple(Municipality.objects.values_list("code", flat=True))
        return Area(key, "country", _("Whole country"), codes, direct=COUNTRY)
    if match := REGION_PATTERN.match(key):
        region = Region.objects.filter(code=match[1]).first()
        if region is None:
            raise Http404
        codes = tuple(Municipality.objects.filter(region=region).values_list("code", flat=True))
        return Area(key, "region", region.name, codes, direct=key, region_id=region.code)
    if match := COUNTY_PATTERN.match(key):
        county = WellbeingCounty.objects.filter(code=match[1]).first()
        if county is None:
            raise Http404
        members = Municipality.objects.filter(wellbeing_county=county).values_list("code", flat=True)
        return Area(
            key,
            "county",
            county.name,
            _with_predecessors(members),
            region_id=county.region_id,
            county_id=county.code,
        )
    if MUNICIPALITIES_PATTERN.match(key):
        wanted = list(dict.fromkeys(key.split("+")))
        if len(wanted) > MAX_GROUP:
            raise Http404
        found = {m.code: m for m in Municipality.objects.filter(code__in=wanted)}
        if len(found) != len(wanted):
            raise Http404
        if len(wanted) == 1:
            municipality = found[wanted[0]]
            return Area(
                municipality.code,
                "municipality",
                municipality.name,
                _with_predecessors(wanted),
                municipality=municipality,
                region_id=municipality.region_id,
                county_id=municipality.wellbeing_county_id or "",
            )
        names = ", ".join(found[code].name for code in wanted)
        regions = {found[code].region_id for code in wanted}
        counties = {found[code].wellbeing_county_id or "" for code in wanted}
        return Area(
            "+".join(wanted),
            "group",
            names,
            _with_predecessors(wanted),
            region_id=regions.pop() if len(regions) == 1 else "",
            county_id=counties.pop() if len(counties) == 1 else "",
        )
    raise Http404


def comparison_areas(area: Area) -> list[Area]:
    """The region, the wellbeing services county and the whole country to compare with."""
    keys = []
    if area.region_id and area.kind in {"municipality", "group", "county"}:
        keys.append(f"MK{area.region_id}")
    if area.county_id and area.kind in {"municipality", "group"}:
        keys.append(f"HV{area.county_id}")
    if area.kind != "country":
        keys.append(COUNTRY)
    return [area_get(key) for key in keys]


def municipality_choices() -> list[tuple[str, str]]:
    return [(m.code, m.name) for m in Municipality.objects.current().order_by("name_fi")]


def region_choices() -> list[tuple[str, str]]:
    return [(f"MK{r.code}", r.name) for r in Region.objects.order_by("code")]


def county_choices() -> list[tuple[str, str]]:
    return [(f"HV{c.code}", c.name) for c in WellbeingCounty.objects.order_by("code")]


# --- Datasets -----------------------------------------------------------------------------------


@dataclass
class Source:
    """The current version of a dataset, with what the calculations need to read its keys."""

    version: DatasetVersion
    dimensions: list[Dimension]
    roles: dict[str, int]  # time/area/language/origin/sex/age/content -> position in the key
    years: dict[str, int]  # time value code -> year
    periods: dict[str, datetime.date | None]
    labels: dict[str, dict[str, dict[str, str]]]  # role -> value code -> labels
    defaults: dict[int, str]  # position -> the code that stands for "all" (a total)
    kind: str  # language | origin | population | jobseekers | other
    positions: dict[int, dict[str, int]] = field(default_factory=dict)  # dimension -> code -> position
    columns: dict[int, str] = field(default_factory=dict)  # dimension -> Observation column (d0…d5)

    @property
    def dataset(self) -> Dataset:
        return self.version.dataset

    def label(self, role: str, code: str) -> str:
        return i18n.localized(self.labels.get(role, {}).get(code)) or code

    def latest_time(self) -> str | None:
        """The code of the newest period, None without a time dimension."""
        if not self.years:
            return None
        return max(self.years, key=lambda code: (self.periods.get(code) or datetime.date.min, code))


def _role_of(dimension: Dimension, codes: set[str]) -> str:
    name = dimension.code.strip().lower()
    if dimension.role == DimensionRole.TIME:
        return "time"
    if dimension.role == DimensionRole.AREA:
        return "area"
    if name in ORIGIN_DIMENSIONS:
        return "origin"
    if name in LANGUAGE_DIMENSIONS or {"fi", "sv"} <= codes:
        return "language"
    if name in SEX_DIMENSIONS:
        return "sex"
    if name in AGE_DIMENSIONS:
        return "age"
    if dimension.role == DimensionRole.CONTENT:
        return "content"
    return f"other{dimension.position}"


def _year(code: str, period_start: datetime.date | None) -> int:
    if period_start:
        return period_start.year
    digits = re.match(r"^([0-9]{4})", code)
    return int(digits[1]) if digits else 0


@dataclass(frozen=True)
class _Shape:
    """What a version's dimensions tell the calculations; a version never changes once imported."""

    dimensions: list[Dimension]
    roles: dict[str, int]
    years: dict[str, int]
    periods: dict[str, datetime.date | None]
    labels: dict[str, dict[str, dict[str, str]]]
    defaults: dict[int, str]
    positions: dict[int, dict[str, int]]
    columns: dict[int, str]


@functools.lru_cache(maxsize=SHAPES_CACHED)
def _shape(version_pk: int, created_at: datetime.datetime) -> _Shape:
    """The shape of a version, read once per process (two queries): the dimensions and values of a
    version are written before it becomes current and never change after. `created_at` is part of
    the key so that a reused primary key (a test database rolled back) is never mistaken."""
    dimensions = list(Dimension.objects.filter(version_id=version_pk).order_by("position"))
    values_of: dict[int, list[tuple[str, dict, int, datetime.date | None]]] = defaultdict(list)
    rows = (
        DimensionValue.objects.filter(dimension__version_id=version_pk)
        .order_by("dimension__position", "position")
        .values_list("dimension_id", "code", "labels", "position", "period_start")
    )
    for dimension_id, code, labels_of_value, position, period_start in rows:
        values_of[dimension_id].append((code, labels_of_value, position, period_start))
    roles: dict[str, int] = {}
    labels: dict[str, dict[str, dict[str, str]]] = {}
    defaults: dict[int, str] = {}
    years: dict[str, int] = {}
    periods: dict[str, datetime.date | None] = {}
    positions: dict[int, dict[str, int]] = {}
    for index, dimension in enumerate(dimensions):
        values = values_of[dimension.pk]
        positions[index] = {code: position for code, _labels, position, _period in values}
        role = _role_of(dimension, set(positions[index]))
        roles.setdefault(role, index)
        labels[role] = {code: value_labels for code, value_labels, _position, _period in values}
        totals = [code for code, *_rest in values if code in indicators.TOTAL_CODES]
        defaults[index] = totals[0] if totals else (values[0][0] if values else "")
        if role == "time":
            years = {code: _year(code, period) for code, _labels, _position, period in values}
            periods = {code: period for code, _labels, _position, period in values}
    columns = value_columns([dimension.role for dimension in dimensions])
    return _Shape(dimensions, roles, years, periods, labels, defaults, positions, columns)


def _source(version: DatasetVersion) -> Source:
    shape = _shape(version.pk, version.created_at)
    table = version.dataset.table_id.lower()
    content_codes = set(shape.labels.get("content", {}))
    jobseeker_codes = set(FOREIGN_JOBSEEKER_CODES)
    if any(part in table for part in JOBSEEKER_TABLES) or content_codes & jobseeker_codes:
        kind = "jobseekers"
    elif "language" in shape.roles:
        kind = "language"
    elif "origin" in shape.roles:
        kind = "origin"
    elif "age" in shape.roles:
        kind = "population"
    else:
        kind = "other"
    return Source(
        version,
        shape.dimensions,
        shape.roles,
        shape.years,
        shape.periods,
        shape.labels,
        shape.defaults,
        kind,
        shape.positions,
        shape.columns,
    )


def current_versions() -> QuerySet[DatasetVersion]:
    """The current version of every dataset (never an older one), with dimensions and values."""
    return (
        DatasetVersion.objects.filter(is_current=True)
        .select_related("dataset")
        .prefetch_related(
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.order_by("position").prefetch_related(
                    Prefetch("values", queryset=DimensionValue.objects.order_by("position"))
                ),
            )
        )
        .order_by("dataset__source", "dataset__table_id")
    )


def current_sources() -> list[Source]:
    """A Source for the current version of every dataset: one query, and the versions' shapes from
    the per-process cache (read from the database the first time a version is seen)."""
    versions = (
        DatasetVersion.objects.filter(is_current=True)
        .select_related("dataset")
        .order_by("dataset__source", "dataset__table_id")
    )
    return [_source(version) for version in versions]


Cells = dict[tuple, Amount]
Buckets = dict[str, dict[str, list[str]]]  # role -> bucket name -> the codes summed into it
Rows = Iterable[tuple[str, tuple, Amount]]  # area code, kept values, amount


def collect(
    source: Source,
    areas: list[Area],
    keep: tuple[str, ...],
    fixed: dict[str, str] | None = None,
    *,
    buckets: Buckets | None = None,
    raw_time: bool = False,
) -> dict[str, Cells]:
    """One query: for each area, {values of the `keep` roles: Amount}. A role in `buckets` has its
    values added up into the named buckets (kept by bucket name, or summed over all of them when
    not kept, e.g. the foreign languages); every other dimension is held at `fixed[role]` or at its
    total. An area's number comes from the source's own code for the area when it has one, else it
    is the sum over its municipalities. Sums respect suppression: a suppressed cell makes its sum
    "at least" (see indicators.Amount); nothing is derived from totals.

    The selection and the sums run in the database over the value columns d0…d5; a table whose
    dimensions do not all have a column is read through the cells' keys instead (slower)."""
    fixed = fixed or {}
    buckets = buckets or {}
    kept = [source.roles[role] for role in keep]
    bucketed = {source.roles[role]: groups for role, groups in buckets.items() if role in source.roles}
    required: dict[int, str] = {}
    for role, index in source.roles.items():
        if role in keep or role == "area" or index in bucketed:
            continue
        required[index] = fixed.get(role, source.defaults[index])
    time_index = -1 if raw_time else source.roles.get("time")
    has_area = "area" in source.roles
    wanted: set[str] | None = None
    if has_area:
        # An area the table has its own total for (a region, the country) is read from that row
        # alone; only otherwise are its municipalities fetched and added up.
        present = set(source.labels.get("area", {}))
        wanted = set()
        for area in areas:
            if area.direct and area.direct in present:
                wanted.add(area.direct)
            else:
                wanted.update(code for code in (*area.codes, area.direct) if code)
    elif not any(area.kind == "country" for area in areas):
        return {area.key: {} for area in areas}
    needed = {*required, *kept, *bucketed}
    if all(index in source.columns for index in needed):
        rows = _rows_by_columns(source, wanted, required, kept, bucketed)
    else:
        rows = _rows_by_keys(source, wanted, required, kept, bucketed)
    by_code: dict[str, Cells] = defaultdict(dict)
    for area_code, values, amount in rows:
        key = tuple(
            source.years.get(value, 0) if index == time_index else value
            for index, value in zip(kept, values, strict=True)
        )
        cells = by_code[area_code if has_area else COUNTRY]
        cells[key] = cells[key] + amount if key in cells else amount
    result: dict[str, Cells] = {}
    for area in areas:
        if not has_area:
            result[area.key] = dict(by_code.get(COUNTRY, {})) if area.kind == "country" else {}
            continue
        if area.direct and area.direct in by_code:
            result[area.key] = dict(by_code[area.direct])
            continue
        summed: dict[tuple, Amount] = defaultdict(lambda: indicators.NO_DATA)
        for code in area.codes:
            for key, amount in by_code.get(code, {}).items():
                summed[key] = summed[key] + amount
        result[area.key] = dict(summed)
    return result


def _membership(source: Source, index: int, codes: Iterable[str]) -> Q:
    """Rows whose value of the dimension is one of `codes`: IN over the codes, or NOT IN over the
    rest when that list is shorter (the foreign languages are most of a language dimension)."""
    column = source.columns[index]
    every = source.positions[index]
    inside = {every[code] for code in codes if code in every}
    outside = set(every.values()) - inside
    if not outside:
        return Q(**{f"{column}__isnull": False})
    if len(outside) < len(inside):
        return ~Q(**{f"{column}__in": sorted(outside)})
    return Q(**{f"{column}__in": sorted(inside)})


def _rows_by_columns(
    source: Source,
    wanted: set[str] | None,
    required: dict[int, str],
    kept: list[int],
    bucketed: dict[int, dict[str, list[str]]],
) -> Rows:
    """GROUP BY the area and the kept columns, with SUM and the count of suppressed cells."""
    observations = Observation.objects.filter(version_id=source.version.pk)
    if wanted is not None:
        observations = observations.filter(area_code__in=sorted(wanted))
    for index, code in required.items():
        position = source.positions[index].get(code)
        if position is None:
            return []
        observations = observations.filter(**{source.columns[index]: position})
    for index, groups in bucketed.items():
        codes = [code for group in groups.values() for code in group]
        if not any(code in source.positions[index] for code in codes):
            return []
        observations = observations.filter(_membership(source, index, codes))
    fields = ["area_code"]
    for index in kept:
        if index in bucketed:
            name = f"bucket{index}"
            whens = [
                When(_membership(source, index, codes), then=Value(group))
                for group, codes in bucketed[index].items()
                if any(code in source.positions[index] for code in codes)
            ]
            observations = observations.annotate(**{name: Case(*whens, output_field=CharField())})
            fields.append(name)
        else:
            fields.append(source.columns[index])
    grouped = (
        observations.order_by()
        .values(*fields)
        .annotate(total=Sum("value"), cells=Count("*"), known=Count("value"))
        .values_list(*fields, "total", "cells", "known")
    )
    codes = {index: {p: c for c, p in source.positions[index].items()} for index in kept}
    for area_code, *values, total, cells, known in grouped:
        decoded = tuple(
            value if index in bucketed else codes[index].get(value, "")
            for index, value in zip(kept, values, strict=True)
        )
        yield area_code, decoded, Amount(total, cells - known)


def _rows_by_keys(
    source: Source,
    wanted: set[str] | None,
    required: dict[int, str],
    kept: list[int],
    bucketed: dict[int, dict[str, list[str]]],
) -> Rows:
    """The same as _rows_by_columns, reading every cell's key in Python (tables with more
    dimensions than value columns)."""
    observations = Observation.objects.filter(version_id=source.version.pk)
    if wanted is not None:
        observations = observations.filter(area_code__in=sorted(wanted))
    group_of = {
        index: {code: group for group, codes in groups.items() for code in codes}
        for index, groups in bucketed.items()
    }
    for key, area_code, value in observations.values_list("key", "area_code", "value").iterator():
        parts = key.split("|")
        if any(parts[index] != code for index, code in required.items()):
            continue
        if any(parts[index] not in groups for index, groups in group_of.items()):
            continue
        values = tuple(group_of[index][parts[index]] if index in group_of else parts[index] for index in kept)
        yield area_code, values, indicators.cell(value)


# --- The picture --------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    foreign: Amount
    population: Amount
    share: indicators.Share | None


@dataclass
class Comparison:
    area: Area
    year: int
    foreign: Amount
    population: Amount
    share: indicators.Share | None
    is_self: bool = False


@dataclass
class LanguagePicture:
    source: Source
    rows: list[YearRow]
    latest: YearRow | None
    growth: indicators.Growth | None
    top: list[tuple[str, str, Amount]]  # code, label, amount
    top_hidden: int
    men: Amount
    women: Amount
    projection: indicators.Projection | None
    comparisons: list[Comparison]


@dataclass
class PopulationPicture:
    source: Source
    year: int
    rows: list[indicators.PyramidRow]
    labels: dict[str, str]
    total: Amount


@dataclass
class JobseekerPicture:
    source: Source
    rows: list[tuple[str, Amount]]  # period label, count


@dataclass
class OriginPicture:
    """Country of birth in the latest year: born abroad, the largest countries and country groups."""

    source: Source
    year: int
    born_abroad: Amount
    population: Amount
    share: indicators.Share | None
    top: list[tuple[str, str, Amount]]  # code, label, amount
    top_hidden: int
    groups: list[tuple[str, str, Amount]]  # group, label, amount


def country_group_label(group: str) -> str:
    return {
        "eu_efta": _("EU and EFTA countries"),
        "other_europe": _("Other European countries"),
        "africa": _("Africa"),
        "asia": _("Asia"),
        "americas": _("Americas"),
        "oceania": _("Oceania"),
        "other": _("Other and unknown"),
    }.get(group, group)


@dataclass
class Picture:
    area: Area
    comparisons: list[Area]
    languages: list[LanguagePicture] = field(default_factory=list)
    origins: list[OriginPicture] = field(default_factory=list)
    populations: list[PopulationPicture] = field(default_factory=list)
    jobseekers: list[JobseekerPicture] = field(default_factory=list)

    @property
    def sources(self) -> list[Source]:
        found: dict[int, Source] = {}
        for part in [*self.languages, *self.origins, *self.populations, *self.jobseekers]:
            found[part.source.version.pk] = part.source
        return list(found.values())

    @property
    def has_data(self) -> bool:
        return bool(self.languages or self.origins or self.populations or self.jobseekers)

    @property
    def has_synthetic(self) -> bool:
        return any(source.dataset.is_synthetic for source in self.sources)


def _language_buckets(source: Source) -> dict[str, list[str]]:
    """The language dimension in buckets: the foreign languages, and the total (or, without a total
    code, the domestic languages: the population is then the sum of both)."""
    languages = list(source.labels.get("language", {}))
    groups = {"foreign": [code for code in languages if indicators.is_foreign(code)]}
    totals = [code for code in languages if code in indicators.TOTAL_CODES]
    if totals:
        groups["total"] = totals[:1]
    else:
        groups["domestic"] = [code for code in languages if not indicators.is_foreign(code)]
    return groups


def _language_rows(cells: Cells, *, year: int | None = None) -> dict[int, YearRow]:
    """{(year, bucket): amount} cells (or {(bucket,): amount} for one `year`) -> rows per year."""
    by_year: dict[int, dict[str, Amount]] = defaultdict(dict)
    for key, amount in cells.items():
        cell_year, bucket = (year, key[0]) if year is not None else key
        by_year[cell_year][bucket] = amount
    rows = {}
    for cell_year, amounts in sorted(by_year.items()):
        foreign = amounts.get("foreign", indicators.NO_DATA)
        if "total" in amounts:
            population = amounts["total"]
        else:
            population = foreign + amounts.get("domestic", indicators.NO_DATA)
        rows[cell_year] = YearRow(cell_year, foreign, population, indicators.share(foreign, population))
    return rows


def _sex_codes(source: Source) -> tuple[str, str]:
    codes = set(source.labels.get("sex", {}))
    men = next((c for c in codes if c in indicators.MALE_CODES), "1")
    women = next((c for c in codes if c in indicators.FEMALE_CODES), "2")
    return men, women


def _year_code(source: Source, year: int) -> str | None:
    """The time code of a year when exactly one stands for it (an annual table)."""
    codes = [code for code, code_year in source.years.items() if code_year == year]
    return codes[0] if len(codes) == 1 else None


def _language_picture(source: Source, area: Area, others: list[Area]) -> LanguagePicture | None:
    """The area's trend over every year; the comparison areas, the languages and the sexes in the
    latest year only (each one grouped query: the database adds up, suppression respected)."""
    groups = _language_buckets(source)
    buckets = {"language": groups}
    rows = _language_rows(collect(source, [area], ("time", "language"), buckets=buckets)[area.key])
    if not rows:
        return None
    latest = rows[max(rows)]
    time_code = _year_code(source, latest.year)
    at_latest = {"time": time_code} if time_code else {}
    if others:
        if time_code:
            cells = collect(source, others, ("language",), at_latest, buckets=buckets)
            other_rows = {key: _language_rows(found, year=latest.year) for key, found in cells.items()}
        else:
            cells = collect(source, others, ("time", "language"), buckets=buckets)
            other_rows = {key: _language_rows(found) for key, found in cells.items()}
    shares = {year: row.share.percent for year, row in rows.items() if row.share and not row.share.at_least}
    if time_code:
        counts = {
            key[0]: amount
            for key, amount in collect(source, [area], ("language",), at_latest)[area.key].items()
        }
    else:
        cells = collect(source, [area], ("time", "language"))[area.key]
        counts = {language: amount for (year, language), amount in cells.items() if year == latest.year}
    ranked, hidden = indicators.top_languages(counts)
    top = [(item.code, source.label("language", item.code), item.amount) for item in ranked]
    men = women = indicators.NO_DATA
    if "sex" in source.roles and time_code:
        foreign = {"language": {"foreign": groups["foreign"]}}
        by_sex = collect(source, [area], ("sex",), at_latest, buckets=foreign)[area.key]
        men_code, women_code = _sex_codes(source)
        men = by_sex.get((men_code,), indicators.NO_DATA)
        women = by_sex.get((women_code,), indicators.NO_DATA)
    comparisons = [
        Comparison(area, latest.year, latest.foreign, latest.population, latest.share, is_self=True)
    ]
    for other in others:
        row = other_rows[other.key].get(latest.year)
        if row:
            comparisons.append(Comparison(other, row.year, row.foreign, row.population, row.share))
    return LanguagePicture(
        source=source,
        rows=list(rows.values()),
        latest=latest,
        growth=indicators.growth({year: row.foreign for year, row in rows.items()}),
        top=top,
        top_hidden=hidden,
        men=men,
        women=women,
        projection=indicators.projection(shares),
        comparisons=comparisons,
    )


def _origin_picture(source: Source, area: Area) -> OriginPicture | None:
    """The latest year's countries of birth (every other dimension at its total)."""
    latest = source.latest_time()
    if latest is None:
        return None
    found = collect(source, [area], ("origin",), {"time": latest})[area.key]
    if not found:
        return None
    year = source.years.get(latest, 0)
    counts = {key[0]: amount for key, amount in found.items()}
    abroad = indicators.born_abroad(counts)
    totals = [amount for code, amount in counts.items() if code in indicators.TOTAL_CODES]
    population = totals[0] if totals else indicators.total(counts.values())
    ranked, hidden = indicators.top_countries(counts)
    return OriginPicture(
        source=source,
        year=year,
        born_abroad=abroad,
        population=population,
        share=indicators.share(abroad, population),
        top=[(item.code, source.label("origin", item.code), item.amount) for item in ranked],
        top_hidden=hidden,
        groups=[
            (group, country_group_label(group), amount) for group, amount in indicators.country_groups(counts)
        ],
    )


def _population_picture(source: Source, area: Area) -> PopulationPicture | None:
    """The pyramid of the latest year."""
    latest = source.latest_time()
    if "sex" not in source.roles or latest is None:
        return None
    cells = collect(source, [area], ("age", "sex"), {"time": latest})[area.key]
    if not cells:
        return None
    year = source.years.get(latest, 0)
    men_code, women_code = _sex_codes(source)
    ages = [code for code in source.labels["age"] if code not in indicators.TOTAL_CODES]
    rows = [
        indicators.PyramidRow(
            age,
            cells.get((age, men_code), indicators.NO_DATA),
            cells.get((age, women_code), indicators.NO_DATA),
        )
        for age in ages
        if (age, men_code) in cells or (age, women_code) in cells
    ]
    if not rows:
        return None
    labels = {age: source.label("age", age) for age in ages}
    return PopulationPicture(source, year, rows, labels, indicators.pyramid_total(rows))


def _jobseeker_picture(source: Source, area: Area) -> JobseekerPicture | None:
    if "time" not in source.roles:
        return None
    fixed = {}
    for role in ("content", "language"):
        values = source.labels.get(role, {})
        code = next((c for c in FOREIGN_JOBSEEKER_CODES if c in values), "")
        if code:
            fixed[role] = code
    if "language" in source.roles and "language" not in fixed:
        return None
    # Months stay months: no averaging that would hide a suppressed month.
    cells = collect(source, [area], ("time",), fixed, raw_time=True)[area.key]
    order = sorted(source.years, key=lambda c: (source.periods.get(c) or datetime.date.min, c))
    rows = [
        (source.label("time", time_code), cells[(time_code,)]) for time_code in order if (time_code,) in cells
    ]
    return JobseekerPicture(source, rows) if rows else None


def situation_picture(area: Area) -> Picture:
    """Everything the area's page shows, from the current version of each dataset."""
    others = comparison_areas(area)
    picture = Picture(area=area, comparisons=others)
    for source in current_sources():
        if source.kind == "language":
            part = _language_picture(source, area, others)
            if part:
                picture.languages.append(part)
        elif source.kind == "origin":
            part = _origin_picture(source, area)
            if part:
                picture.origins.append(part)
        elif source.kind == "population":
            part = _population_picture(source, area)
            if part:
                picture.populations.append(part)
        elif source.kind == "jobseekers":
            part = _jobseeker_picture(source, area)
            if part:
                picture.jobseekers.append(part)
    # Where real data gives the pyramid, synthetic data for the same area is left out.
    if any(not part.source.dataset.is_synthetic for part in picture.populations):
        picture.populations = [part for part in picture.populations if not part.source.dataset.is_synthetic]
    return picture


# --- Findings -----------------------------------------------------------------------------------


def findings_for(area: Area) -> list[Finding]:
    """The findings of the area's municipalities (the municipality itself, or each in a group)."""
    if area.kind not in {"municipality", "group"}:
        return []
    codes = area.key.split("+")
    return list(Finding.objects.filter(municipality_id__in=codes).select_related("municipality"))

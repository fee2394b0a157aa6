"""Readers for the classification files in `reference/data/` (see PROVENANCE.md there).

Pure functions: files in, plain records out. Loading into the database is `services.py`'s job.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("fi", "sv", "en")
MUNICIPALITIES_VALID_FROM = datetime.date(2025, 1, 1)

# "azeri, aiemmin myös: azerbaidžani*" -> "azeri": the classification's notes are not part of the name.
_NAME_NOTE = re.compile(r"[,;]\s*(aiemmin|myös)\b.*$")


class ReferenceDataError(ValueError):
    """A classification file is missing, malformed or inconsistent; the message names where."""


@dataclass(frozen=True)
class Named:
    code: str
    names: dict[str, str]


@dataclass(frozen=True)
class CountyRecord(Named):
    region_code: str
    source_code: str
    is_city: bool = False
    city_municipality: str = ""


@dataclass(frozen=True)
class MunicipalityRecord(Named):
    region_code: str
    county_code: str | None
    valid_from: datetime.date | None = MUNICIPALITIES_VALID_FROM
    valid_to: datetime.date | None = None
    successor_code: str | None = None


@dataclass(frozen=True)
class LanguageRecord(Named):
    iso639_3: str = ""
    native_name: str = ""
    classification_name_fi: str = ""


@dataclass(frozen=True)
class ProvisionRecord:
    act_number: str
    section: str
    titles: dict[str, str]
    valid_from: datetime.date
    valid_to: datetime.date | None
    url: str


@dataclass
class ReferenceData:
    regions: list[Named] = field(default_factory=list)
    counties: list[CountyRecord] = field(default_factory=list)
    municipalities: list[MunicipalityRecord] = field(default_factory=list)
    languages: list[LanguageRecord] = field(default_factory=list)
    countries: list[Named] = field(default_factory=list)
    provisions: list[ProvisionRecord] = field(default_factory=list)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReferenceDataError(f"{path.name}: file not found") from error
    except json.JSONDecodeError as error:
        raise ReferenceDataError(f"{path.name}: line {error.lineno}: {error.msg}") from error


def read_classification(stem: str, data_dir: Path = DATA_DIR) -> list[Named]:
    """Merge one classification's fi/sv/en API responses into records with names in all three."""
    by_code: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for language in LANGUAGES:
        path = data_dir / f"{stem}_{language}.json"
        items = _read_json(path)
        if not isinstance(items, list):
            raise ReferenceDataError(f"{path.name}: expected a list of classification items")
        for position, item in enumerate(items, start=1):
            try:
                code = str(item["code"])
                name = str(item["classificationItemNames"][0]["name"]).strip()
            except (KeyError, IndexError, TypeError) as error:
                raise ReferenceDataError(f"{path.name}: item {position}: missing {error}") from error
            if code not in by_code:
                by_code[code] = {}
                order.append(code)
            by_code[code][language] = name
    incomplete = [code for code in order if set(by_code[code]) != set(LANGUAGES)]
    if incomplete:
        raise ReferenceDataError(f"{stem}: no name in every language for codes {', '.join(incomplete)}")
    return [Named(code=code, names=by_code[code]) for code in order]


def clean_language_name(name: str) -> str:
    """Drop the classification's trailing '*' and 'aiemmin: …' notes from a language name."""
    return _NAME_NOTE.sub("", name.rstrip("*").strip()).strip()


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _county_table(data_dir: Path) -> dict[str, Any]:
    return _read_json(data_dir / "wellbeing_counties.json")


def read_counties(data_dir: Path = DATA_DIR) -> list[CountyRecord]:
    table = _county_table(data_dir)
    return [
        CountyRecord(
            code=row["code"],
            names={language: row[language] for language in LANGUAGES},
            region_code=row["region"],
            source_code=row.get("source_code", ""),
            is_city=bool(row.get("is_city", False)),
            city_municipality=row.get("municipality", ""),
        )
        for row in table["counties"]
    ]


def read_map_municipalities(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Municipality code -> properties from Yle's 2021 TopoJSON map (names and county letter)."""
    topology = _read_json(data_dir / "yle_finland-hva-2021.topo.json")
    try:
        geometries = topology["objects"]["munis"]["geometries"]
    except KeyError as error:
        raise ReferenceDataError(f"yle_finland-hva-2021.topo.json: missing layer {error}") from error
    return {str(g["properties"]["id"]).zfill(3): g["properties"] for g in geometries}


def read_municipalities(data_dir: Path = DATA_DIR) -> list[MunicipalityRecord]:
    """The 2025 municipalities, each with its region and county organiser, plus abolished ones.

    The classification files carry no region, so each municipality's county comes from Yle's
    2021 map (the only municipality -> county source found) and its region from the county.
    Helsinki organises the services itself; Åland's municipalities (empty letter) have none.
    """
    table = _county_table(data_dir)
    counties = read_counties(data_dir)
    county_by_letter = {c.source_code: c for c in counties if c.source_code}
    city_county = {c.city_municipality: c for c in counties if c.is_city}
    map_rows = read_map_municipalities(data_dir)
    aland_region = table["aland_region"]

    def area_of(code: str) -> tuple[str, str | None]:
        if code in city_county:
            county = city_county[code]
            return county.region_code, county.code
        row = map_rows.get(code)
        if row is None:
            raise ReferenceDataError(f"yle_finland-hva-2021.topo.json: municipality {code} is not on the map")
        letter = row.get("hva_id") or ""
        if not letter:
            return aland_region, None
        if letter not in county_by_letter:
            raise ReferenceDataError(f"wellbeing_counties.json: no county with source_code {letter!r}")
        county = county_by_letter[letter]
        return county.region_code, county.code

    records = []
    for item in read_classification("kunta_2025", data_dir):
        region_code, county_code = area_of(item.code)
        records.append(
            MunicipalityRecord(
                code=item.code, names=item.names, region_code=region_code, county_code=county_code
            )
        )
    for row in table["abolished_municipalities"]:
        region_code, county_code = area_of(row["code"])
        records.append(
            MunicipalityRecord(
                code=row["code"],
                names={language: row[language] for language in LANGUAGES},
                region_code=region_code,
                county_code=county_code,
                valid_from=None,
                valid_to=_date(row["valid_to"]),
                successor_code=row["successor"],
            )
        )
    return records


def _babel_name(code: str, language: str) -> str:
    try:
        return Locale.parse(language).languages.get(code, "")
    except (UnknownLocaleError, ValueError):
        return ""


def _native_name(code: str) -> str:
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return ""
    return locale.get_display_name(locale) or ""


def read_languages(data_dir: Path = DATA_DIR) -> list[LanguageRecord]:
    import pycountry

    records: list[LanguageRecord] = []
    for item in read_classification("kieli_2010_iso639-1", data_dir):
        iso = pycountry.languages.get(alpha_2=item.code)
        records.append(
            LanguageRecord(
                code=item.code,
                names={language: clean_language_name(name) for language, name in item.names.items()},
                iso639_3=getattr(iso, "alpha_3", "") if iso else "",
                native_name=_native_name(item.code),
                classification_name_fi=item.names["fi"],
            )
        )
    known = {record.code for record in records}
    for row in _read_json(data_dir / "extra_languages.json")["languages"]:
        code = row["code"]
        if code in known:
            raise ReferenceDataError(f"extra_languages.json: {code} is already in the classification")
        iso = pycountry.languages.get(alpha_3=code)
        fallback = getattr(iso, "name", "") if iso else ""
        names = {
            language: row.get(language) or _babel_name(code, language) or row.get("en") or fallback
            for language in LANGUAGES
        }
        if not all(names.values()):
            raise ReferenceDataError(f"extra_languages.json: no name found for {code}")
        records.append(LanguageRecord(code=code, names=names, iso639_3=code, native_name=_native_name(code)))
    return records


def read_provisions(data_dir: Path = DATA_DIR) -> list[ProvisionRecord]:
    rows = _read_json(data_dir / "legal_provisions.json")["provisions"]
    return [
        ProvisionRecord(
            act_number=row["act"],
            section=row.get("section", ""),
            titles={language: row[language] for language in LANGUAGES},
            valid_from=datetime.date.fromisoformat(row["valid_from"]),
            valid_to=_date(row.get("valid_to")),
            url=row.get("url", ""),
        )
        for row in rows
    ]


def read_all(data_dir: Path = DATA_DIR) -> ReferenceData:
    data = ReferenceData(
        regions=read_classification("maakunta_2025", data_dir),
        counties=read_counties(data_dir),
        municipalities=read_municipalities(data_dir),
        languages=read_languages(data_dir),
        countries=read_classification("valtio_2012_iso3166-1", data_dir),
        provisions=read_provisions(data_dir),
    )
    check_consistency(data)
    return data


def check_consistency(data: ReferenceData) -> None:
    """Every code that one record points at must exist; the message names the file to fix."""
    region_codes = {region.code for region in data.regions}
    county_codes = {county.code for county in data.counties}
    municipality_codes = {municipality.code for municipality in data.municipalities}
    for county in data.counties:
        if county.region_code not in region_codes:
            raise ReferenceDataError(
                f"wellbeing_counties.json: county {county.code} names unknown region {county.region_code}"
            )
    for municipality in data.municipalities:
        if municipality.region_code not in region_codes:
            raise ReferenceDataError(
                f"wellbeing_counties.json: municipality {municipality.code} falls in unknown region "
                f"{municipality.region_code}"
            )
        if municipality.county_code and municipality.county_code not in county_codes:
            raise ReferenceDataError(
                f"wellbeing_counties.json: municipality {municipality.code} names unknown county "
                f"{municipality.county_code}"
            )
        if municipality.successor_code and municipality.successor_code not in municipality_codes:
            raise ReferenceDataError(
                f"wellbeing_counties.json: municipality {municipality.code} names unknown successor "
                f"{municipality.successor_code}"
            )

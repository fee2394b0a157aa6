"""Test data for the situation picture, built directly with the ORM:
Dataset → DatasetVersion (current) → Dimension/DimensionValue → Observation."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from kotoverkko.situation.models import (
    Dataset,
    DatasetVersion,
    Dimension,
    DimensionRole,
    DimensionValue,
    Finding,
    FindingQuestion,
    Observation,
    value_columns,
)

LANGUAGES = ("fi", "sv", "ru", "et", "ar", "so", "en", "other", "total")
SEXES = ("SSS", "1", "2")
DEMO_AREAS = ("KU049", "KU235", "KU257", "MK01", "SSS")
ValueFunction = Callable[[dict[str, str]], Decimal | int | None]


def _area_code(code: str) -> str:
    return code[2:] if code.startswith("KU") else code


def _period(code: str) -> datetime.date | None:
    if len(code) >= 4 and code[:4].isdigit():
        month = int(code[5:7]) if len(code) >= 7 and code[4] == "M" else 1
        return datetime.date(int(code[:4]), month, 1)
    return None


def dataset(
    table_id: str,
    dimensions: Sequence[tuple[str, str, Sequence[str]]],
    value: ValueFunction,
    *,
    source: str = "test",
    is_synthetic: bool = False,
    current: bool = True,
    dataset_obj: Dataset | None = None,
    labels: Mapping[str, Mapping[str, dict[str, str]]] | None = None,
    last_updated: datetime.datetime | None = None,
) -> DatasetVersion:
    """A dataset version with every combination of the dimensions' values; `value(codes)` gives
    a cell's number, or None for a suppressed cell ("..")."""
    labels = labels or {}
    if dataset_obj is None:
        dataset_obj = Dataset.objects.create(
            source=source,
            table_id=table_id,
            title={"fi": f"Taulu {table_id}", "en": f"Table {table_id}"},
            attribution={
                "fi": "Lähde: Tilastokeskus",
                "sv": "Källa: Statistikcentralen",
                "en": "Source: Statistics Finland",
            },
            is_synthetic=is_synthetic,
        )
    if current:
        DatasetVersion.objects.filter(dataset=dataset_obj, is_current=True).update(is_current=False)
    version = DatasetVersion.objects.create(
        dataset=dataset_obj,
        is_current=current,
        last_updated=last_updated or datetime.datetime(2024, 4, 26, 8, 0, tzinfo=datetime.UTC),
    )
    for position, (code, role, values) in enumerate(dimensions):
        dimension = Dimension.objects.create(
            version=version, code=code, labels={"fi": code, "en": code}, position=position, role=role
        )
        DimensionValue.objects.bulk_create(
            DimensionValue(
                dimension=dimension,
                code=value_code,
                labels=dict(labels.get(code, {}).get(value_code, {"fi": value_code})),
                position=index,
                period_start=_period(value_code) if role == DimensionRole.TIME else None,
                is_country=value_code == "SSS" and role == DimensionRole.AREA,
            )
            for index, value_code in enumerate(values)
        )
    names = [code for code, _role, _values in dimensions]
    roles = [role for _code, role, _values in dimensions]
    columns = value_columns(roles)
    positions = [{code: index for index, code in enumerate(values)} for _code, _role, values in dimensions]
    observations = []
    for combination in itertools.product(*(values for _code, _role, values in dimensions)):
        codes = dict(zip(names, combination, strict=True))
        number = value(codes)
        area = next((c for c, r in zip(combination, roles, strict=True) if r == DimensionRole.AREA), "")
        time = next((c for c, r in zip(combination, roles, strict=True) if r == DimensionRole.TIME), "")
        observations.append(
            Observation(
                version=version,
                key="|".join(combination),
                area_code=_area_code(area),
                period_start=_period(time),
                value=None if number is None else Decimal(number),
                missing=".." if number is None else "",
                **{column: positions[index][combination[index]] for index, column in columns.items()},
            )
        )
    Observation.objects.bulk_create(observations, batch_size=2000)
    version.cell_count = len(observations)
    version.save(update_fields=["cell_count"])
    return version


def language_dataset(
    value: ValueFunction,
    *,
    areas: Sequence[str] = DEMO_AREAS,
    years: Sequence[int] = range(2015, 2025),
    languages: Sequence[str] = LANGUAGES,
    table_id: str = "lang-demo",
    is_synthetic: bool = True,
    **kwargs,
) -> DatasetVersion:
    return dataset(
        table_id,
        [
            ("area", DimensionRole.AREA, list(areas)),
            ("year", DimensionRole.TIME, [str(year) for year in years]),
            ("language", DimensionRole.OTHER, list(languages)),
            ("sex", DimensionRole.OTHER, list(SEXES)),
        ],
        value,
        is_synthetic=is_synthetic,
        labels={"language": {"ru": {"fi": "venäjä", "sv": "ryska", "en": "Russian"}}},
        **kwargs,
    )


BASE = {"fi": 800, "sv": 50, "ru": 40, "et": 30, "ar": 20, "so": 10, "en": 8, "other": 12}
AREA_FACTOR = {"KU049": 10, "KU235": 1, "KU257": 2, "MK01": 100, "SSS": 300}


def demo_value(codes: dict[str, str]) -> int:
    """A consistent made-up table: totals are the sums, men and women split 1:1 (even numbers)."""
    factor = AREA_FACTOR.get(codes["area"], 1)
    year = int(codes["year"]) - 2015
    languages = BASE if codes["language"] == "total" else {codes["language"]: BASE[codes["language"]]}
    count = 0
    for language, base in languages.items():
        grow = 0 if language in {"fi", "sv"} else year * 2
        count += (base + grow) * factor * 2
    return count if codes["sex"] == "SSS" else count // 2


def demo_languages(**kwargs) -> DatasetVersion:
    return language_dataset(demo_value, **kwargs)


def population_dataset(value: ValueFunction | None = None, **kwargs) -> DatasetVersion:
    """Like 11rc: year × sex × age × information, the whole country, no area dimension."""
    ages = ["SSS", "0-4", "5-9", "10-14", "15-64", "65-"]

    def default(codes: dict[str, str]) -> int:
        if codes["Ikä"] == "SSS":
            return sum(default({**codes, "Ikä": age}) for age in ages[1:])
        if codes["Sukupuoli"] == "SSS":
            return sum(default({**codes, "Sukupuoli": sex}) for sex in ("1", "2"))
        return (ages.index(codes["Ikä"]) * 100) + (10 if codes["Sukupuoli"] == "1" else 20)

    return dataset(
        "statfin_vaerak_pxt_11rc",
        [
            ("Vuosi", DimensionRole.TIME, ["2022", "2023"]),
            ("Sukupuoli", DimensionRole.OTHER, ["SSS", "1", "2"]),
            ("Ikä", DimensionRole.OTHER, ages),
            ("Tiedot", DimensionRole.CONTENT, ["vaesto"]),
        ],
        value or default,
        source="statfin",
        **kwargs,
    )


def jobseekers_dataset(**kwargs) -> DatasetVersion:
    return dataset(
        "jobseekers-demo",
        [
            ("area", DimensionRole.AREA, ["KU049", "KU235", "KU257"]),
            ("month", DimensionRole.TIME, ["2024M01", "2024M02", "2024M03"]),
            ("Tiedot", DimensionRole.CONTENT, ["TYOTTOMAT", "TYOTTOMATULK"]),
        ],
        lambda codes: None if codes["area"] == "KU235" else (7 if codes["Tiedot"] == "TYOTTOMATULK" else 70),
        is_synthetic=True,
        **kwargs,
    )


def finding(municipality_code: str, organisation, **fields) -> Finding:
    values = {
        "question": FindingQuestion.WHO,
        "text": {
            "fi": "Kielikahvilassa käy paljon ukrainankielisiä.",
            "en": "Many Ukrainian speakers visit.",
        },
        "source": "Kielikahvilan kävijäkirjanpito",
        "observed_on": datetime.date(2024, 5, 1),
        **fields,
    }
    return Finding.objects.create(municipality_id=municipality_code, organisation=organisation, **values)

"""selectors.collect: the sums run in the database over the value columns; tables with more
dimensions than columns are read through the keys. Both give the same numbers, suppression kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotoverkko.situation import indicators, selectors
from kotoverkko.situation.models import DimensionRole
from kotoverkko.situation.tests import factories

pytestmark = pytest.mark.django_db


def _value(codes: dict[str, str]) -> int | None:
    return None if codes["area"] == "KU235" and codes["language"] in {"so", "ar"} else 10


def _source(table_id: str) -> selectors.Source:
    return next(source for source in selectors.current_sources() if source.dataset.table_id == table_id)


def test_collect__columns_and_keys__same_amounts(monkeypatch):
    factories.language_dataset(_value)
    source = _source("lang-demo")
    areas = [selectors.area_get(key) for key in ("049+235", "MK01", "SSS")]
    buckets = {"language": {"foreign": ["ru", "et", "ar", "so", "en", "other"], "total": ["total"]}}
    cases = [
        (("time", "language"), {}, buckets),
        (("language",), {"time": "2024"}, None),
        (("sex",), {"time": "2020"}, {"language": {"foreign": ["ar", "so"]}}),
    ]
    for keep, fixed, groups in cases:
        by_columns = selectors.collect(source, areas, keep, fixed, buckets=groups)
        monkeypatch.setattr(selectors, "_rows_by_columns", selectors._rows_by_keys)
        by_keys = selectors.collect(source, areas, keep, fixed, buckets=groups)
        monkeypatch.undo()
        assert by_columns == by_keys
    sexes = selectors.collect(source, areas[:1], ("sex",), {"time": "2020"}, buckets=cases[2][2])["049+235"]
    # Espoo's two languages are known, Kauniainen's two suppressed: "at least" 20, two left out.
    assert sexes[("1",)] == indicators.Amount(Decimal(20), 2)


def test_language_picture__table_with_more_dimensions_than_columns__read_by_keys():
    extra = [(f"extra{i}", DimensionRole.OTHER, ["SSS"]) for i in range(4)]
    factories.dataset(
        "wide",
        [
            ("area", DimensionRole.AREA, ["KU049"]),
            ("year", DimensionRole.TIME, ["2023", "2024"]),
            ("language", DimensionRole.OTHER, ["total", "fi", "sv", "ru"]),
            ("sex", DimensionRole.OTHER, ["SSS", "1", "2"]),
            *extra,
        ],
        lambda codes: {"total": 100, "fi": 80, "sv": 10, "ru": 10}[codes["language"]],
    )
    source = _source("wide")
    assert len(source.dimensions) - 1 > len(source.columns)
    picture = selectors.situation_picture(selectors.area_get("049"))
    latest = picture.languages[0].latest
    assert (latest.foreign, latest.population) == (
        indicators.Amount(Decimal(10)),
        indicators.Amount(Decimal(100)),
    )


def test_migration_0003__rows_without_value_columns__filled_from_keys():
    import importlib

    from django.apps import apps

    from kotoverkko.situation.models import VALUE_COLUMNS, Observation

    migration = importlib.import_module("kotoverkko.situation.migrations.0003_cell_columns_staged_versions")
    factories.demo_languages()
    expected = list(Observation.objects.order_by("pk").values_list(*VALUE_COLUMNS))
    Observation.objects.update(**dict.fromkeys(VALUE_COLUMNS))
    migration.fill_value_columns(apps, None)
    assert list(Observation.objects.order_by("pk").values_list(*VALUE_COLUMNS)) == expected
    assert expected[0][:3] != (None, None, None)

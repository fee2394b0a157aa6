"""Importing statistics tables: the real StatFin files, versions, atomicity of a failed import, the demo."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.situation import demo, services
from kotoverkko.situation.models import (
    Dataset,
    DatasetVersion,
    Dimension,
    DimensionRole,
    DimensionValue,
    Observation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English source texts (other tests cover fi and sv)."""
    translation.activate("en")
    yield
    translation.activate("fi")


DATA = Path(__file__).resolve().parents[1] / "data"
POPULATION = DATA / "statfin_px" / "statfin_vaerak_pxt_11rc.px"
ECKERO = DATA / "statfin_px" / "statfin_tyonv_eckero.px"
PAAVO = DATA / "statfin_pxweb_csv" / "paavo_12f7_2023_helsinki_region_all.csv"


def _import(path: Path, **options) -> DatasetVersion:
    with path.open("rb") as stream:
        return services.import_file(
            stream=stream,
            file_name=path.name,
            source="statfin",
            table_id=options.pop("table_id", ""),
            actor=None,
            **options,
        )


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Dataset.objects.count(),
        DatasetVersion.objects.count(),
        Dimension.objects.count(),
        DimensionValue.objects.count(),
        Observation.objects.count(),
    )


def test_import_file__population_11rc__all_cells_labels_and_country():
    version = _import(POPULATION)
    assert version.cell_count == 9063
    assert version.observations.count() == 9063
    assert version.is_current
    dataset = version.dataset
    assert dataset.table_id == "statfin_vaerak_pxt_11rc"
    assert set(dataset.title) == {"fi", "sv", "en"}
    assert dataset.attribution["fi"] == "Lähde: Tilastokeskus"
    sex = version.dimensions.get(code="Sukupuoli")
    assert sex.labels == {"fi": "Sukupuoli", "sv": "Kön", "en": "Sex"}
    assert sex.values.get(code="SSS").labels["sv"] == "Totalt"
    year = version.dimensions.get(code="Vuosi")
    assert year.role == DimensionRole.TIME
    assert year.values.get(code="2023").period_start.isoformat() == "2023-01-01"
    assert version.dimensions.get(code="Tiedot").role == DimensionRole.CONTENT
    total_2023 = version.observations.get(key="2023|SSS|SSS|vaesto")
    males, females = (version.observations.get(key=f"2023|{sex}|SSS|vaesto").value for sex in ("1", "2"))
    assert total_2023.value == males + females
    assert total_2023.period_start.isoformat() == "2023-01-01"


def test_import_file__eckero__missing_cells_are_null_and_area_joined():
    version = _import(ECKERO)
    assert version.cell_count == 253
    missing = version.observations.filter(missing="...")
    assert missing.count() == 61
    assert not missing.exclude(value=None).exists()
    assert not version.observations.filter(value=Decimal(0), missing="...").exists()
    area = version.dimensions.get(code="Alue")
    assert area.role == DimensionRole.AREA
    value = area.values.get(code="KU043")
    assert value.municipality_id == "043"
    assert set(version.observations.values_list("area_code", flat=True)) == {"043"}
    assert version.observations.filter(period_start__month=11).count() == 23


def test_import_file__paavo_csv__imports():
    version = _import(PAAVO, language="en")
    assert version.cell_count == 84 * 107
    assert version.dataset.table_id == "12f7"
    assert version.dimensions.get(code="time").role == DimensionRole.TIME
    # CSV labels serve as codes: even the longest is stored whole, not cut and hashed.
    values = version.dimensions.get(code="Information").values.all()
    long_label = max(values, key=lambda value: len(value.code))
    assert len(long_label.code) > 100
    assert "~" not in long_label.code
    assert long_label.code == long_label.labels["en"]
    assert version.observations.filter(key__contains=long_label.code).count() == 84


def test_dataset_import__second_import__new_current_version_old_kept():
    first = _import(ECKERO)
    second = _import(ECKERO)
    first.refresh_from_db()
    assert first.dataset_id == second.dataset_id
    assert second.is_current
    assert not first.is_current
    assert DatasetVersion.objects.filter(dataset=first.dataset).count() == 2
    assert first.observations.count() == 253


def test_dataset_import__records_audit_event():
    version = _import(ECKERO)
    event = AuditEvent.objects.get(action="dataset.imported")
    assert event.object_id == str(version.pk)
    assert event.changes["cells"] == 253


def test_dataset_import__abolished_municipality__joined():
    raw = ECKERO.read_bytes().replace(b'"KU043"', b'"KU588"')
    version = services.import_file(
        stream=io.BytesIO(raw), file_name="x.px", source="t", table_id="x", actor=None
    )
    assert version.dimensions.get(role=DimensionRole.AREA).values.get().municipality_id == "588"
    assert set(version.observations.values_list("area_code", flat=True)) == {"588"}


def _malformed(raw: bytes) -> ApplicationError:
    before = _counts()
    with pytest.raises(ApplicationError) as caught:
        services.import_file(
            stream=io.BytesIO(raw), file_name="broken.px", source="statfin", table_id="", actor=None
        )
    assert _counts() == before
    return caught.value


def test_import_file__truncated_px__refused_nothing_saved():
    _import(ECKERO)  # an earlier version must stay current and untouched
    raw = POPULATION.read_bytes()
    error = _malformed(raw[: len(raw) * 2 // 3])
    assert "Line" in error.message
    assert "DATA" in error.message
    assert DatasetVersion.objects.filter(is_current=True).count() == 1


def test_import_file__wrong_cell_count__refused_with_line_nothing_saved():
    raw = POPULATION.read_bytes()
    data = raw.index(b"DATA=")
    end = raw.index(b";", data)
    # Drop the last number of the data block: the block is one cell short.
    cut = raw.rindex(b" ", data, end)
    error = _malformed(raw[:cut] + raw[end:])
    assert "Line" in error.message


def test_import_file__cell_fault_mid_stream__rolls_back_existing_dataset():
    _import(POPULATION)
    before = _counts()
    raw = POPULATION.read_bytes()
    data = raw.index(b"DATA=")
    middle = raw.index(b" ", data + (len(raw) - data) // 2)
    broken = raw[:middle] + b" xyz" + raw[middle + 1 :]
    with pytest.raises(ApplicationError) as caught:
        services.import_file(
            stream=io.BytesIO(broken), file_name="b.px", source="statfin", table_id="", actor=None
        )
    assert "Line" in caught.value.message
    assert _counts() == before


def test_import_file__not_a_table__refused():
    with pytest.raises(ApplicationError):
        services.import_file(
            stream=io.BytesIO(b"\x00\x01hello"), file_name="x.bin", source="s", table_id="", actor=None
        )


def test_load_demo__twice__idempotent():
    first = demo.load_demo()
    counts = _counts()
    assert first == 8
    assert demo.load_demo() == 0
    assert _counts() == counts


def test_load_demo__synthetic_population__labelled_and_consistent():
    demo.load_demo()
    dataset = Dataset.objects.get(source="demo", table_id="lang-demo")
    assert dataset.is_synthetic
    assert dataset.title["en"] == "Population by language, area, sex and year (synthetic demo data)"
    version = dataset.versions.get(is_current=True)
    assert version.cell_count == 5 * 10 * 14 * 3
    cells = {obs.key: obs for obs in version.observations.all()}
    languages = [code for code in demo.LANGUAGE_CODES if code != "total"]
    for area in ("KU049", "KU257", "MK01", "SSS"):
        for year in range(2015, 2025):
            for sex in ("SSS", "1", "2"):
                parts = [cells[f"{area}|{year}|{lang}|{sex}"].value for lang in languages]
                assert sum(parts) == cells[f"{area}|{year}|total|{sex}"].value
            for lang in demo.LANGUAGE_CODES:
                total, males, females = (cells[f"{area}|{year}|{lang}|{s}"].value for s in ("SSS", "1", "2"))
                assert males + females == total
    espoo = {
        year: 1
        - (cells[f"KU049|{year}|fi|SSS"].value + cells[f"KU049|{year}|sv|SSS"].value)
        / cells[f"KU049|{year}|total|SSS"].value
        for year in (2015, 2024)
    }
    assert Decimal("0.07") < espoo[2015] < Decimal("0.09") < Decimal("0.13") < espoo[2024] < Decimal("0.15")
    suppressed = version.observations.filter(area_code="235", missing="..")
    assert suppressed.exists()
    assert not suppressed.exclude(value=None).exists()
    assert not version.observations.filter(area_code="235", value__lt=5).exists()
    assert version.observations.filter(area_code="MK01").exists()
    area = version.dimensions.get(role=DimensionRole.AREA)
    assert area.values.get(code="MK01").region_id == "01"
    assert area.values.get(code="SSS").is_country


def test_load_demo__synthetic_jobseekers__monthly():
    demo.load_demo()
    version = DatasetVersion.objects.get(dataset__table_id="jobseekers-demo", is_current=True)
    assert version.dataset.is_synthetic
    assert version.cell_count == 5 * 24 * 4
    assert (
        version.observations.filter(area_code="049", period_start__year=2024, period_start__month=12).count()
        == 4
    )

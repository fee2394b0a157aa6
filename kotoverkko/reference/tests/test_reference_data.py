"""The reference data as loaded from `reference/data/` (conftest loads it into every test database)."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.db.models import F

from kotoverkko.reference import sources
from kotoverkko.reference.models import (
    Country,
    Language,
    LegalProvision,
    Municipality,
    Region,
    WellbeingCounty,
)
from kotoverkko.reference.services import reference_data_load
from kotoverkko.reference.sources import ReferenceDataError

pytestmark = pytest.mark.django_db

NEW_YEAR_2025 = datetime.date(2025, 1, 1)
ALAND = "21"
UUSIMAA = "01"
REFERENCE_MODELS = (Region, WellbeingCounty, Municipality, Language, Country, LegalProvision)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped data directory (the originals are read-only)."""
    target = tmp_path / "data"
    shutil.copytree(sources.DATA_DIR, target, copy_function=shutil.copyfile)
    return target


def _edit_json(path: Path, edit) -> None:
    content = json.loads(path.read_text(encoding="utf-8"))
    edit(content)
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def _rename_region_01(data_dir: Path) -> None:
    def edit(items: list[dict]) -> None:
        for item in items:
            if item["code"] == UUSIMAA:
                item["classificationItemNames"][0]["name"] = "Renamed"

    _edit_json(data_dir / "maakunta_2025_fi.json", edit)


def _set_successor(data_dir: Path, successor: str) -> None:
    def edit(table: dict) -> None:
        table["abolished_municipalities"][0]["successor"] = successor

    _edit_json(data_dir / "wellbeing_counties.json", edit)


# --- Municipalities ----------------------------------------------------------------------------


def test_municipalities__valid_on_2025_01_01__308():
    assert Municipality.objects.valid_on(NEW_YEAR_2025).count() == 308


def test_municipality_codes__leading_zeros__kept_as_three_character_strings():
    codes = list(Municipality.objects.values_list("code", flat=True))

    assert all(isinstance(code, str) and len(code) == 3 and code.isdigit() for code in codes)
    assert "005" in codes
    assert not Municipality.objects.filter(code="5").exists()


def test_municipality_091__names__helsinki_helsingfors_helsinki():
    helsinki = Municipality.objects.get(code="091")

    assert (helsinki.name_fi, helsinki.name_sv, helsinki.name_en) == ("Helsinki", "Helsingfors", "Helsinki")


def test_municipality_478__finnish_name__keeps_bilingual_official_form():
    assert Municipality.objects.get(code="478").name_fi == "Maarianhamina - Mariehamn"


def test_municipalities__swedish_names__at_least_114_differ_from_finnish():
    current = Municipality.objects.valid_on(NEW_YEAR_2025)

    assert current.exclude(name_sv=F("name_fi")).count() >= 114


def test_municipality_588_pertunmaa__abolished__ends_2024_with_successor_mantyharju():
    pertunmaa = Municipality.objects.get(code="588")

    assert pertunmaa.name_fi == "Pertunmaa"
    assert pertunmaa.valid_to == datetime.date(2024, 12, 31)
    assert pertunmaa.successor_id == "507"
    assert pertunmaa.successor.name_fi == "Mäntyharju"


def test_municipality_588_pertunmaa__valid_on_2025_01_01__not_included():
    assert not Municipality.objects.valid_on(NEW_YEAR_2025).filter(code="588").exists()


def test_municipality_588_pertunmaa__valid_on_2024_12_31__included():
    assert Municipality.objects.valid_on(datetime.date(2024, 12, 31)).filter(code="588").exists()


def test_yle_map__compared_with_2025_classification__only_588_is_extra():
    map_codes = set(sources.read_map_municipalities())
    classification_codes = {item.code for item in sources.read_classification("kunta_2025")}

    assert map_codes - classification_codes == {"588"}


def test_yle_map__compared_with_2025_classification__every_2025_municipality_on_map():
    map_codes = set(sources.read_map_municipalities())
    classification_codes = {item.code for item in sources.read_classification("kunta_2025")}

    assert classification_codes <= map_codes


# --- Regions and wellbeing services counties ---------------------------------------------------


def test_regions__2025_classification__19_with_gaps_at_03_and_20():
    codes = list(Region.objects.values_list("code", flat=True))

    assert len(codes) == 19
    assert "03" not in codes
    assert "20" not in codes
    assert {"01", "19", ALAND} <= set(codes)


def test_mainland_municipalities__county__every_one_has_an_organiser():
    mainland = Municipality.objects.exclude(region_id=ALAND)

    assert mainland.exists()
    assert not mainland.filter(wellbeing_county__isnull=True).exists()


def test_aland_municipalities__county__16_without_organiser():
    aland = Municipality.objects.filter(region_id=ALAND)

    assert aland.count() == 16
    assert not aland.filter(wellbeing_county__isnull=False).exists()


def test_wellbeing_counties__organisers__21_counties_and_helsinki_as_city():
    assert WellbeingCounty.objects.count() == 22
    assert WellbeingCounty.objects.filter(is_city=False).count() == 21
    city = WellbeingCounty.objects.get(is_city=True)
    assert list(city.municipalities.values_list("code", flat=True)) == ["091"]


def test_uusimaa__organisers__split_into_exactly_five():
    organisers = WellbeingCounty.objects.filter(municipalities__region_id=UUSIMAA).distinct()

    assert sorted(organisers.values_list("name_fi", flat=True)) == [
        "Helsingin kaupunki",
        "Itä-Uudenmaan hyvinvointialue",
        "Keski-Uudenmaan hyvinvointialue",
        "Länsi-Uudenmaan hyvinvointialue",
        "Vantaan ja Keravan hyvinvointialue",
    ]


def test_wellbeing_counties__outside_uusimaa__municipalities_all_in_county_region():
    for county in WellbeingCounty.objects.exclude(region_id=UUSIMAA):
        regions = set(county.municipalities.values_list("region_id", flat=True))
        assert regions == {county.region_id}, county.name_fi


def test_wellbeing_counties__outside_uusimaa__one_per_region():
    counties = WellbeingCounty.objects.exclude(region_id=UUSIMAA)
    region_ids = list(counties.values_list("region_id", flat=True))

    assert len(region_ids) == len(set(region_ids)) == 17


@pytest.mark.parametrize(
    ("municipality", "county_fi"),
    [
        ("049", "Länsi-Uudenmaan hyvinvointialue"),  # Espoo
        ("235", "Länsi-Uudenmaan hyvinvointialue"),  # Kauniainen
        ("257", "Länsi-Uudenmaan hyvinvointialue"),  # Kirkkonummi
        ("092", "Vantaan ja Keravan hyvinvointialue"),  # Vantaa
        ("245", "Vantaan ja Keravan hyvinvointialue"),  # Kerava
        ("186", "Keski-Uudenmaan hyvinvointialue"),  # Järvenpää
        ("638", "Itä-Uudenmaan hyvinvointialue"),  # Porvoo
        ("091", "Helsingin kaupunki"),
        ("837", "Pirkanmaan hyvinvointialue"),  # Tampere
        ("698", "Lapin hyvinvointialue"),  # Rovaniemi
    ],
)
def test_municipality__known_organiser__mapped_to_that_county(municipality, county_fi):
    assert Municipality.objects.get(code=municipality).wellbeing_county.name_fi == county_fi


# --- Languages and countries -------------------------------------------------------------------


def test_language_so__names__somali_in_three_languages():
    somali = Language.objects.get(code="so")

    assert (somali.name_fi, somali.name_sv, somali.name_en) == ("somali", "somaliska", "Somali")


def test_languages__classification_notes__stripped_from_every_name():
    for language in Language.objects.all():
        for name in (language.name_fi, language.name_sv, language.name_en):
            assert not name.endswith("*"), language.code
            assert "aiemmin" not in name, language.code


def test_language_az__finnish_name__cleaned_but_classification_name_kept():
    azeri = Language.objects.get(code="az")

    assert azeri.name_fi == "azeri"
    assert azeri.classification_name_fi == "azeri, aiemmin myös: azerbaidžani*"


@pytest.mark.parametrize("code", ["ckb", "kmr", "prs", "fse"])
def test_language_iso639_3_extra__names__present_in_three_languages(code):
    language = Language.objects.get(code=code)

    assert language.iso639_3 == code
    assert language.name_fi
    assert language.name_sv
    assert language.name_en


def test_countries__iso3166_classification__250_including_unknown_and_south_sudan():
    codes = set(Country.objects.values_list("code", flat=True))

    assert len(codes) == 250
    assert {"99", "SS"} <= codes


# --- Legal provisions --------------------------------------------------------------------------


def test_legal_provision_681_2023_45__on_2025_06_01__in_force():
    provision = LegalProvision.objects.get(act_number="681/2023", section="45 §")

    assert provision.is_in_force(datetime.date(2025, 6, 1))


def test_legal_provision_1386_2010__after_repeal__not_in_force():
    repealed = LegalProvision.objects.get(act_number="1386/2010")

    assert not repealed.is_in_force(datetime.date(2025, 6, 1))


def test_legal_provision_1386_2010__in_2020__in_force():
    repealed = LegalProvision.objects.get(act_number="1386/2010")

    assert repealed.is_in_force(datetime.date(2020, 1, 1))


# --- Loading -----------------------------------------------------------------------------------


def test_reference_data_load__run_again__reports_no_change():
    report = reference_data_load()

    assert report.changed is False, report.summary()


def test_reference_data_load__run_again__keeps_counts():
    before = _counts()

    reference_data_load()

    assert _counts() == before


def test_reference_data_load__municipality_renamed_in_file__updates_only_that_row(data_dir):
    def edit(items: list[dict]) -> None:
        for item in items:
            if item["code"] == "257":
                item["classificationItemNames"][0]["name"] = "Kyrkslätt (renamed)"

    _edit_json(data_dir / "kunta_2025_sv.json", edit)

    report = reference_data_load(data_dir=data_dir)

    # The report is keyed by the models' verbose names in the active language.
    assert report.updated[Municipality._meta.model_name] == 1
    assert sum(report.created.values()) == 0
    assert Municipality.objects.get(code="257").name_sv == "Kyrkslätt (renamed)"


def test_reference_data_load__broken_json__error_names_file(data_dir):
    path = data_dir / "maakunta_2025_sv.json"
    path.write_text(path.read_text(encoding="utf-8")[:-200], encoding="utf-8")

    with pytest.raises(ReferenceDataError, match=r"maakunta_2025_sv\.json"):
        reference_data_load(data_dir=data_dir)


def test_reference_data_load__broken_json__nothing_written(data_dir):
    path = data_dir / "legal_provisions.json"
    path.write_text("{", encoding="utf-8")
    before = _counts()

    with pytest.raises(ReferenceDataError):
        reference_data_load(data_dir=data_dir)

    assert _counts() == before


def test_reference_data_load__missing_file__error_names_file(data_dir):
    (data_dir / "valtio_2012_iso3166-1_en.json").unlink()

    with pytest.raises(ReferenceDataError, match=r"valtio_2012_iso3166-1_en\.json"):
        reference_data_load(data_dir=data_dir)


def test_reference_data_load__county_letter_removed__error_names_file(data_dir):
    def edit(table: dict) -> None:
        for county in table["counties"]:
            if county["source_code"] == "VS":
                county["source_code"] = ""

    _edit_json(data_dir / "wellbeing_counties.json", edit)

    with pytest.raises(ReferenceDataError, match=r"wellbeing_counties\.json.*'VS'"):
        reference_data_load(data_dir=data_dir)


def test_reference_data_load__county_letter_removed__other_changes_not_written(data_dir):
    _rename_region_01(data_dir)

    def edit(table: dict) -> None:
        table["counties"][0]["source_code"] = ""

    _edit_json(data_dir / "wellbeing_counties.json", edit)
    before = _counts()

    with pytest.raises(ReferenceDataError):
        reference_data_load(data_dir=data_dir)

    assert _counts() == before
    assert Region.objects.get(code=UUSIMAA).name_fi == "Uusimaa"


def test_reference_data_load__fails_while_writing__earlier_writes_rolled_back(data_dir):
    # The region is renamed before the unknown successor is found, so this needs the transaction.
    _rename_region_01(data_dir)
    _set_successor(data_dir, "999")

    with pytest.raises((ReferenceDataError, KeyError)):
        reference_data_load(data_dir=data_dir)

    assert Region.objects.get(code=UUSIMAA).name_fi == "Uusimaa"


def test_reference_data_load__unknown_successor__error_names_file(data_dir):
    _set_successor(data_dir, "999")

    with pytest.raises(ReferenceDataError, match=r"wellbeing_counties\.json"):
        reference_data_load(data_dir=data_dir)


def test_reference_data_load__county_in_unknown_region__error_names_file(data_dir):
    def edit(table: dict) -> None:
        table["counties"][0]["region"] = "99"

    _edit_json(data_dir / "wellbeing_counties.json", edit)

    with pytest.raises(ReferenceDataError, match=r"wellbeing_counties\.json"):
        reference_data_load(data_dir=data_dir)

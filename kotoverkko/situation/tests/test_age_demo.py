"""The synthetic age-and-sex demo table: consistent sums, a pyramid for municipalities, real data first."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kotoverkko.situation import demo, selectors
from kotoverkko.situation.indicators import Amount
from kotoverkko.situation.models import Dataset
from kotoverkko.situation.parsers import parse_px

AREAS = ("KU049", "KU235", "KU257", "MK01")


def test_age_px__demo__labelled_areas_and_dimensions():
    table = parse_px(io.BytesIO(demo.age_px()))
    assert table.metadata.title["en"] == "Population by area, age and sex (synthetic demo data)"
    codes = {dimension.code: [value.code for value in dimension.values] for dimension in table.dimensions}
    assert codes["Alue"] == list(AREAS)
    assert codes["Vuosi"] == ["2024"]
    assert codes["Sukupuoli"] == ["SSS", "1", "2"]
    assert codes["Ikä"][0] == "SSS"
    assert codes["Ikä"][1:3] == ["0-4", "5-9"]
    assert codes["Ikä"][-1] == "85-"
    assert codes["Tiedot"] == ["vaesto"]
    assert next(d for d in table.dimensions if d.code == "Tiedot").is_content


def test_age_counts__demo__sexes_and_bands_add_up_to_language_totals():
    counts = demo.age_counts()
    totals = demo.language_totals()
    assert set(counts) == set(AREAS)
    for area, by_age in counts.items():
        total, males, females = by_age["SSS"]
        assert (total, males, females) == totals[(area, 2024)]
        assert males + females == total
        bands = [by_age[band] for band in demo.AGE_BANDS]
        assert sum(band[1] for band in bands) == males
        assert sum(band[2] for band in bands) == females
        assert all(band[0] == band[1] + band[2] for band in bands)


def test_age_px__demo__cells_consistent_and_small_counts_suppressed():
    table = parse_px(io.BytesIO(demo.age_px()))
    cells = {cell.key: cell.value for cell in table.cells()}
    assert len(cells) == len(AREAS) * len(demo.AGE_CODES) * 3
    for area in ("KU049", "KU257", "MK01"):
        for age in demo.AGE_CODES:
            key = (area, "2024", age)
            assert (
                cells[(*key, "SSS", "vaesto")] == cells[(*key, "1", "vaesto")] + cells[(*key, "2", "vaesto")]
            )
        for sex in ("SSS", "1", "2"):
            bands = [cells[(area, "2024", band, sex, "vaesto")] for band in demo.AGE_BANDS]
            assert sum(bands) == cells[(area, "2024", "SSS", sex, "vaesto")]
    small = [value for key, value in cells.items() if key[0] == "KU235"]
    assert all(value is None or value >= demo.SUPPRESS_BELOW for value in small)


# --- the pictures and the page ----------------------------------------------------------------------


def _url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.django_db
def test_load_demo__age_demo__synthetic_dataset():
    demo.load_demo()
    dataset = Dataset.objects.get(source="demo", table_id="age-demo")
    assert dataset.is_synthetic
    assert dataset.title["en"] == "Population by area, age and sex (synthetic demo data)"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["049", "049+235+257"])
def test_population_picture__municipalities__synthetic_pyramid(key):
    demo.load_demo()
    picture = selectors.situation_picture(selectors.area_get(key))
    assert len(picture.populations) == 1
    part = picture.populations[0]
    assert part.source.dataset.table_id == "age-demo"
    assert part.year == 2024
    assert [row.age for row in part.rows] == demo.AGE_BANDS
    counts = demo.age_counts()
    expected = sum(counts[f"KU{code}"]["SSS"][0] for code in key.split("+"))
    assert part.total == Amount(Decimal(expected))


@pytest.mark.django_db
def test_population_picture__country__real_11rc_not_synthetic():
    demo.load_demo()
    picture = selectors.situation_picture(selectors.area_get("SSS"))
    assert len(picture.populations) == 1
    part = picture.populations[0]
    assert not part.source.dataset.is_synthetic
    assert part.source.dataset.source == "statfin"
    assert "11rc" in part.source.dataset.table_id
    assert part.year == 2023


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["049", "049+235+257"])
def test_area_page__municipalities__pyramid_marked_synthetic(client, key):
    demo.load_demo()
    html = client.get(_url("situation:area", key)).content.decode()
    assert 'id="age-heading"' in html
    section = html.split('id="age-heading"', 1)[1].split("</section>", 1)[0]
    assert "Synthetic demo data — not real statistics" in section
    assert "Population by area, age and sex (synthetic demo data)" in section


@pytest.mark.django_db
def test_area_page__country__pyramid_from_real_data(client):
    demo.load_demo()
    html = client.get(_url("situation:area", "SSS")).content.decode()
    section = html.split('id="age-heading"', 1)[1].split("</section>", 1)[0]
    assert "Synthetic demo data" not in section
    assert "synthetic demo data" not in section

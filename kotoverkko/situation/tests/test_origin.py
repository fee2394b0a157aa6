"""Origin: country of birth, born abroad, the largest countries and country groups, with suppression."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kotoverkko.situation import demo, indicators, selectors
from kotoverkko.situation.indicators import Amount, cell
from kotoverkko.situation.models import DimensionRole
from kotoverkko.situation.parsers import parse_px

from . import factories

D = Decimal
COUNTRIES = ("SSS", "FI", "SE", "RU", "SO", "IQ", "99")


def origin_dataset(value, **kwargs):
    return factories.dataset(
        "origin-demo",
        [
            ("area", DimensionRole.AREA, ["KU049", "KU235", "MK01", "SSS"]),
            ("year", DimensionRole.TIME, ["2023", "2024"]),
            ("Syntymämaa", DimensionRole.OTHER, list(COUNTRIES)),
        ],
        value,
        is_synthetic=True,
        labels={"Syntymämaa": {"RU": {"fi": "Venäjä", "en": "Russia"}}},
        **kwargs,
    )


BASE = {"FI": 900, "SE": 30, "RU": 40, "SO": 3, "IQ": 20, "99": 7}


def origin_value(codes):
    """Totals are the sums; in Kauniainen (KU235) Somalia (3) is suppressed."""
    factor = 10 if codes["area"] == "KU049" else 1
    if codes["Syntymämaa"] == "SSS":
        return sum(BASE.values()) * factor
    if codes["area"] == "KU235" and codes["Syntymämaa"] == "SO":
        return None
    return BASE[codes["Syntymämaa"]] * factor


# --- indicators on hand-made numbers ---------------------------------------------------------------


def test_born_abroad__all_known__sum_without_finland_and_total():
    counts = {"SSS": cell(D(1000)), "FI": cell(D(900)), "SE": cell(D(60)), "99": cell(D(40))}
    assert indicators.born_abroad(counts) == Amount(D(100))


def test_born_abroad__suppressed_cell__at_least_never_derived():
    counts = {"SSS": cell(D(1000)), "FI": cell(D(900)), "SE": cell(D(60)), "SO": cell(None)}
    amount = indicators.born_abroad(counts)
    # Not 100 (the total minus Finland): the suppressed cell stays unknown.
    assert amount == Amount(D(60), suppressed=1)
    assert amount.is_at_least
    assert indicators.share(amount, counts["SSS"]) == indicators.Share(D(6), at_least=True)


def test_top_countries__largest_first_excluding_finland_other_and_suppressed():
    counts = {
        "SSS": cell(D(1000)),
        "FI": cell(D(800)),
        "99": cell(D(90)),
        "RU": cell(D(40)),
        "EE": cell(D(40)),
        "IQ": cell(D(20)),
        "SO": cell(None),
    }
    ranked, hidden = indicators.top_countries(counts, limit=2)
    assert [item.code for item in ranked] == ["EE", "RU"]
    assert hidden == 1


def test_country_groups__mapping_order_and_suppression():
    counts = {
        "SSS": cell(D(1000)),
        "FI": cell(D(800)),
        "SE": cell(D(10)),
        "EE": cell(D(5)),
        "RU": cell(D(40)),
        "SO": cell(None),
        "IQ": cell(D(20)),
        "CN": cell(D(7)),
        "ZZ": cell(D(2)),
        "99": cell(D(3)),
    }
    groups = dict(indicators.country_groups(counts))
    assert list(groups) == ["eu_efta", "other_europe", "africa", "asia", "other"]
    assert groups["eu_efta"] == Amount(D(15))
    assert groups["other_europe"] == Amount(D(40))
    assert groups["africa"].is_suppressed
    assert groups["asia"] == Amount(D(27))
    assert groups["other"] == Amount(D(5))  # unmapped codes and "99"


def test_country_group__finland_and_total__none():
    assert indicators.country_group("FI") is None
    assert indicators.country_group("SSS") is None
    assert indicators.country_group("UA") == "other_europe"


# --- selectors ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_origin_picture__municipality__born_abroad_share_top_and_groups():
    origin_dataset(origin_value)
    source = next(s for s in selectors.current_sources() if s.dataset.table_id == "origin-demo")
    assert source.kind == "origin"
    part = selectors.situation_picture(selectors.area_get("049")).origins[0]
    assert part.year == 2024
    assert part.born_abroad == Amount(D(1000))
    assert part.population == Amount(D(10000))
    assert part.share == indicators.Share(D(10))
    assert [code for code, _label, _a in part.top] == ["RU", "SE", "IQ", "SO"]
    assert part.top[0][1] == "Venäjä"
    assert [group for group, _label, _a in part.groups] == [
        "eu_efta",
        "other_europe",
        "africa",
        "asia",
        "other",
    ]


@pytest.mark.django_db
def test_origin_picture__suppressed_cell__at_least_and_hidden():
    origin_dataset(origin_value)
    part = selectors.situation_picture(selectors.area_get("235")).origins[0]
    assert part.born_abroad == Amount(D(97), suppressed=1)
    assert part.share.at_least
    assert part.top_hidden == 1
    assert "SO" not in [code for code, _l, _a in part.top]
    groups = {group: amount for group, _label, amount in part.groups}
    assert groups["africa"].is_suppressed


@pytest.mark.django_db
def test_origin_picture__group__sum_keeps_suppression():
    origin_dataset(origin_value)
    part = selectors.situation_picture(selectors.area_get("049+235")).origins[0]
    assert part.born_abroad == Amount(D(1000 + 97), suppressed=1)
    assert dict((c, a) for c, _l, a in part.top)["SO"] == Amount(D(30), suppressed=1)


# --- the demo table ---------------------------------------------------------------------------------


def test_origin_px__demo__consistent_totals_and_suppressed_small_counts():
    table = parse_px(io.BytesIO(demo.origin_px()))
    assert table.metadata.title["en"] == "Population by country of birth, area and year (synthetic demo data)"
    cells = {cell.key: cell for cell in table.cells()}
    assert len(cells) == 5 * len(demo.COUNTRY_CODES) * 10
    for area in ("KU049", "KU257", "MK01", "SSS"):
        for year in ("2015", "2024"):
            parts = [cells[(area, code, year)].value for code in demo.COUNTRY_CODES[1:]]
            assert sum(parts) == cells[(area, "SSS", year)].value
    small = [c for key, c in cells.items() if key[0] == "KU235"]
    assert any(c.value is None for c in small)
    assert all(c.value is None or c.value >= demo.SUPPRESS_BELOW for c in small)


# --- the page and the chart routes -------------------------------------------------------------------


def _url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.django_db
def test_area_page__origin__section_chart_and_group_table(client):
    origin_dataset(origin_value)
    html = client.get(_url("situation:area", "049")).content.decode()
    assert 'id="origin-heading"' in html
    assert "Largest countries of birth" in html
    assert "Country groups" in html
    assert "EU and EFTA countries" in html
    assert "Synthetic demo data — not real statistics" in html
    assert _url("situation:chart_csv", "049", "countries") in html
    assert _url("situation:chart_csv", "049", "country-groups") in html


@pytest.mark.django_db
def test_area_page__origin_suppressed__at_least_shown(client):
    origin_dataset(origin_value)
    html = client.get(_url("situation:area", "235")).content.decode()
    assert "at least 97" in html
    assert "1 country is suppressed" in html


@pytest.mark.django_db
def test_area_page__no_origin_data__no_section(client):
    factories.demo_languages()
    html = client.get(_url("situation:area", "049")).content.decode()
    assert 'id="origin-heading"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["countries", "country-groups"])
def test_chart_csv__origin__numbers_with_suppression(client, chart):
    origin_dataset(origin_value)
    response = client.get(_url("situation:chart_csv", "235", chart))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    if chart == "countries":
        assert lines[1] == "RU,40"
        assert "SO" not in response.content.decode()
    else:
        assert "africa,.." in lines
        assert "eu_efta,30" in lines


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["countries", "country-groups"])
def test_chart_svg__origin__accessible_image(client, chart):
    origin_dataset(origin_value)
    response = client.get(_url("situation:chart_svg", "049", chart))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg


@pytest.mark.django_db
def test_chart_csv__origin_chart_without_origin_data__404(client):
    factories.demo_languages()
    assert client.get(_url("situation:chart_csv", "049", "countries")).status_code == 404

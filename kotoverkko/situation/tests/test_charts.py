"""Charts: SVG semantics, the CSV download matches the data table, the standalone image."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from kotoverkko.situation import charts

from . import factories

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def data():
    factories.language_dataset(
        lambda c: None if c["area"] == "KU235" and c["language"] == "so" else 10 + len(c["language"])
    )
    factories.population_dataset()


@pytest.mark.parametrize(("area", "chart"), [("049", "trend"), ("049", "languages"), ("SSS", "pyramid")])
def test_chart_svg__standalone__title_desc_role(client, data, area, chart):
    response = client.get(reverse("situation:chart_svg", args=[area, chart]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text
    assert desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_chart_csv__trend__parses_and_matches_table(client, data):
    response = client.get(reverse("situation:chart_csv", args=["049+235", "trend"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows[0]) == 5
    # Ten years; no projection, since every share is only "at least" (a suppressed cell).
    assert len(rows) == 1 + 10
    html = client.get(reverse("situation:area", args=["049+235"])).content.decode()
    table = html[html.index('id="figure-trend"') :]
    table = table[: table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)]
    body = cells[5:]
    for row in rows[1:11]:
        year, foreign, population, share, _ = row
        index = body.index(year)
        shown = body[index : index + 4]
        # Suppressed Somali in Kauniainen: the CSV says ">=", the table says "at least".
        assert foreign.startswith(">=")
        assert shown[1].replace("\xa0", "").replace(" ", "").endswith(foreign[2:])
        assert shown[2].replace("\xa0", "").replace(" ", "") == population
        assert shown[3].replace(",", ".").endswith(share.lstrip(">="))


def test_chart_csv__languages__codes_and_numbers(client, data):
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("situation:chart_csv", args=["049", "languages"])).content.decode()
            )
        )
    )
    assert len(rows[0]) == 2
    # Domestic languages, the total and the "other languages" residual are not ranked.
    assert rows[1:] == [["ar", "12"], ["en", "12"], ["et", "12"], ["ru", "12"], ["so", "12"]]


def test_line_chart__gap_for_missing_value():
    body = charts.line_body([charts.Series("x", [("2020", 1.0), ("2021", None), ("2022", 2.0)])])
    assert body.count("<polyline") == 2


def test_chart_markup__escapes_text():
    chart = charts.Chart("t", "<b>", "&", "c", ["h"], [], [], body="")
    markup = str(chart.svg())
    assert "&lt;b&gt;" in markup
    assert "&amp;" in markup


def test_chart_svg__unknown_area__404(client, data):
    assert client.get(reverse("situation:chart_svg", args=["999", "trend"])).status_code == 404


def test_chart_svg__pyramid_for_municipality_without_age_data__404(client, data):
    assert client.get(reverse("situation:chart_svg", args=["049", "pyramid"])).status_code == 404


def test_chart_csv__comparison__area_region_county_country(client, data):
    response = client.get(reverse("situation:chart_csv", args=["049", "comparison"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # Espoo, Uusimaa (its own total in the table) and the whole country; the county HV02 (Länsi-
    # Uusimaa) has no data of its own, and its sum over Espoo and the others is "at least" or exact.
    assert [row[0] for row in rows[1:]][:2] == ["049", "MK01"]
    assert rows[-1][0] == "SSS"
    assert all(row[3] for row in rows[1:])


def test_area_page__inline_charts__keyboard_reachable_with_source(client, data):
    html = client.get(reverse("situation:area", args=["049"])).content.decode()
    assert html.count('class="chart-svg" tabindex="0"') == html.count("<svg")
    assert 'id="figure-comparison"' in html
    assert reverse("situation:chart_csv", args=["049", "comparison"]) in html


def test_area_chart_svg__without_request__standalone_with_title_and_source():
    factories.demo_languages()
    svg = charts.area_chart_svg("049", "trend")
    root = ET.fromstring(svg.split("\n", 1)[1])  # noqa: S314 (our own markup)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    title = root.find(f"{SVG}title").text
    assert title in texts  # printed, so it shows in a document, not only read by screen readers
    assert any("Data as of" in text or "Tiedot" in text or "Licen" in text for text in texts if text)
    assert any("Lähde: Tilastokeskus" in text for text in texts if text)
    assert root.get("width") == str(charts.WIDTH)
    assert charts.area_chart_svg("049", "nonsense") is None
    assert charts.area_chart_svg("999", "trend") is None


def test_area_chart_svg__converts_to_png():
    cairosvg = pytest.importorskip("cairosvg")
    factories.demo_languages()
    png = cairosvg.svg2png(bytestring=charts.area_chart_svg("MK01", "languages").encode("utf-8"))
    assert png.startswith(b"\x89PNG")


def test_source_line__synthetic__labelled():
    factories.demo_languages(is_synthetic=True)
    chart = charts.area_chart("049", "trend")
    assert chart.source_line.startswith(str(_synthetic_label()))


def _synthetic_label() -> str:
    from django.utils.translation import gettext

    return gettext("Synthetic demo data — not real statistics")

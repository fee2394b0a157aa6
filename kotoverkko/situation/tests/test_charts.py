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

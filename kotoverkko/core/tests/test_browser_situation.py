"""The situation picture (issue 5) in a real Chromium: a municipality's and a cooperation area's page
in Finnish, Swedish and English, charts a keyboard and screen reader user can reach, the CSV
download, no JavaScript and phones, a coordinator's finding, and an axe-core scan of every page.

The demo data (`situation.demo.load_demo()`: the real Statistics Finland files and the synthetic
tables) is loaded inside each test: the live server's transactional database is emptied after
each one. Visible texts come from Django's gettext for the page's language. Fixtures (one Chromium
per session) are in conftest.py; the helpers are shared with test_browser.py.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.test_browser import (
    BLOCKING_IMPACTS,
    PASSWORD,
    _describe,
    _duplicate_ids,
    _horizontal_overflow,
    main_heading,
    path_of,
    sign_in,
    tr,
    url,
    wait_for_path,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Municipality
from kotoverkko.situation.demo import load_demo
from kotoverkko.situation.models import Finding, FindingQuestion
from kotoverkko.situation.selectors import DEMO_GROUP

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
ESPOO = "049"
ECKERO = "043"
SYNTHETIC = "Synthetic demo data — not real statistics"
SHOW_TABLE = "Show the numbers as a table"


def _heading(language: str, name: str) -> str:
    return tr(language, "Situation picture: %(name)s") % {"name": name}


def _area_name(language: str, key: str) -> str:
    """A municipality's name in `language`, as its page's heading shows it."""
    with translation.override(language):
        return Municipality.objects.get(code=key).name


def _tab_to(page, locator, *, stops: int = 80) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user gets there."""
    for _stop in range(stops):
        page.keyboard.press("Tab")
        if locator.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"Not reached with {stops} presses of Tab: {locator}")


def _trend_chart(page):
    return page.locator("#figure-trend")


# --- 1. The situation page in each language -----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_area_page__each_language__heading_banner_accessible_chart_and_keyboard_table(page, language):
    load_demo()

    for area in (DEMO_GROUP, ESPOO):
        response = page.goto(url(language, "situation:area", area=area))

        assert response.status == 200, area
        assert page.locator("html").get_attribute("lang") == language
        names = ", ".join(_area_name(language, code) for code in area.split("+"))
        assert main_heading(page).inner_text() == _heading(language, names)
        banner = page.locator(".synthetic-banner")
        assert banner.is_visible(), area
        assert tr(language, SYNTHETIC) in banner.inner_text()
        _assert_trend_chart_accessible(page, language)


def _assert_trend_chart_accessible(page, language: str) -> None:
    """The trend chart is an image with a name, and its numbers open as a table from the keyboard."""
    chart = _trend_chart(page)
    svg = chart.locator("svg").first
    assert svg.get_attribute("role") == "img"
    name = svg.evaluate(
        """(svg) => (svg.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
            .map((id) => document.getElementById(id)?.textContent.trim() || "").join(" ").trim()
            || svg.getAttribute("aria-label") || ''"""
    )
    assert name, "The trend chart has no accessible name"
    assert svg.locator("title").text_content().strip() in name
    _tab_to(page, svg)  # the chart itself is a stop for the keyboard (its name is read on focus)

    details = chart.locator("details.chart-data")
    summary = details.locator("summary")
    assert summary.inner_text().strip() == tr(language, SHOW_TABLE)
    table = details.get_by_role("table")
    assert not table.is_visible()
    _tab_to(page, summary)
    page.keyboard.press("Enter")
    assert details.evaluate("(element) => element.open")
    assert table.is_visible()
    caption = table.locator("caption")
    assert caption.inner_text().strip() == chart.locator("figcaption").inner_text().strip()
    assert table.locator("tbody tr").count() >= 3
    page.keyboard.press("Space")  # the summary still has the focus: Space closes it again
    assert not details.evaluate("(element) => element.open")
    page.keyboard.press("Space")
    assert table.is_visible()


def test_area_page__csv_download__text_csv_that_parses(page):
    load_demo()
    page.goto(url("fi", "situation:area", area=ESPOO))
    link = _trend_chart(page).locator('a[type="text/csv"]')

    response = page.request.get(link.get_attribute("href"))

    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers.get("content-disposition", "")
    rows = list(csv.reader(io.StringIO(response.text())))
    assert len(rows) >= 3
    assert all(len(row) == len(rows[0]) for row in rows)
    assert any(cell.strip() for cell in rows[1])


def test_area_page__without_javascript__charts_tables_and_links_work(new_page):
    load_demo()
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 800})

    response = page.goto(url("sv", "situation:area", area=ESPOO))

    assert response.status == 200
    assert main_heading(page).inner_text() == _heading("sv", _area_name("sv", ESPOO))
    assert page.locator(".synthetic-banner").is_visible()
    chart = _trend_chart(page)
    assert chart.locator("svg").first.is_visible()
    chart.locator("summary").click()
    assert chart.get_by_role("table").is_visible()
    # The chooser is a plain GET form: choosing a municipality needs no script.
    page.goto(url("sv", "situation:index"))
    page.get_by_label(tr("sv", "Municipality")).select_option(ESPOO)
    page.get_by_role("main").get_by_role("button", name=tr("sv", "Show the situation picture")).click()
    wait_for_path(page, url("sv", "situation:area", area=ESPOO))


def test_area_page__375_px_phone__no_horizontal_scrolling(new_page):
    load_demo()
    page = new_page(viewport={"width": 375, "height": 667}, device_scale_factor=2)
    overflowing = {}

    for area in (DEMO_GROUP, ESPOO, "SSS", ECKERO):
        page.goto(url("fi", "situation:area", area=area))
        for summary in page.locator("details.chart-data > summary").all():
            summary.click()  # the tables open too
        assert page.evaluate("() => window.innerWidth") == 375
        if (overflow := _horizontal_overflow(page)) > 0:
            overflowing[area] = overflow
        for svg in page.locator(".chart-frame svg").all():
            assert svg.evaluate("(svg) => svg.getBoundingClientRect().right <= window.innerWidth"), area

    assert not overflowing, f"Pages wider than a 375 px screen (px too wide): {overflowing}"


# --- 2. A coordinator's finding -----------------------------------------------------------------


def test_finding__coordinator_adds_under_guiding_question__shown_in_that_section(page):
    coordinator = member(Role.COORDINATOR, OrganisationFactory.municipality(ESPOO))
    text = "Ukrainankieliset perheet toivovat iltapäiväkerhoa koululaisille."
    question = FindingQuestion.NEEDS

    sign_in(page, "fi", coordinator.email, PASSWORD)
    wait_for_path(page, url("fi", "accounts:profile"))
    page.goto(url("fi", "situation:area", area=ESPOO))
    page.get_by_role("link", name=tr("fi", "Add a finding")).click()
    wait_for_path(page, url("fi", "situation:finding_create", area=ESPOO))
    page.get_by_label(tr("fi", "Guiding question")).select_option(question.value)
    page.locator('textarea[name="text_fi"]').fill(text)
    page.get_by_label(tr("fi", "Source")).fill("Kävijäkysely 2025")
    page.get_by_label(tr("fi", "Date")).fill("2025-03-01")
    page.get_by_role("main").get_by_role("button", name=tr("fi", "Save")).click()

    wait_for_path(page, url("fi", "situation:area", area=ESPOO))
    findings = page.locator("#findings")
    section = findings.get_by_role("heading", level=3, name=tr("fi", question.label), exact=True)
    assert section.is_visible()
    listed = section.locator("xpath=following-sibling::ul[1]")
    assert text in listed.inner_text()
    assert findings.get_by_role("heading", level=3).count() == 1
    assert page.get_by_role("status").or_(page.get_by_role("alert")).first.inner_text()
    finding = Finding.objects.get()
    assert (finding.municipality_id, finding.question) == (ESPOO, question.value)
    assert finding.observed_on == datetime.date(2025, 3, 1)


# --- 3. Accessibility (axe-core) ----------------------------------------------------------------


def _visit_situation_pages(page, language: str):
    """Open every situation page in turn; yields a name for each once it is on screen."""
    page.goto(url(language, "situation:index"))
    yield "chooser"
    for name, area, chart in (
        ("Espoo", ESPOO, "trend"),
        ("demo cooperation area", DEMO_GROUP, "trend"),
        ("whole country, pyramid", "SSS", "pyramid"),
        ("Eckerö, real jobseekers", ECKERO, "jobseekers"),
    ):
        assert page.goto(url(language, "situation:area", area=area)).status == 200, area
        assert page.locator(f"#figure-{chart} svg").count() == 1, f"{area} has no {chart} chart"
        for summary in page.locator("details.chart-data > summary").all():
            summary.click()  # the tables too, as open
        yield name
    coordinator = member(Role.COORDINATOR, OrganisationFactory.municipality(ESPOO))
    sign_in(page, language, coordinator.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))
    page.goto(url(language, "situation:area", area=ESPOO))
    yield "Espoo, coordinator"
    assert page.goto(url(language, "situation:finding_create", area=ESPOO)).status == 200
    yield "finding form"
    page.get_by_role("main").get_by_role("button", name=tr(language, "Save")).click()
    page.get_by_role("main").locator(".field-error, [role=alert]").first.wait_for()
    yield "finding form, errors"
    assert page.goto(url(language, "situation:import")).status == 200
    assert main_heading(page).inner_text() == tr(language, "Import statistics")
    yield "statistics import"


@pytest.mark.parametrize("language", LANGUAGES)
def test_situation_pages__axe_scan__no_serious_or_critical_violations(page, language):
    load_demo()
    axe = Axe()
    found: dict[str, list[dict]] = {}

    for name in _visit_situation_pages(page, language):
        assert page.locator("html").get_attribute("lang") == language
        results = axe.run(page)
        assert results.response["testEngine"]["name"] == "axe-core"
        violations = results.response["violations"] + _duplicate_ids(page)
        if violations:
            found[f"{name} ({path_of(page)})"] = violations

    print("\n".join(f"{where}:\n{_describe(violations)}" for where, violations in found.items()))
    blocking = {
        where: [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        for where, violations in found.items()
    }
    blocking = {where: violations for where, violations in blocking.items() if violations}
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(
        f"{where}:\n{_describe(violations)}" for where, violations in blocking.items()
    )

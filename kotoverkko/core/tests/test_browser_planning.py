"""The integration programme (issue 6) in a real Chromium: the coordinator adds a measure, an
organisation's editor reports its status in a monitoring round, the public page shows it after the
round is compiled; axe-core scans the public page and the monitoring dashboard in fi/sv/en.

The live server's database is emptied after each test, so every test builds its own data.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.test_browser import (
    BLOCKING_IMPACTS,
    PASSWORD,
    _describe,
    _duplicate_ids,
    path_of,
    sign_in,
    tr,
    url,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning import reference_data, services
from kotoverkko.planning.tests.factories import (
    add_manual_indicator,
    add_measure,
    adopt,
    create_programme,
    open_round,
)

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")


def _world():
    reference_data.load_checklists()
    reference_data.load_valko()
    owner = OrganisationFactory.municipality(
        "257", name={"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun"}
    )
    ngo = OrganisationFactory(name={"fi": "Kielikahvila ry"}, home_municipality_id="257")
    coordinator = member(Role.COORDINATOR, owner, email="koordinaattori@example.fi")
    editor = member(Role.EDITOR, ngo, email="editori@example.fi")
    programme = create_programme(owner, coordinator=coordinator)
    services.goal_save(
        actor=coordinator, programme=programme, goal=None, values={"title": {"fi": "Kieli ja osallisuus"}}
    )
    return owner, ngo, coordinator, editor, programme


def test_programme__measure_added_reported_and_shown_publicly(page, new_page):
    _owner, ngo, coordinator, editor, programme = _world()

    # The coordinator adds a measure to the draft.
    sign_in(page, "en", coordinator.email, PASSWORD)
    page.goto(url("en", "planning:detail", pk=programme.pk))
    page.get_by_role("link", name=tr("en", "Add a measure")).click()
    page.locator("#id_title_fi").fill("Kielikahvila kirjastossa")
    page.locator("#id_responsible_organisation").select_option(str(ngo.pk))
    page.get_by_role("button", name=tr("en", "Save")).click()
    assert page.get_by_role("row", name="Kielikahvila kirjastossa").count() == 1
    measure = programme.measures.get()

    adopt(programme, actor=coordinator)
    monitoring_round = open_round(programme, actor=coordinator)

    # The NGO's editor reports on its own measure.
    editor_page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(editor_page, "en", editor.email, PASSWORD)
    editor_page.goto(url("en", "planning:round_detail", pk=monitoring_round.pk))
    assert editor_page.locator("h1").inner_text() == monitoring_round.name
    editor_page.get_by_role("link", name=tr("en", "Update status")).click()
    editor_page.locator("#id_status").select_option("on_track")
    editor_page.locator("#id_comment").fill("Kaksi ryhmää viikossa")
    editor_page.get_by_role("button", name=tr("en", "Save the report")).click()
    assert editor_page.get_by_text("Kaksi ryhmää viikossa").count() == 1

    services.round_compile(actor=coordinator, monitoring_round=monitoring_round, summary="Hyvä alku")
    measure.refresh_from_db()
    assert measure.status == "on_track"

    # The public page, without signing in, shows the compiled status.
    public = new_page(viewport={"width": 390, "height": 800})
    public.goto(url("fi", "planning:public_detail", pk=programme.pk))
    row = public.get_by_role("row", name="Kielikahvila kirjastossa")
    assert "Kaksi ryhmää viikossa" in row.inner_text()
    assert public.evaluate("document.documentElement.scrollWidth") <= 390 + 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_page_and_dashboard__axe_scan__no_serious_or_critical_violations(page, language):
    owner, _ngo, coordinator, _editor, programme = _world()
    add_measure(programme, organisation=owner, actor=coordinator, title="Koulutus")
    indicator = add_manual_indicator(programme, actor=coordinator)
    adopt(programme, actor=coordinator)
    import datetime
    from decimal import Decimal

    for year, value in ((2024, 10), (2025, 25)):
        services.measurement_add(
            actor=coordinator,
            indicator=indicator,
            data=services.MeasurementData(datetime.date(year, 12, 31), Decimal(value)),
        )
    monitoring_round = open_round(programme, actor=coordinator)
    services.round_compile(actor=coordinator, monitoring_round=monitoring_round, summary="")
    open_round(programme, actor=coordinator)

    axe = Axe()
    found: dict[str, list[dict]] = {}
    pages = [("public", url(language, "planning:public_detail", pk=programme.pk))]
    page.goto(pages[0][1])
    _scan(page, axe, language, "public page", found)
    sign_in(page, language, coordinator.email, PASSWORD)
    for name, path in (
        ("dashboard", url(language, "planning:dashboard", pk=programme.pk)),
        ("programme", url(language, "planning:detail", pk=programme.pk)),
        ("round", url(language, "planning:round_detail", pk=monitoring_round.pk)),
    ):
        page.goto(path)
        _scan(page, axe, language, name, found)
    blocking = {
        where: [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        for where, violations in found.items()
    }
    blocking = {where: violations for where, violations in blocking.items() if violations}
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(
        f"{where}:\n{_describe(violations)}" for where, violations in blocking.items()
    )


def _scan(page, axe, language: str, name: str, found: dict) -> None:
    assert page.locator("html").get_attribute("lang") == language
    results = axe.run(page)
    violations = results.response["violations"] + _duplicate_ids(page)
    if violations:
        found[f"{name} ({path_of(page)})"] = violations

"""Service paths (issue 7) in a real Chromium: the coordinator starts a path from the law's template,
closes a gap by naming a responsible organisation, and the who-does-what pages pass an axe-core scan
in Finnish, Swedish and English (screen and print versions).

The live server's database is emptied after each test, so the client groups (a data migration) and
the demo are created inside each test. Fixtures (one Chromium per session) are in conftest.py.
"""

from __future__ import annotations

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
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
from kotoverkko.organisations.models import OrganisationKind
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.servicepaths.models import ClientGroup, ServicePath

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
COORDINATOR_EMAIL = "koordinaattori@example.fi"


def _client_groups() -> None:
    """Recreate the client groups of the data migration (the live server's flush removed them)."""
    migration = importlib.import_module("kotoverkko.servicepaths.migrations.0002_seed_client_groups")
    migration.create_client_groups(apps, None)


def _area():
    """Kirkkonummi with a wellbeing county and an employment service the template cannot guess."""
    _client_groups()
    kirkkonummi = OrganisationFactory.municipality(
        "257",
        name={"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun", "en": "Municipality of Kirkkonummi"},
    )
    OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY,
        home_municipality_id="257",
        name={"fi": "Länsi-Uudenmaan hyvinvointialue", "sv": "Västra Nylands välfärdsområde"},
    )
    # Not of kind "employment authority", so the template leaves integration training as a gap.
    employment = OrganisationFactory(
        kind=OrganisationKind.OTHER,
        home_municipality_id="257",
        name={"fi": "Kirkkonummen työllisyyspalvelut"},
    )
    return kirkkonummi, employment


def _group_name(language: str, slug: str) -> str:
    with translation.override(language):
        return ClientGroup.objects.get(slug=slug).display_name


def test_coordinator__creates_path_from_template_and_closes_gap__gap_disappears(page):
    kirkkonummi, employment = _area()
    member(Role.COORDINATOR, kirkkonummi, email=COORDINATOR_EMAIL)
    language = "fi"
    sign_in(page, language, COORDINATOR_EMAIL, PASSWORD)
    page.get_by_role("link", name=tr(language, "My account"), exact=True).wait_for()

    page.goto(url(language, "servicepaths:create"))
    page.get_by_label(tr(language, "Client group")).select_option(
        label=_group_name(language, "quota-refugees")
    )
    page.get_by_label(tr(language, "A template built from the law")).check()
    page.get_by_role("button", name=tr(language, "Create the path")).click()

    path = ServicePath.objects.get()
    wait_for_path(page, url(language, "servicepaths:detail", pk=path.pk))
    training = path.steps.get(template_key="training")
    gaps = page.locator("section.sp-gaps")
    gap_item = gaps.get_by_role("link", name=training.display_title)
    assert gap_item.is_visible()
    card = page.locator(f"#step-{training.pk}")
    assert tr(language, "No responsible organisation") in card.inner_text()

    edit_label = tr(language, "Edit step “%(title)s”") % {"title": training.display_title}
    card.get_by_role("link", name=edit_label).click()
    page.get_by_label(tr(language, "Responsible organisation")).select_option(
        label="Kirkkonummen työllisyyspalvelut"
    )
    page.get_by_role("main").get_by_role("button", name=tr(language, "Save")).click()

    wait_for_path(page, url(language, "servicepaths:detail", pk=path.pk))
    no_gaps = tr(
        language,
        "No gaps: every step has a responsible organisation, its deadlines count from existing steps "
        "and its legal bases are in force.",
    )
    assert no_gaps in gaps.inner_text()
    assert "Kirkkonummen työllisyyspalvelut" in page.locator(f"#step-{training.pk}").inner_text()
    assert (
        tr(language, "No responsible organisation") not in page.locator(f"#step-{training.pk}").inner_text()
    )
    training.refresh_from_db()
    assert training.responsible == employment


def test_step_reorder__move_down_button_without_javascript__order_changes(new_page):
    kirkkonummi, _employment = _area()
    member(Role.COORDINATOR, kirkkonummi, email=COORDINATOR_EMAIL)
    from kotoverkko.servicepaths import services

    path = services.path_create(
        actor=kirkkonummi.memberships.get().user,
        municipality=kirkkonummi.home_municipality,
        client_group=ClientGroup.objects.get(slug="students"),
        template_key="students-681-2023",
    )
    first, second = path.steps.order_by("position")[:2]
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    sign_in(page, "en", COORDINATOR_EMAIL, PASSWORD)
    page.get_by_role("link", name=tr("en", "My account"), exact=True).wait_for()
    page.goto(url("en", "servicepaths:detail", pk=path.pk))
    with translation.override("en"):
        title = path.steps.get(pk=first.pk).display_title
    page.get_by_role("button", name=tr("en", "Move “%(title)s” down") % {"title": title}).click()
    page.wait_for_load_state()
    assert [s.pk for s in path.steps.order_by("position")[:2]] == [second.pk, first.pk]


def _visit(page, language: str, path: ServicePath):
    page.goto(url(language, "servicepaths:who_does_what", code="257"))
    yield "who does what"
    page.goto(url(language, "servicepaths:who_does_what_print", code="257"))
    yield "who does what, print"
    page.goto(url(language, "servicepaths:detail", pk=path.pk))
    yield "path"
    page.goto(url(language, "servicepaths:print", pk=path.pk))
    yield "path, print"
    page.goto(url(language, "servicepaths:index"))
    yield "index"
    page.goto(url(language, "servicepaths:gaps"))
    yield "gaps overview"
    step = path.steps.get(template_key="plan")
    page.goto(url(language, "servicepaths:step_edit", pk=step.pk))
    yield "step form"
    page.goto(url(language, "servicepaths:create"))
    yield "create form"


@pytest.mark.parametrize("language", LANGUAGES)
def test_who_does_what__axe_scan__no_serious_or_critical_violations(page, language):
    from kotoverkko.organisations.seed import seed_demo
    from kotoverkko.servicepaths.demo import load_demo

    _client_groups()
    seed_demo()
    load_demo()
    sign_in(page, language, "coordinator@kotoverkko.example", "kotoverkko-demo")
    page.get_by_role("link", name=tr(language, "My account"), exact=True).wait_for()
    path = ServicePath.objects.get(client_group__slug="quota-refugees")
    axe = Axe()
    found: dict[str, list[dict]] = {}

    for name in _visit(page, language, path):
        assert page.locator("html").get_attribute("lang") == language
        assert main_heading(page).is_visible()
        results = axe.run(page)
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


def test_who_does_what__phone__no_horizontal_page_scrolling_and_interface_badge_in_text(new_page):
    from kotoverkko.organisations.seed import seed_demo
    from kotoverkko.servicepaths.demo import load_demo

    _client_groups()
    seed_demo()
    load_demo()
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(url("en", "servicepaths:who_does_what", code="257"))
    assert _horizontal_overflow(page) <= 0
    assert page.get_by_text(
        tr("en", "Interface: municipality and wellbeing services county")
    ).first.is_visible()
    assert page.get_by_text(tr("en", "Interpreting services")).count() >= 0

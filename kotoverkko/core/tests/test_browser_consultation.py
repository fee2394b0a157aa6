"""Consultation and the kotoutumisohjelma description in a real Chromium: an anonymous resident
comments in English, the coordinator publishes and answers the comment, and everyone sees it on
the public page; an axe-core scan of the pages in Finnish, Swedish and English.

The live server's database is emptied after each test, so each test builds its own data (and
loads the kotoutumisohjelma elements the data migration would have loaded).
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.utils import timezone

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.test_browser import (
    BLOCKING_IMPACTS,
    PASSWORD,
    _describe,
    _duplicate_ids,
    main_heading,
    path_of,
    sign_in,
    tr,
    url,
    wait_for_path,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning.enums import ProgrammeStatus
from kotoverkko.planning.models import (
    Consultation,
    ConsultationStatus,
    Goal,
    InitialPhasePlan,
    InitialPhasePlanStatus,
    Programme,
)
from kotoverkko.servicepaths.models import ClientGroup

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
COMMENT = "Please hold the language cafés in the evenings, too."
ANSWER = "Thank you. Evening groups start in two libraries in May."


def _world():
    owner = OrganisationFactory.municipality(
        "049", name={"fi": "Espoon kaupunki", "sv": "Esbo stad", "en": "Espoo"}
    )
    programme = Programme.objects.create(
        title={
            "fi": "Kotoutumisohjelma 2026–2029",
            "sv": "Integrationsprogram",
            "en": "Integration programme",
        },
        owner=owner,
        starts_year=2026,
        ends_year=2029,
        status=ProgrammeStatus.CONSULTATION,
    )
    programme.municipalities.set(["049"])
    Goal.objects.create(programme=programme, position=1, title={"fi": "Työllisyys", "en": "Employment"})
    now = timezone.now()
    consultation = Consultation.objects.create(
        programme=programme,
        title={"fi": "Lausuntokierros", "sv": "Remiss", "en": "Consultation"},
        summary={"fi": "Kerro mielipiteesi.", "sv": "Säg din åsikt.", "en": "Tell us what you think."},
        plain_finnish_summary="Kerro, mitä mieltä olet.",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=14),
        is_public=True,
        status=ConsultationStatus.PUBLISHED,
    )
    return owner, consultation


def _initial_phase_plan(owner):
    migration = importlib.import_module("kotoverkko.planning.migrations.0002_guidance_content")
    migration.load_elements(apps, None)
    ClientGroup.objects.get_or_create(slug="quota-refugees", defaults={"name": {"fi": "Kiintiöpakolaiset"}})
    plan = InitialPhasePlan.objects.create(
        owner=owner,
        title={"fi": "Kotoutumisohjelman kuvaus", "en": "Kotoutumisohjelma description"},
        valid_from=datetime.date(2025, 1, 1),
        status=InitialPhasePlanStatus.PUBLISHED,
    )
    plan.municipalities.set(["049"])
    return plan


def test_consultation__anonymous_english_comment__published_with_answer_on_public_page(page):
    owner, consultation = _world()
    coordinator = member(Role.COORDINATOR, owner)
    detail = url("en", "planning:consultation_detail", pk=consultation.pk)

    page.goto(detail)
    assert main_heading(page).inner_text() == "Consultation"
    page.get_by_role("textbox", name=tr("en", "Your comment")).fill(COMMENT)
    page.get_by_label(tr("en", "Language of your comment")).select_option("en")
    # A person takes a few seconds to write; a form sent faster is refused as a bot's.
    page.wait_for_timeout(3500)
    page.get_by_role("button", name=tr("en", "Send the comment")).click()
    wait_for_path(page, detail)
    assert page.get_by_role("status").inner_text().startswith("Thank you.")
    assert COMMENT not in page.get_by_role("main").inner_text()

    sign_in(page, "en", coordinator.email, PASSWORD)
    wait_for_path(page, url("en", "accounts:profile"))
    page.goto(url("en", "planning:consultation_moderate", pk=consultation.pk))
    card = page.locator("article", has_text=COMMENT)
    card.get_by_label(tr("en", "Publish"), exact=True).check()
    card.get_by_label(tr("en", "Answer (shown publicly with the comment)")).fill(ANSWER)
    card.get_by_role("button", name=tr("en", "Save the decision")).click()
    page.get_by_role("status").wait_for()

    page.context.clear_cookies()
    page.goto(detail)
    public = page.get_by_role("main").inner_text()
    assert COMMENT in public
    assert ANSWER in public
    assert page.locator("blockquote[lang='en']").count() == 1


def _pages(page, language: str, consultation, plan, coordinator):
    page.goto(url(language, "planning:consultation_list"))
    yield "consultation list"
    page.goto(url(language, "planning:consultation_detail", pk=consultation.pk))
    yield "consultation page"
    page.goto(url(language, "planning:document_initial_phase_list"))
    yield "kotoutumisohjelma list"
    page.goto(url(language, "planning:document_initial_phase_detail", pk=plan.pk))
    yield "kotoutumisohjelma description"
    sign_in(page, language, coordinator.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))
    page.goto(url(language, "planning:consultation_moderate", pk=consultation.pk))
    yield "moderation"
    page.goto(url(language, "planning:consultation_manage", programme_pk=consultation.programme_id))
    yield "consultations of the programme"
    page.goto(url(language, "planning:consultation_edit", pk=consultation.pk))
    yield "consultation form"
    page.goto(url(language, "planning:document_initial_phase_detail", pk=plan.pk))
    yield "kotoutumisohjelma description (editor)"
    page.goto(url(language, "planning:document_initial_phase_edit", pk=plan.pk))
    yield "kotoutumisohjelma form"


@pytest.mark.parametrize("language", LANGUAGES)
def test_consultation_pages__axe_scan__no_serious_or_critical_violations(page, language):
    owner, consultation = _world()
    plan = _initial_phase_plan(owner)
    coordinator = member(Role.COORDINATOR, owner)
    from kotoverkko.planning.models import ConsultationComment

    ConsultationComment.objects.create(consultation=consultation, text="Odottaa", language="fi")
    axe = Axe()
    found: dict[str, list[dict]] = {}
    for name in _pages(page, language, consultation, plan, coordinator):
        assert page.locator("html").get_attribute("lang") == language
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

"""Signals from the field in a real Chromium: an NGO member's signal is refused while it holds a
telephone number, goes through without it, the municipality answers it and the sender reads the
answer; an axe-core scan of the form, the inbox and the detail page in Finnish, Swedish and English.

Visible texts come from Django's gettext for the page's language. Fixtures (one Chromium per
session) are in conftest.py; the helpers are shared with test_browser.py.
"""

from __future__ import annotations

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe

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
from kotoverkko.signals.models import Signal
from kotoverkko.signals.tests.factories import send_signal

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
OBSERVATION = "Päiväaikaan ei ole suomen kielen ryhmää, johon pääsisi lasten kanssa."


@pytest.fixture(autouse=True)
def _signal_themes(reference_data):
    """The live server's database is emptied after each test; the themes come from a data migration."""
    from django.apps import apps

    importlib.import_module("kotoverkko.signals.migrations.0002_signal_themes").create_themes(apps, None)


def _world():
    municipality = OrganisationFactory.municipality(
        "257", name={"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun"}
    )
    ngo = OrganisationFactory(name={"fi": "Kielikahvila ry"}, home_municipality_id="257")
    sender = member(Role.VIEWER, ngo)
    handler = member(Role.COORDINATOR, municipality)
    return ngo, sender, handler


def _fill_signal(page, language: str, description: str) -> None:
    page.get_by_label(tr(language, "Theme")).select_option(label="Asuminen" if language == "fi" else None)
    page.get_by_label(tr(language, "Whom it concerns")).select_option("families")
    page.get_by_label(tr(language, "Urgency")).select_option("high")
    page.get_by_role("textbox", name=tr(language, "Observation")).fill(description)
    page.get_by_role("button", name=tr(language, "Send the signal")).click()


def test_signal__refused_with_phone_then_sent_answered_and_read_by_sender(page, new_page):
    _ngo, sender, handler = _world()

    sign_in(page, "fi", sender.email, PASSWORD)
    wait_for_path(page, url("fi", "accounts:profile"))
    page.goto(url("fi", "signals:send"))
    _fill_signal(page, "fi", f"{OBSERVATION}\nLisätietoja: soita 040 123 4567.")

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "040 *** ****" in alert.inner_text()
    assert path_of(page) == url("fi", "signals:send")
    assert not Signal.objects.exists()

    page.get_by_role("textbox", name=tr("fi", "Observation")).fill(OBSERVATION)
    page.get_by_role("button", name=tr("fi", "Send the signal")).click()
    signal = None
    page.get_by_role("status").wait_for()
    signal = Signal.objects.get()
    wait_for_path(page, url("fi", "signals:detail", pk=signal.pk))
    assert "Kirkkonummen kunta" in page.get_by_role("status").inner_text()
    assert OBSERVATION in page.get_by_role("main").inner_text()

    handler_page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(handler_page, "fi", handler.email, PASSWORD)
    wait_for_path(handler_page, url("fi", "accounts:profile"))
    handler_page.goto(url("fi", "signals:inbox"))
    handler_page.get_by_role("link", name=tr("fi", "Signal #%(number)s") % {"number": signal.pk}).click()
    wait_for_path(handler_page, url("fi", "signals:detail", pk=signal.pk))
    handler_page.get_by_label(tr("fi", "Answer to the sender")).fill("Aloitamme päiväryhmän syyskuussa.")
    handler_page.get_by_role("button", name=tr("fi", "Send the answer")).click()
    handler_page.get_by_role("status").wait_for()
    signal.refresh_from_db()
    assert signal.status == "answered"

    page.goto(url("fi", "signals:sent"))
    row = page.get_by_role("row").filter(has_text=f"#{signal.pk}")
    assert tr("fi", "Answered") in row.inner_text() or "Vastattu" in row.inner_text()
    row.get_by_role("link").click()
    wait_for_path(page, url("fi", "signals:detail", pk=signal.pk))
    assert "Aloitamme päiväryhmän syyskuussa." in page.get_by_role("main").inner_text()
    assert page.locator("textarea[name=answer]").count() == 0


def _visit_signal_pages(page, language: str, *, sender, handler, signal):
    sign_in(page, language, sender.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))
    page.goto(url(language, "signals:send"))
    assert main_heading(page).inner_text() == tr(language, "Send a signal")
    yield "form"
    page.get_by_role("textbox", name=tr(language, "Observation")).fill("Soita 040 123 4567")
    page.get_by_role("button", name=tr(language, "Send the signal")).click()
    page.get_by_role("alert").wait_for()
    yield "form, refused"
    page.goto(url(language, "signals:sent"))
    yield "sent signals"
    page.goto(url(language, "signals:detail", pk=signal.pk))
    yield "detail, sender"
    page.get_by_role("banner").get_by_role("button", name=tr(language, "Sign out")).click()
    sign_in(page, language, handler.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))
    page.goto(url(language, "signals:inbox"))
    yield "inbox"
    page.goto(url(language, "signals:detail", pk=signal.pk))
    yield "detail, handler"
    page.goto(url(language, "signals:routing"))
    yield "routing"
    page.goto(url(language, "signals:statistics"))
    yield "statistics"


@pytest.mark.parametrize("language", LANGUAGES)
def test_signal_pages__axe_scan__no_serious_or_critical_violations(page, language):
    ngo, sender, handler = _world()
    signal = send_signal(sender=ngo, actor=sender, description="Kerhoon tarvitaan tulkkia.")
    axe = Axe()
    found: dict[str, list[dict]] = {}

    for name in _visit_signal_pages(page, language, sender=sender, handler=handler, signal=signal):
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

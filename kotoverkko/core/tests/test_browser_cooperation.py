"""Cooperation bodies in a real Chromium: a coordinator schedules and records a meeting with
attendance, minutes, a decision and an action item (adding the action row with htmx), and an
axe-core scan of the body, meeting and agreement pages in Finnish, Swedish and English.

Visible texts come from Django's gettext for the page's language. Fixtures (one Chromium per
session) are in conftest.py; the helpers are shared with test_browser.py.
"""

from __future__ import annotations

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from kotoverkko.accounts.roles import Role
from kotoverkko.cooperation.enums import ActionItemStatus, Attendance, MeetingStatus, MemberRole
from kotoverkko.cooperation.models import ActionItem, Meeting
from kotoverkko.cooperation.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    BodyFactory,
    MeetingFactory,
    MemberFactory,
)
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

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")


def _world():
    municipality = OrganisationFactory.municipality(
        "257", name={"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun"}
    )
    ngo = OrganisationFactory(name={"fi": "Kielikahvila ry", "sv": "Språkcafé rf"})
    coordinator = member(Role.COORDINATOR, municipality, full_name="Kaisa Koordinaattori")
    body = BodyFactory(
        owner=municipality,
        name={"fi": "Kotoutumisen neuvottelukunta", "sv": "Integrationsdelegationen", "en": "Advisory board"},
        description={"fi": "Neuvottelukunta kehittää kotoutumista.", "en": "The board develops integration."},
        minutes_public=True,
    )
    chair = MemberFactory(body=body, organisation=municipality, role=MemberRole.CHAIR, user=coordinator)
    seat = MemberFactory(body=body, organisation=ngo, role=MemberRole.MEMBER, person_name="Ulla Ulkopuolinen")
    return municipality, ngo, coordinator, body, chair, seat


def test_coordinator__schedules_and_records_meeting_with_action_item(page):
    _municipality, ngo, coordinator, body, chair, seat = _world()
    language = "fi"
    sign_in(page, language, coordinator.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))

    page.goto(url(language, "cooperation:body_detail", pk=body.pk))
    page.get_by_role("link", name=tr(language, "Add a meeting")).click()
    wait_for_path(page, url(language, "cooperation:meeting_create", pk=body.pk))
    page.get_by_label(tr(language, "Date")).fill("2026-12-10")
    page.get_by_label(tr(language, "Starts at")).fill("13:00")
    page.get_by_label(tr(language, "Ends at")).fill("15:00")
    page.get_by_label(tr(language, "Place")).fill("Kunnantalo, valtuustosali")
    page.locator('input[name="agenda-0-title"]').fill("Kielikahviloiden näkyvyys")
    page.get_by_role("main").get_by_role("button", name=tr(language, "Save"), exact=True).click()

    page.wait_for_url(re.compile(r"/cooperation/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    assert path_of(page) == url(language, "cooperation:meeting_detail", pk=meeting.pk)
    assert "Kielikahviloiden näkyvyys" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name=tr(language, "Record the meeting")).click()
    wait_for_path(page, url(language, "cooperation:meeting_record", pk=meeting.pk))

    page.locator(f'select[name="attendance_{chair.pk}"]').select_option(Attendance.PRESENT)
    page.locator(f'select[name="attendance_{seat.pk}"]').select_option(Attendance.DEPUTY)
    page.get_by_label(tr(language, "Minutes")).fill("Kokous avattiin klo 13.02.")
    page.get_by_label("1. Kielikahviloiden näkyvyys").fill("Järjestöt kirjaavat toimintansa palveluun.")
    page.get_by_role("button", name=tr(language, "Add an action item")).click()  # htmx: a second row
    page.locator('input[name="actions-1-title"]').wait_for()
    assert page.locator('input[name="actions-0-title"]').count() == 1
    page.locator('input[name="actions-0-title"]').fill("Kirjataan kielikahvilat palveluun")
    page.locator('select[name="actions-0-owner"]').select_option(str(ngo.pk))
    page.locator('input[name="actions-0-due_on"]').fill("2027-01-31")
    page.get_by_role("button", name=tr(language, "Save the record")).click()

    wait_for_path(page, url(language, "cooperation:meeting_detail", pk=meeting.pk))
    main = page.get_by_role("main")
    assert tr(language, "The meeting was recorded.") in page.get_by_role("status").inner_text()
    assert "Kokous avattiin klo 13.02." in main.inner_text()
    assert "Järjestöt kirjaavat toimintansa palveluun." in main.inner_text()
    assert main.get_by_role("cell", name="Kirjataan kielikahvilat palveluun").is_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.starts_at == datetime.datetime(2026, 12, 10, 11, 0, tzinfo=datetime.UTC)
    item = ActionItem.objects.get()
    assert (item.owner, item.meeting, item.due_on, item.status) == (
        ngo,
        meeting,
        datetime.date(2027, 1, 31),
        ActionItemStatus.OPEN,
    )
    assert dict(meeting.attendance.values_list("member_id", "status")) == {
        chair.pk: Attendance.PRESENT,
        seat.pk: Attendance.DEPUTY,
    }


def test_record_form__without_javascript__add_row_reloads_page_with_another_row(new_page):
    _municipality, _ngo, coordinator, body, _chair, _seat = _world()
    meeting = MeetingFactory(body=body)
    page = new_page(java_script_enabled=False)
    sign_in(page, "en", coordinator.email, PASSWORD)
    wait_for_path(page, url("en", "accounts:profile"))
    page.goto(url("en", "cooperation:meeting_record", pk=meeting.pk))
    page.locator('input[name="actions-0-title"]').fill("First action")

    page.get_by_role("button", name=tr("en", "Add an action item")).click()

    page.locator('input[name="actions-1-title"]').wait_for()
    assert page.locator('input[name="actions-0-title"]').input_value() == "First action"
    assert page.locator(".error-summary").count() == 0
    assert not ActionItem.objects.exists()


def _visit_cooperation_pages(page, language: str, *, body, meeting, past, agreement, coordinator):
    page.goto(url(language, "cooperation:body_list"))
    yield "body list, public"
    page.goto(url(language, "cooperation:body_detail", pk=body.pk))
    yield "body page, public"
    page.goto(url(language, "cooperation:meeting_detail", pk=past.pk))
    yield "past meeting, public minutes"
    page.goto(url(language, "cooperation:agreement_list"))
    yield "agreements, public"
    sign_in(page, language, coordinator.email, PASSWORD)
    wait_for_path(page, url(language, "accounts:profile"))
    page.goto(url(language, "cooperation:body_detail", pk=body.pk))
    yield "body page, member"
    page.goto(url(language, "cooperation:meeting_detail", pk=meeting.pk))
    yield "meeting page, member"
    page.goto(url(language, "cooperation:meeting_record", pk=meeting.pk))
    yield "record form"
    page.get_by_role("button", name=tr(language, "Add an action item")).click()
    page.locator('input[name="actions-1-title"]').wait_for()
    page.locator('input[name="actions-0-title"]').fill("x")
    page.get_by_role("button", name=tr(language, "Save the record")).click()
    page.locator(".error-summary").wait_for()
    yield "record form, errors"
    page.goto(url(language, "cooperation:meeting_create", pk=body.pk))
    yield "meeting form"
    page.goto(url(language, "cooperation:agreement_list"))
    yield "agreements, member"
    page.goto(url(language, "cooperation:agreement_detail", pk=agreement.pk))
    yield "agreement page"
    page.goto(url(language, "cooperation:agreement_edit", pk=agreement.pk))
    yield "agreement form"
    page.goto(url(language, "cooperation:action_items"))
    yield "action items"


@pytest.mark.parametrize("language", LANGUAGES)
def test_cooperation_pages__axe_scan__no_serious_or_critical_violations(page, language):
    municipality, ngo, coordinator, body, _chair, _seat = _world()
    meeting = MeetingFactory(body=body, title="4/2026")
    AgendaItemFactory(meeting=meeting, title="Toimintasuunnitelma")
    now = timezone.now()
    past = MeetingFactory(
        body=body,
        title="3/2026",
        starts_at=now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20, hours=-2),
        status=MeetingStatus.HELD,
        minutes="Kokous avattiin.",
    )
    AgendaItemFactory(meeting=past, title="Tilannekuva", decision="Merkittiin tiedoksi.")
    ActionItemFactory(body=body, meeting=past, owner=municipality, title="Lausuntopyyntö")
    ActionItemFactory(
        body=body,
        owner=ngo,
        title="Myöhässä oleva tehtävä",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    agreement = AgreementFactory(owner=municipality, is_public=True, county_consulted=True)
    axe = Axe()
    found: dict[str, list[dict]] = {}

    for name in _visit_cooperation_pages(
        page, language, body=body, meeting=meeting, past=past, agreement=agreement, coordinator=coordinator
    ):
        assert page.locator("html").get_attribute("lang") == language
        assert main_heading(page).count() == 1, name
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

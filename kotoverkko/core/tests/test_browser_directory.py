"""The activity directory in a real Chromium: searching with and without JavaScript, publishing a
listing from draft to public, a counsellor's handout from search to paper, accessibility and phones.

Visible texts come from Django's gettext for the page's language, so the tests hold whatever the
Finnish and Swedish catalogues say. Fixtures (one Chromium per session) are in conftest.py; the
helpers are shared with test_browser.py.
"""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import ngettext
from PIL import Image

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import images, services
from kotoverkko.activities.enums import ListingSection, ListingStatus
from kotoverkko.activities.models import Handout, Listing
from kotoverkko.activities.tests.factories import create_listing, next_weekday
from kotoverkko.core.tests.test_browser import (
    BLOCKING_IMPACTS,
    PASSWORD,
    _csp_messages,
    _describe,
    _duplicate_ids,
    _horizontal_overflow,
    header,
    main_heading,
    path_of,
    sign_in,
    tr,
    url,
    wait_for_path,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Language, Municipality

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
CLUB_TITLE = "Suomen kielen kerho"
ARABIC_TITLE = "نادي اللغة الفنلندية"
KIRKKONUMMI = "257"
ESPOO = "049"


# --- Data ---------------------------------------------------------------------------------------


def _weekly(weekday: int, hour: int) -> list[services.ScheduleData]:
    """Every `weekday` (0 = Monday) from `hour` for two hours, Helsinki time."""
    start = next_weekday(weekday, hour=hour)
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return [
        services.ScheduleData(
            starts_at=start, ends_at=start + datetime.timedelta(hours=2), rrule=f"FREQ=WEEKLY;BYDAY={day}"
        )
    ]


def _club(**overrides) -> Listing:
    """The club the counsellor looks for: Finnish, Tuesdays 17–19, childcare, Kirkkonummi, Arabic text."""
    values = {
        "title": {"fi": CLUB_TITLE, "ar": ARABIC_TITLE},
        "summary": {"fi": "Harjoittelemme suomea rennosti.", "ar": "نتدرب على اللغة الفنلندية معًا."},
        "description": {"fi": "Tule mukaan!\n\nKahvia ja pullaa.", "ar": "انضم إلينا!"},
        "place_name": {"fi": "Kirkkonummen pääkirjasto", "ar": "مكتبة كيركونومي الرئيسية"},
        "has_childcare": True,
    }
    return create_listing(**(values | overrides))


def _directory() -> dict[str, Listing]:
    """The club, another club on Wednesdays in the same town, and a sewing café in Espoo."""
    return {
        "club": _club(),
        "other club": create_listing(
            title={"fi": "Englannin kielen kerho", "en": "English club"},
            summary={"fi": "Puhumme englantia.", "en": "We speak English."},
            schedules=_weekly(2, 18),
        ),
        "sewing": create_listing(
            title={"fi": "Ompelukahvila", "en": "Sewing café"},
            summary={"fi": "Ommellaan yhdessä.", "en": "We sew together."},
            municipality=Municipality.objects.get(code=ESPOO),
            place_name={"fi": "Asukastila"},
            languages=list(Language.objects.filter(code__in=["fi", "so"])),
            schedules=_weekly(3, 12),
        ),
    }


def _count_text(language: str, count: int) -> str:
    """The result count as the live region says it."""
    with translation.override(language):
        return ngettext("%(counter)s activity found", "%(counter)s activities found", count) % {
            "counter": count
        }


def _wait_for_count(page, language: str, count: int) -> None:
    page.wait_for_function(
        "(text) => document.getElementById('result-count').innerText.trim() === text",
        arg=_count_text(language, count),
    )


def _result_titles(page) -> list[str]:
    return [title.strip() for title in page.locator("#results .activity-card h3").all_inner_texts()]


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# --- 1. and 2. Searching ---------------------------------------------------------------------------


def test_search__with_javascript__inflected_word_and_filter_update_results_in_place(page):
    listings = _directory()
    messages = _csp_messages(page)
    page.goto(url("en", "activities:search"))
    count = page.locator("#result-count")
    assert count.get_attribute("role") == "status"
    assert count.inner_text().strip() == _count_text("en", 3)
    assert urlsplit(page.url).query == ""
    page.evaluate("() => { window.pageMarker = 'still the same page'; }")

    with page.expect_response(lambda response: "q=kerhoon" in response.url):
        search = page.get_by_role("searchbox", name=tr("en", "Search words"))
        search.fill("kerhoon")
        search.press("Enter")
    _wait_for_count(page, "en", 2)
    assert sorted(_result_titles(page)) == sorted([CLUB_TITLE, listings["other club"].title["en"]])

    page.get_by_text(tr("en", "More filters")).click()
    with page.expect_response(lambda response: "day=tue" in response.url):
        page.get_by_label(tr("en", "Tuesday"), exact=True).check()
    _wait_for_count(page, "en", 1)
    page.wait_for_url(lambda address: "day=tue" in address)

    assert _result_titles(page) == [CLUB_TITLE]
    assert _query(page)["q"] == ["kerhoon"]
    assert _query(page)["day"] == ["tue"]
    assert urlsplit(page.url).path == url("en", "activities:search")
    assert page.evaluate("() => window.pageMarker") == "still the same page", "The page was reloaded"
    assert page.locator("#result-count").count() == 1
    assert page.locator("#results").count() == 1
    assert _duplicate_ids(page) == []
    assert messages == []


def test_search__without_javascript__form_submitted_results_shown_and_query_in_address(new_page):
    _directory()
    page = new_page(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page.goto(url("fi", "activities:search"))
    assert page.evaluate("() => typeof window.htmx") == "undefined", "htmx ran although JavaScript is off"

    page.get_by_role("searchbox", name=tr("fi", "Search words")).fill("kerhossa")
    page.get_by_label(tr("fi", "Municipality"), exact=True).select_option(KIRKKONUMMI)
    page.get_by_text(tr("fi", "More filters")).click()
    page.get_by_label(tr("fi", "Tuesday"), exact=True).check()
    page.get_by_role("button", name=tr("fi", "Show results"), exact=True).click()
    page.wait_for_url(lambda address: "q=kerhossa" in address)

    query = _query(page)
    assert query["q"] == ["kerhossa"]
    assert query["municipality"] == [KIRKKONUMMI]
    assert query["day"] == ["tue"]
    assert page.get_by_role("status").inner_text().strip() == _count_text("fi", 1)
    assert _result_titles(page) == [CLUB_TITLE]

    # The address alone gives the same results: the search can be shared as a link.
    shared = new_page(java_script_enabled=False)
    shared.goto(path_of(page))
    assert _result_titles(shared) == [CLUB_TITLE]


# --- 3. A counsellor's handout, from search to paper -------------------------------------------------


def test_counsellor__search_add_to_handout_in_arabic__print_view_pdf_and_print_layout(page):
    listings = _directory()
    club = listings["club"]
    counsellor = member(Role.COUNSELLOR, OrganisationFactory.municipality(KIRKKONUMMI))
    messages = _csp_messages(page)
    sign_in(page, "fi", counsellor.email, PASSWORD)
    wait_for_path(page, url("fi", "accounts:profile"))

    # Finnish-language club on Tuesday evening with childcare in Kirkkonummi.
    header(page).get_by_role("link", name=tr("fi", "Activities"), exact=True).click()
    wait_for_path(page, url("fi", "activities:search"))
    page.get_by_role("searchbox", name=tr("fi", "Search words")).fill("kerho")
    page.get_by_label(tr("fi", "Language of the activity")).select_option("fi")
    page.get_by_label(tr("fi", "Municipality"), exact=True).select_option(KIRKKONUMMI)
    page.get_by_text(tr("fi", "More filters")).click()
    page.get_by_label(tr("fi", "Tuesday"), exact=True).check()
    page.get_by_label(tr("fi", "Evening (from 17)")).check()
    page.get_by_label(tr("fi", "Childcare available")).check()
    page.get_by_role("button", name=tr("fi", "Show results"), exact=True).click()
    page.wait_for_url(
        lambda address: (
            {"childcare", "time", "day", "municipality", "language"} <= set(parse_qs(urlsplit(address).query))
        )
    )
    _wait_for_count(page, "fi", 1)

    page.locator("#results").get_by_role("link", name=CLUB_TITLE).click()
    wait_for_path(page, url("fi", "activities:detail", pk=club.pk))
    assert main_heading(page).inner_text() == CLUB_TITLE

    # Printing the listing page: the site's header and navigation stay off the paper.
    site_header, navigation = page.locator("body > header.site-header"), page.locator("nav.main-nav").first
    assert site_header.is_visible()
    assert navigation.is_visible()
    page.emulate_media(media="print")
    assert not site_header.is_visible(), "The site header would be printed"
    assert not navigation.is_visible(), "The main navigation would be printed"
    assert page.locator("article.listing-detail").is_visible()
    assert main_heading(page).is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("button", name=tr("fi", "Add to a handout")).click()
    page.get_by_text(tr("fi", "In the handout.")).wait_for()
    header(page).get_by_role("link", name=tr("fi", "Handout"), exact=True).click()
    wait_for_path(page, url("fi", "activities:basket"))
    in_basket = page.get_by_role("main").get_by_role("listitem").filter(has_text=CLUB_TITLE)
    assert in_basket.count() == 1

    page.get_by_label(tr("fi", "The client's language")).select_option("ar")
    page.get_by_role("button", name=tr("fi", "Make the handout")).click()
    page.wait_for_url(re.compile(r"/h/[^/]+/print/$"))

    handout = Handout.objects.get()
    assert path_of(page) == url("fi", "activities:handout_print", token=handout.token)
    entry = page.locator(".handout-entry")
    assert entry.count() == 1
    title = entry.get_by_role("heading", level=2)
    assert title.inner_text() == ARABIC_TITLE
    assert title.evaluate("(element) => element.closest('[dir]').getAttribute('dir')") == "rtl"
    assert title.evaluate("(element) => getComputedStyle(element).direction") == "rtl"
    assert page.locator(".handout-entries").get_attribute("dir") == "rtl"
    qr = page.locator("img.handout-qr")
    assert qr.get_attribute("alt")
    qr.evaluate("(image) => image.decode()")  # rejects when the image does not load
    assert qr.evaluate("(image) => image.complete && image.naturalWidth > 0")

    controls = page.locator(".handout-controls")
    sheet = page.locator(".handout-sheet")
    assert controls.is_visible()
    page.emulate_media(media="print")
    assert not controls.is_visible(), "The screen-only controls would be printed"
    assert sheet.is_visible()
    assert title.is_visible()
    assert qr.is_visible()

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")

    link = page.get_by_role("link", name=tr("fi", "Download as PDF"))
    assert link.get_attribute("href") == url("fi", "activities:handout_pdf", token=handout.token)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert messages == []


# --- 4. Publishing: draft, moderation, public ---------------------------------------------------------


def _fill_new_listing(page, language: str, *, title: str, organisation) -> None:
    page.get_by_label(tr(language, ListingSection.ACTIVITY.label)).check()
    assert page.get_by_label(tr(language, "Publisher")).input_value() == str(organisation.pk)
    page.locator("#id_title_fi").fill(title)
    page.locator("#id_summary_fi").fill(
        "Ompelemme ja korjaamme vaatteita yhdessä. Kaikki ovat tervetulleita."
    )
    page.locator("#id_place_name_fi").fill("Kirkkonummen asukastila")
    page.get_by_label(tr(language, "Street address")).fill("Asematie 7")
    page.get_by_label(tr(language, "Municipality"), exact=True).select_option(KIRKKONUMMI)
    first = next_weekday(1, hour=17)
    page.locator("#id_schedule-0-start_date").fill(first.date().isoformat())
    page.locator("#id_schedule-0-start_time").fill("17:00")
    page.locator("#id_schedule-0-end_time").fill("19:00")
    page.locator('input[name="schedule-0-weekdays"][value="TU"]').check()
    page.get_by_label(
        tr(language, "I confirm that the listing meets all the listing criteria above.")
    ).check()


def _action(page, label: str, title: str):
    """The button "<label>: <title>"; the title is visually hidden and names the listing to screen readers."""
    name = re.compile(rf"^{re.escape(label)}\s*:\s*{re.escape(title)}$")
    return page.get_by_role("button", name=name)


def test_publishing__editor_drafts_and_submits_moderator_publishes__visitor_finds_it(page, new_page):
    organisation = OrganisationFactory(name={"fi": "Ompeluseura ry"})
    editor = member(Role.EDITOR, organisation)
    moderator = member(Role.PLATFORM_ADMIN)
    returned_title = "Lukupiiri"
    returned = create_listing(
        status=ListingStatus.SUBMITTED, organisation=organisation, title={"fi": returned_title}
    )
    title = "Ompelukerho"
    reason = "Kerro, onko kerho maksuton ja tarvitseeko ilmoittautua."

    # The editor writes the listing and saves it as a draft.
    sign_in(page, "fi", editor.email, PASSWORD)
    wait_for_path(page, url("fi", "accounts:profile"))
    header(page).get_by_role("link", name=tr("fi", "My listings")).click()
    wait_for_path(page, url("fi", "activities:mine"))
    page.get_by_role("main").get_by_role("link", name=tr("fi", "Create a listing")).first.click()
    wait_for_path(page, url("fi", "activities:create"))
    _fill_new_listing(page, "fi", title=title, organisation=organisation)
    page.get_by_role("button", name=tr("fi", "Save as draft")).click()

    page.wait_for_url(re.compile(r"/activities/\d+/preview/$"))
    listing = Listing.objects.get(title__fi=title)
    assert path_of(page) == url("fi", "activities:preview", pk=listing.pk)
    assert listing.status == ListingStatus.DRAFT
    assert page.get_by_role("heading", level=1).inner_text() == title
    status = page.locator(".listing-status-bar .status")
    assert status.inner_text() == tr("fi", ListingStatus.DRAFT.label)
    assert page.get_by_text(tr("fi", "Preview: this is how the public will see the listing.")).is_visible()
    # Not public yet.
    anonymous = new_page()
    assert anonymous.goto(url("fi", "activities:detail", pk=listing.pk)).status == 404

    page.get_by_role("button", name=tr("fi", "Submit for moderation")).click()
    page.get_by_text(
        tr("fi", "The listing was sent to moderation. You will see here when it is published.")
    ).wait_for()
    assert status.inner_text() == tr("fi", ListingStatus.SUBMITTED.label)

    # A platform admin publishes it and returns the other one with a reason.
    moderation = new_page()
    sign_in(moderation, "fi", moderator.email, PASSWORD)
    wait_for_path(moderation, url("fi", "accounts:profile"))
    header(moderation).get_by_role("link", name=tr("fi", "Moderation")).click()
    wait_for_path(moderation, url("fi", "activities:moderation"))
    _action(moderation, tr("fi", "Publish"), title).click()
    moderation.get_by_text(tr("fi", "The listing was published.")).wait_for()
    wait_for_path(moderation, url("fi", "activities:moderation"))
    moderation.locator(f"#reason-{returned.pk}").fill(reason)
    _action(moderation, tr("fi", "Return to the publisher"), returned_title).click()
    moderation.get_by_text(tr("fi", "The listing was returned to its publisher with your reason.")).wait_for()
    assert moderation.get_by_text(tr("fi", "Nothing is waiting for moderation.")).is_visible()

    # The editor sees the reason among their listings.
    page.goto(url("fi", "activities:mine"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=returned_title, exact=True))
    assert reason in row.locator(".return-reason").inner_text()
    assert tr("fi", "Returned by the moderator:") in row.inner_text()
    published_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    assert tr("fi", ListingStatus.PUBLISHED.label) in published_row.inner_text()

    # Anyone finds it now.
    anonymous.goto(url("fi", "activities:search"))
    anonymous.get_by_role("searchbox", name=tr("fi", "Search words")).fill("ompelukerhoon")
    anonymous.get_by_role("button", name=tr("fi", "Search"), exact=True).click()
    anonymous.wait_for_url(lambda address: "q=ompelukerhoon" in address)
    _wait_for_count(anonymous, "fi", 1)
    anonymous.locator("#results").get_by_role("link", name=title).click()
    wait_for_path(anonymous, url("fi", "activities:detail", pk=listing.pk))
    assert main_heading(anonymous).inner_text() == title
    assert anonymous.get_by_text("Kirkkonummen asukastila").is_visible()


# --- 5. Accessibility (axe-core) ----------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("kerho.png", buffer.getvalue(), content_type="image/png")


def _directory_with_handouts() -> dict[str, object]:
    """Listings (one with an image), a live handout in Arabic and an expired one."""
    listings = _directory()
    organisation = listings["sewing"].organisation
    editor = member(Role.EDITOR, organisation)
    images.listing_images_change(
        listing=listings["sewing"],
        changes=images.ImageChanges(
            add=images.ImageData(
                file=_png(), alt_text={"fi": "Ompelukone pöydällä"}, licence="CC BY 4.0", credit="Kuvaaja"
            )
        ),
        actor=editor,
    )
    counsellor_org = OrganisationFactory.municipality(KIRKKONUMMI)
    counsellor = member(Role.COUNSELLOR, counsellor_org)
    handout = services.handout_create(
        listings=[listings["club"], listings["sewing"]],
        language="ar",
        organisation=counsellor_org,
        actor=counsellor,
    )
    expired = services.handout_create(
        listings=[listings["club"]], language="so", organisation=counsellor_org, actor=counsellor
    )
    Handout.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    return {**listings, "handout": handout, "expired": expired}


def _visit_directory_pages(page, language: str, data: dict[str, object]):
    """Open every public HTML page of the directory in turn; yields a name for each once it is on screen.

    The calendars, feeds, PDF and QR code are not HTML; everything else needs signing in.
    """
    search = url(language, "activities:search")
    page.goto(search)
    assert len(_result_titles(page)) == 3
    yield "search"
    page.goto(f"{search}?q=kerho&day=sun")
    assert page.locator(".empty-state .suggestions a").count() >= 1
    yield "search, nothing found"
    page.goto(
        f"{search}?q=kerhoon&municipality={KIRKKONUMMI}&day=tue&time=evening&childcare=on&sort=relevance"
    )
    assert page.locator("details.more-filters").get_attribute("open") is not None
    assert _result_titles(page) == [CLUB_TITLE]
    yield "search with filters"
    page.goto(url(language, "activities:detail", pk=data["club"].pk) + "?lang=ar")
    assert main_heading(page).get_attribute("dir") == "rtl"
    yield "listing in Arabic"
    page.goto(url(language, "activities:detail", pk=data["sewing"].pk))
    assert page.locator(".listing-images img").get_attribute("alt") == "Ompelukone pöydällä"
    yield "listing with an image"
    page.goto(url(language, "activities:report", pk=data["club"].pk))
    yield "report form"
    page.get_by_role("button", name=tr(language, "Send the report")).click()
    page.get_by_role("alert").wait_for()
    yield "report form, refused"
    page.goto(url(language, "activities:handout", token=data["handout"].token))
    assert page.locator(".handout-entry").count() == 2
    yield "handout online"
    page.goto(url(language, "activities:handout_print", token=data["handout"].token))
    assert page.locator(".handout-entry").count() == 2
    yield "handout print view"
    response = page.goto(url(language, "activities:handout", token=data["expired"].token))
    assert response.status == 410
    yield "handout expired"
    page.goto(url(language, "activities:confirm", token=services.confirm_token(data["club"])))
    assert main_heading(page).inner_text() == tr(language, "Thank you: the listing is confirmed")
    yield "still-valid link"
    response = page.goto(url(language, "activities:confirm", token="not-a-real-token"))
    assert response.status == 410
    yield "still-valid link, invalid"


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_pages__axe_scan__no_serious_or_critical_violations(page, language):
    data = _directory_with_handouts()
    axe = Axe()
    found: dict[str, list[dict]] = {}
    visited = []

    for name in _visit_directory_pages(page, language, data):
        visited.append(name)
        results = axe.run(page)
        assert results.response["testEngine"]["name"] == "axe-core"
        assert results.response["passes"], f"axe checked nothing on {name}"
        violations = results.response["violations"] + _duplicate_ids(page)
        if violations:
            found[f"{name} ({path_of(page)})"] = violations

    assert len(visited) == 12
    print("\n".join(f"{where}:\n{_describe(violations)}" for where, violations in found.items()))
    blocking = {
        where: [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        for where, violations in found.items()
    }
    blocking = {where: violations for where, violations in blocking.items() if violations}
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(
        f"{where}:\n{_describe(violations)}" for where, violations in blocking.items()
    )


# --- 6. Phones ------------------------------------------------------------------------------------


def test_narrow_screen__search_and_listing__no_horizontal_scrolling(new_page):
    data = _directory()
    page = new_page(viewport={"width": 375, "height": 667}, device_scale_factor=2)
    pages = {
        "search": url("fi", "activities:search"),
        "search with filters": url("fi", "activities:search") + "?q=kerho&day=tue&childcare=on",
        "listing": url("fi", "activities:detail", pk=data["club"].pk),
        "listing in Arabic": url("fi", "activities:detail", pk=data["club"].pk) + "?lang=ar",
    }
    overflowing = {}

    for name, path in pages.items():
        page.goto(path)
        assert page.evaluate("() => window.innerWidth") == 375
        if (overflow := _horizontal_overflow(page)) > 0:
            overflowing[name] = overflow

    assert not overflowing, f"Pages wider than a 375 px screen (px too wide): {overflowing}"

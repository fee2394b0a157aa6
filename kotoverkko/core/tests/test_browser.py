"""What a visitor notices in a real Chromium: languages, signing in, invitations, accessibility, phones.

Visible texts come from Django's gettext for the page's language, so the tests hold whatever the
Finnish and Swedish catalogues say. Fixtures (one Chromium per session) are in conftest.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, gettext, ngettext

from kotoverkko.accounts.errors import AccountErrorCode
from kotoverkko.accounts.models import Membership
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.services import invitation_create, invitation_token
from kotoverkko.core import i18n
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Language, Municipality

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "Kotoverkko-testi-2026!"


def tr(language: str, message) -> str:
    """`message` (a msgid or a lazy translation) as the UI shows it in `language`."""
    with translation.override(language):
        return gettext(message) if isinstance(message, str) else str(message)


def _organisation_count(language: str, count: int) -> str:
    with translation.override(language):
        return ngettext("%(counter)s organisation", "%(counter)s organisations", count) % {"counter": count}


def url(language: str, name: str, **kwargs) -> str:
    """The path of a named view in a UI language (Finnish has no prefix)."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def path_of(page) -> str:
    """The address the browser shows, without scheme and host (query string kept)."""
    return re.sub(r"^https?://[^/]+", "", page.url)


def wait_for_path(page, path: str) -> None:
    """Wait until the browser has loaded the page at `path` (exactly, not just a suffix)."""
    page.wait_for_url(lambda address: urlsplit(address).path == path)


def main_heading(page):
    return page.get_by_role("heading", level=1)


def header(page):
    return page.get_by_role("banner")


def sign_in(page, language: str, email: str, password: str) -> None:
    page.goto(url(language, "accounts:login"))
    page.get_by_label(tr(language, "E-mail address")).fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("main").get_by_role("button", name=tr(language, "Sign in")).click()


# --- 1. Languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_home__each_language__lang_attribute_and_heading_in_that_language(page, language):
    response = page.goto(url(language, "core:home"))

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert main_heading(page).inner_text() == tr(language, "Integration work together")
    assert page.title().startswith(tr(language, "Home"))
    switcher = page.get_by_role("navigation", name=tr(language, "Languages"))
    for target in LANGUAGES:
        link = switcher.get_by_role("link", name=get_language_info(target)["name_local"], exact=False)
        assert link.get_attribute("href") == url(target, "core:home")


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switcher__each_other_language__opens_same_page_in_it(page, language):
    switcher = page.get_by_role("navigation", name=tr(language, "Languages"))
    for target in LANGUAGES:
        if target == language:
            continue
        page.goto(url(language, "core:accessibility"))
        current = switcher.get_by_role("link", name=get_language_info(language)["name_local"], exact=False)
        assert current.get_attribute("aria-current") == "true"

        switcher.get_by_role("link", name=get_language_info(target)["name_local"], exact=False).click()

        wait_for_path(page, url(target, "core:accessibility"))
        assert path_of(page) == url(target, "core:accessibility")
        assert page.locator("html").get_attribute("lang") == target
        assert main_heading(page).inner_text() == tr(target, "Accessibility statement")


# --- 2. Signing in and out ----------------------------------------------------------------------


def test_sign_in__correct_password__account_page_shows_organisation_then_sign_out(page):
    user = member(Role.EDITOR)
    organisation = user.memberships.get().organisation

    sign_in(page, "fi", user.email, PASSWORD)

    wait_for_path(page, url("fi", "accounts:profile"))
    assert main_heading(page).inner_text() == tr("fi", "My account")
    assert page.get_by_role("link", name=i18n.localized(organisation.name, "fi")).is_visible()
    sign_in_link = header(page).get_by_role("link", name=tr("fi", "Sign in"))
    assert sign_in_link.count() == 0

    header(page).get_by_role("button", name=tr("fi", "Sign out")).click()

    wait_for_path(page, url("fi", "core:home"))
    assert sign_in_link.is_visible()
    assert header(page).get_by_role("button", name=tr("fi", "Sign out")).count() == 0


def test_sign_in__wrong_password__error_shown_and_stays_on_sign_in_page(page):
    user = member(Role.EDITOR)

    sign_in(page, "en", user.email, "not the password at all")

    error = page.get_by_role("alert")
    error.wait_for()
    assert tr("en", "The e-mail address or the password is wrong.") in error.inner_text()
    assert path_of(page) == url("en", "accounts:login")
    assert main_heading(page).inner_text() == tr("en", "Sign in")
    assert header(page).get_by_role("link", name=tr("en", "Sign in")).is_visible()


# --- 3. and 4. Invitations ------------------------------------------------------------------------


def _invitation(role: Role = Role.EDITOR, email: str = "invited.person@example.fi"):
    admin = member(Role.ORG_ADMIN)
    organisation = admin.memberships.get().organisation
    invitation = invitation_create(organisation=organisation, email=email, role=role, actor=admin)
    return invitation, invitation_token(invitation)


def test_invitation__new_person_accepts__signed_in_on_organisation_page_with_role(page):
    invitation, token = _invitation(role=Role.EDITOR)
    organisation = invitation.organisation

    page.goto(url("fi", "accounts:invitation", token=token))
    page.get_by_label(tr("fi", "Your name")).fill("Uusi Ihminen")
    page.locator('input[name="password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="password2"]').fill(NEW_PASSWORD)
    page.get_by_role("button", name=tr("fi", "Create account and accept")).click()

    wait_for_path(page, url("fi", "organisations:detail", pk=organisation.pk))
    assert main_heading(page).inner_text() == i18n.localized(organisation.name, "fi")
    assert header(page).get_by_role("button", name=tr("fi", "Sign out")).is_visible()
    assert header(page).get_by_role("link", name=tr("fi", "My account")).is_visible()
    assert Membership.objects.filter(
        organisation=organisation, user__email=invitation.email, role=Role.EDITOR
    ).exists()


@pytest.mark.parametrize(
    ("token_kind", "error"),
    [("garbage", AccountErrorCode.INVITATION_INVALID), ("expired", AccountErrorCode.INVITATION_EXPIRED)],
)
def test_invitation__invalid_or_expired_link__clear_error_page(page, settings, token_kind, error):
    if token_kind == "garbage":
        token = "not-a-real-invitation-token"
    else:
        _invitation_obj, token = _invitation()
        settings.INVITATION_MAX_AGE_DAYS = -1  # every link is older than that

    response = page.goto(url("en", "accounts:invitation", token=token))

    assert response.status == 410
    assert main_heading(page).inner_text() == tr("en", "The invitation cannot be used")
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert alert.inner_text().strip() == tr("en", error.label)
    assert page.locator('input[type="password"]').count() == 0


# --- 5. Accessibility (axe-core) ------------------------------------------------------------------

BLOCKING_IMPACTS = {"serious", "critical"}


def _rich_organisation():
    """A public organisation with everything the detail page can show, and one unit."""
    organisation = OrganisationFactory(
        name={
            "fi": "Monikielinen neuvonta ry",
            "sv": "Mångspråkig rådgivning rf",
            "ar": "الإرشاد متعدد اللغات",
        },
        description={
            "fi": "Neuvontaa maahan muuttaneille.\n\nAvoinna arkisin.",
            "en": "Advice for newcomers.\n\nOpen on weekdays.",
        },
        business_id="0101263-6",
        email="neuvonta@example.fi",
        phone="+358 40 123 4567",
        website="https://neuvonta.example.fi/hyvin/pitka/osoite/joka/ei/mahdu/kapealle/naytolle",
        street_address="Esimerkkikatu 1 A 2",
        postal_code="02100",
        post_office="Espoo",
    )
    organisation.municipalities_served.set(Municipality.objects.filter(code__in=["049", "091", "092"]))
    organisation.languages_served.set(Language.objects.filter(code__in=["fi", "sv", "en", "ar", "so"]))
    OrganisationFactory(name={"fi": "Nuorten kielikahvila"}, parent=organisation)
    return organisation


def _visit_public_pages(page, language: str, *, organisation, invitation_url: str):
    """Open every public page in turn; yields a name for each once it is on screen."""
    page.goto(url(language, "core:home"))
    yield "home"
    page.goto(url(language, "organisations:list"))
    yield "organisation list"
    page.goto(url(language, "organisations:list") + "?q=zzzz-ei-osumia")
    yield "organisation list, nothing found"
    page.goto(url(language, "organisations:detail", pk=organisation.pk))
    yield "organisation detail"
    sign_in(page, language, "nobody@example.fi", "wrong password here")
    page.get_by_role("alert").wait_for()
    yield "sign-in, failed"
    page.goto(url(language, "accounts:login"))
    yield "sign-in"
    page.goto(url(language, "accounts:password_reset"))
    yield "password reset form"
    page.get_by_label(tr(language, "Email")).fill("nobody@example.fi")
    page.get_by_role("main").get_by_role("button").click()
    wait_for_path(page, url(language, "accounts:password_reset_done"))
    yield "password reset sent"
    page.goto(url(language, "core:accessibility"))
    yield "accessibility statement"
    page.goto(invitation_url)
    yield "invitation"
    page.get_by_label(tr(language, "Your name")).fill("Testi Henkilö")
    page.locator('input[name="password1"]').fill("password")  # too short and too common
    page.locator('input[name="password2"]').fill("password")
    page.get_by_role("button", name=tr(language, "Create account and accept")).click()
    page.get_by_role("alert").wait_for()
    yield "invitation, refused password"
    page.goto(url(language, "accounts:invitation", token="not-a-real-token"))
    yield "invitation, invalid"


def _duplicate_ids(page) -> list[dict]:
    """Repeated ids (axe 4.12 no longer reports them): labels and aria-describedby reach only the first."""
    repeated = page.evaluate(
        """() => {
            const seen = {};
            for (const { id } of document.querySelectorAll("[id]")) seen[id] = (seen[id] || 0) + 1;
            return Object.keys(seen).filter((id) => seen[id] > 1);
        }"""
    )
    if not repeated:
        return []
    nodes = [{"target": [f"#{element_id}"]} for element_id in repeated]
    return [{"id": "duplicate-id", "impact": "serious", "help": "ids must be unique", "nodes": nodes}]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages__axe_scan__no_serious_or_critical_violations(page, language):
    organisation = _rich_organisation()
    OrganisationFactory.create_batch(3)
    OrganisationFactory.municipality("091", name={"fi": "Helsingin kaupunki", "sv": "Helsingfors stad"})
    _invitation_obj, token = _invitation(role=Role.EDITOR)
    axe = Axe()
    found: dict[str, list[dict]] = {}

    for name in _visit_public_pages(
        page,
        language,
        organisation=organisation,
        invitation_url=url(language, "accounts:invitation", token=token),
    ):
        # Playwright evaluates axe through the DevTools protocol, which the page's CSP does not
        # govern, so the scan runs against the real policy (no bypass_csp needed).
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


# --- 6. Keyboard, phones and zoom ---------------------------------------------------------------------------


FOCUS_RING = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        element: element.outerHTML.slice(0, 80),
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth,
    };
}"""


def test_keyboard__skip_link__first_tab_stop_and_moves_focus_to_main_content(page):
    page.goto(url("en", "core:home"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=tr("en", "Skip to content"))
    assert skip_link.evaluate("(link) => link === document.activeElement")
    assert page.evaluate(FOCUS_RING)["onScreen"], "The focused skip link is off screen"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    # The next stop is the main content's first control: the home page's first search, for activities.
    search = page.get_by_role("main").get_by_label(tr("en", "Search activities"))
    assert search.evaluate("(input) => input === document.activeElement")


@pytest.mark.parametrize("path_name", ["core:home", "accounts:login"])
def test_keyboard__every_tab_stop__visible_focus_ring_on_screen(page, path_name):
    page.goto(url("en", path_name))
    seen, faults = [], []

    for _stop in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        focus = page.evaluate(FOCUS_RING)
        if focus["element"] in seen:
            break
        seen.append(focus["element"])
        if not (focus["ring"] and focus["onScreen"]):
            faults.append(focus)

    assert len(seen) >= 5, f"Too few tab stops: {seen}"
    assert not faults, f"Focus not visible on: {faults}"


def _horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [375, 320])  # a common phone; WCAG 1.4.10 reflow width
def test_narrow_screen__home_list_detail_sign_in__no_horizontal_scrolling(new_page, width):
    organisation = _rich_organisation()
    OrganisationFactory.create_batch(2)
    # Not is_mobile: Chromium's mobile emulation zooms out to fit a too-wide page, which would hide it.
    page = new_page(viewport={"width": width, "height": 667}, device_scale_factor=2)
    pages = {
        "home": url("fi", "core:home"),
        "organisation list": url("fi", "organisations:list"),
        "organisation detail": url("fi", "organisations:detail", pk=organisation.pk),
        "sign-in": url("fi", "accounts:login"),
    }
    overflowing = {}

    for name, path in pages.items():
        page.goto(path)
        assert page.evaluate("() => window.innerWidth") == width
        if (overflow := _horizontal_overflow(page)) > 0:
            overflowing[name] = overflow

    assert not overflowing, f"Pages wider than a {width} px screen (px too wide): {overflowing}"


@pytest.mark.parametrize("path_name", ["core:home", "organisations:list"])
def test_zoom_200_percent__main_navigation_and_its_links_visible(new_page, path_name):
    OrganisationFactory.create_batch(2)
    # A 1280 x 800 window at 200 % zoom lays the page out in 640 x 400 CSS pixels.
    page = new_page(viewport={"width": 640, "height": 400}, device_scale_factor=2)

    page.goto(url("fi", path_name))

    navigation = page.get_by_role("navigation", name=tr("fi", "Main"))
    assert navigation.is_visible()
    for name in ("Home", "Organisations", "Sign in"):
        link = navigation.get_by_role("link", name=tr("fi", name))
        assert link.is_visible()
        assert link.evaluate("(a) => a.getBoundingClientRect().right <= window.innerWidth")
    assert _horizontal_overflow(page) <= 0


# --- 7. Content Security Policy -------------------------------------------------------------------


def _csp_messages(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(f"{message.type}: {message.text}")
            if "content security policy" in message.text.lower()
            else None
        ),
    )
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    return messages


@pytest.mark.parametrize(
    "path_name", ["core:home", "organisations:list", "accounts:login", "core:accessibility"]
)
def test_pages__csp_header__self_only_and_no_inline_code(page, path_name):
    response = page.goto(url("en", path_name))

    csp = response.header_value("content-security-policy")
    assert csp, "The Content-Security-Policy header is missing"
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_home__loaded_in_browser__no_csp_violations_in_console(page):
    messages = _csp_messages(page)

    page.goto(url("fi", "core:home"))
    page.wait_for_load_state("networkidle")

    assert page.evaluate("() => typeof window.htmx") == "object", "htmx did not load"
    assert messages == []


def test_home__script_injected_inline__browser_refuses_it(page):
    page.goto(url("fi", "core:home"))

    with page.expect_console_message(
        lambda message: "content security policy" in message.text.lower()
    ) as refusal:
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )

    assert "script-src" in refusal.value.text
    assert page.evaluate("() => window.injected") is None


def test_organisation_list__filter_changed__results_swapped_in_place_without_csp_violations(page):
    OrganisationFactory.create_batch(3)
    municipality = OrganisationFactory.municipality(
        "091", name={"fi": "Helsingin kaupunki", "sv": "Helsingfors stad"}
    )
    messages = _csp_messages(page)
    page.goto(url("en", "organisations:list"))
    status = page.get_by_role("status")
    assert status.inner_text() == _organisation_count("en", 4)

    with page.expect_response(lambda response: "kind=municipality" in response.url):
        page.get_by_label(tr("en", "Type")).select_option("municipality")

    page.wait_for_function(
        "(text) => document.getElementById('result-count').innerText.trim() === text",
        arg=_organisation_count("en", 1),
    )
    assert status.inner_text() == _organisation_count("en", 1)
    assert page.locator("#results").count() == 1
    assert page.locator("#result-count").count() == 1
    results = page.locator("#results").get_by_role("listitem")
    assert results.count() == 1
    assert results.get_by_role("link").inner_text() == i18n.localized(municipality.name, "en")
    assert "kind=municipality" in page.url
    assert _duplicate_ids(page) == []
    assert messages == []

"""Handing listings over: the basket, the handout in the client's language, its PDF, QR code and counts."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import handouts, services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Handout, HandoutCount, Listing
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "نادي اللغة الفنلندية"
ARABIC_SUMMARY = "نتدرب على اللغة الفنلندية معًا."


def _in(language: str, text: str, **values: str) -> str:
    """A UI string as the page shows it in `language` (translated and filled in)."""
    with translation.override(language):
        return translation.gettext(text) % values if values else translation.gettext(text)


@pytest.fixture
def municipality_org():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def counsellor(municipality_org):
    return member(Role.COUNSELLOR, municipality_org)


@pytest.fixture
def counsellor_client(client, counsellor):
    client.force_login(counsellor)
    return client


@pytest.fixture
def arabic_listing():
    """A club with every text in Arabic as well."""
    return create_listing(
        title={"fi": "Suomen kielen kerho", "ar": ARABIC_TITLE},
        summary={"fi": "Harjoittelemme suomea rennosti.", "ar": ARABIC_SUMMARY},
        description={"fi": "Tule mukaan!", "ar": "انضم إلينا!"},
        place_name={"fi": "Kirkkonummen pääkirjasto", "ar": "مكتبة كيركونومي الرئيسية"},
    )


@pytest.fixture
def finnish_listing():
    """A club with no Arabic text at all."""
    return create_listing(
        title={"fi": "Lukupiiri", "en": "Reading circle"},
        summary={"fi": "Luemme yhdessä helppoja kirjoja."},
        place_name={"fi": "Kirjasto"},
    )


def _basket(client, *listings: Listing) -> None:
    session = client.session
    session[handouts.BASKET_SESSION_KEY] = [listing.pk for listing in listings]
    session.save()


def _article(language: str, direction: str, title: str) -> re.Pattern:
    """A listing block in the handout: its language and direction, then its title."""
    return re.compile(
        f'<article class="handout-entry" lang="{language}" dir="{direction}"[^>]*>\\s*<h2[^>]*>{title}</h2>'
    )


def _make(counsellor, listings: list[Listing], language: str = "ar") -> Handout:
    organisation = counsellor.memberships.get().organisation
    return services.handout_create(
        listings=listings, language=language, organisation=organisation, actor=counsellor
    )


# --- Basket ------------------------------------------------------------------------------------


def test_basket_add__public_listing__is_in_the_basket(counsellor_client, arabic_listing):
    response = counsellor_client.post(reverse("activities:basket_add", args=[arabic_listing.pk]))
    assert response.status_code == 302
    assert response.url == reverse("activities:basket")
    assert counsellor_client.session[handouts.BASKET_SESSION_KEY] == [arabic_listing.pk]
    page = counsellor_client.get(reverse("activities:basket")).content.decode()
    assert "Suomen kielen kerho" in page


def test_basket_add__twice__listed_once(counsellor_client, arabic_listing):
    url = reverse("activities:basket_add", args=[arabic_listing.pk])
    counsellor_client.post(url)
    counsellor_client.post(url)
    assert counsellor_client.session[handouts.BASKET_SESSION_KEY] == [arabic_listing.pk]


def test_basket_add__safe_next__goes_back_there(counsellor_client, arabic_listing):
    url = reverse("activities:basket_add", args=[arabic_listing.pk])
    back = reverse("activities:detail", args=[arabic_listing.pk])
    assert counsellor_client.post(url, {"next": back}).url == back
    assert counsellor_client.post(url, {"next": "https://evil.example/"}).url == reverse("activities:basket")


def test_basket_add__over_the_limit__refused(counsellor_client, monkeypatch):
    monkeypatch.setattr(handouts, "BASKET_LIMIT", 2)
    first, second, third = (create_listing(title={"fi": f"Kerho {n}"}) for n in range(3))
    for listing in (first, second, third):
        response = counsellor_client.post(reverse("activities:basket_add", args=[listing.pk]), follow=True)
    assert counsellor_client.session[handouts.BASKET_SESSION_KEY] == [first.pk, second.pk]
    refusal = _in("fi", "A handout can hold at most %(limit)s activities.", limit="2")
    assert refusal in response.content.decode()


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.ARCHIVED])
def test_basket_add__listing_not_public__404(counsellor_client, status):
    listing = create_listing(status=status)
    response = counsellor_client.post(reverse("activities:basket_add", args=[listing.pk]))
    assert response.status_code == 404
    assert handouts.BASKET_SESSION_KEY not in counsellor_client.session


def test_basket_add__htmx__answers_the_button_fragment(counsellor_client, arabic_listing):
    response = counsellor_client.post(
        reverse("activities:basket_add", args=[arabic_listing.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert _in("fi", "In the handout.") in html


def test_basket_remove__listing_in_basket__removed(counsellor_client, arabic_listing, finnish_listing):
    _basket(counsellor_client, arabic_listing, finnish_listing)
    response = counsellor_client.post(reverse("activities:basket_remove", args=[arabic_listing.pk]))
    assert response.status_code == 302
    assert counsellor_client.session[handouts.BASKET_SESSION_KEY] == [finnish_listing.pk]


def test_basket__listing_archived_since__dropped(counsellor_client, arabic_listing, finnish_listing):
    _basket(counsellor_client, arabic_listing, finnish_listing)
    Listing.objects.filter(pk=finnish_listing.pk).update(status=ListingStatus.ARCHIVED)
    html = counsellor_client.get(reverse("activities:basket")).content.decode()
    assert "Lukupiiri" not in html
    assert counsellor_client.session[handouts.BASKET_SESSION_KEY] == [arabic_listing.pk]


def test_basket__page__languages_common_first_and_no_name_field(counsellor_client, arabic_listing):
    _basket(counsellor_client, arabic_listing)
    html = counsellor_client.get(reverse("activities:basket")).content.decode()
    select = html[html.index('name="language"') :]
    positions = [select.index(f'value="{code}"') for code in ("ar", "so", "ru", "uk", "fa", "prs", "ckb")]
    assert positions == sorted(positions)
    assert select.index('value="ar"') < select.index('value="de"')
    assert _in("fi", "Do not write the client's name anywhere.") in html
    assert 'name="name"' not in html
    # One organisation: nothing to choose.
    assert 'type="hidden" name="organisation"' in html


def test_basket__member_of_two_organisations__chooses_one(client, arabic_listing, counsellor):
    second = OrganisationFactory(name={"fi": "Neuvontapiste ry"})
    MembershipFactory(user=counsellor, organisation=second, role=Role.COUNSELLOR)
    client.force_login(counsellor)
    _basket(client, arabic_listing)
    html = client.get(reverse("activities:basket")).content.decode()
    assert '<select name="organisation"' in html
    assert "Neuvontapiste ry" in html
    assert "Kirkkonummen kunta" in html


# --- Making the handout ---------------------------------------------------------------------------


def test_handout_create__basket_and_language__handout_and_print_view(
    counsellor_client, counsellor, arabic_listing, finnish_listing
):
    _basket(counsellor_client, arabic_listing, finnish_listing)
    response = counsellor_client.post(reverse("activities:handout_create"), {"language": "ar"})
    handout = Handout.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:handout_print", args=[handout.token])
    assert handout.language == "ar"
    assert handout.created_by == counsellor
    assert handout.municipality_id == "257"
    assert list(handout.items.values_list("listing_id", flat=True)) == [arabic_listing.pk, finnish_listing.pk]
    expected_expiry = timezone.now() + datetime.timedelta(days=settings.HANDOUT_VALID_DAYS)
    assert abs(handout.expires_at - expected_expiry) < datetime.timedelta(minutes=1)
    assert handouts.BASKET_SESSION_KEY not in counsellor_client.session


def test_handout_create__empty_basket__refused(counsellor_client):
    response = counsellor_client.post(reverse("activities:handout_create"), {"language": "ar"})
    assert response.status_code == 200
    assert not Handout.objects.exists()
    assert _in("fi", "Add at least one listing to the handout.") in response.content.decode()


def test_handout_create__no_language__refused(counsellor_client, arabic_listing):
    _basket(counsellor_client, arabic_listing)
    response = counsellor_client.post(reverse("activities:handout_create"), {"language": ""})
    assert response.status_code == 200
    assert not Handout.objects.exists()


def test_handout_create__organisation_not_the_users__refused(client, counsellor, arabic_listing):
    second = OrganisationFactory()
    MembershipFactory(user=counsellor, organisation=second, role=Role.COUNSELLOR)
    client.force_login(counsellor)
    _basket(client, arabic_listing)
    stranger = OrganisationFactory()
    response = client.post(
        reverse("activities:handout_create"), {"language": "ar", "organisation": stranger.pk}
    )
    assert response.status_code == 200
    assert not Handout.objects.exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_handout_create__not_a_counsellor__403(client, arabic_listing, role):
    client.force_login(member(role))
    _basket(client, arabic_listing)
    response = client.post(reverse("activities:handout_create"), {"language": "ar"})
    assert response.status_code == 403
    assert not Handout.objects.exists()


def test_handout_create_service__not_a_counsellor__refused(arabic_listing):
    editor = member(Role.EDITOR)
    with pytest.raises(ApplicationError) as error:
        services.handout_create(
            listings=[arabic_listing],
            language="ar",
            organisation=editor.memberships.get().organisation,
            actor=editor,
        )
    assert error.value.code == "not_allowed"


def test_handout_create_service__no_listings__refused(counsellor):
    with pytest.raises(ApplicationError) as error:
        _make(counsellor, [])
    assert error.value.code == "handout_empty"


# --- Anonymous counts -------------------------------------------------------------------------------


def test_handout_counts__per_listing_municipality_and_month__increase(
    counsellor, arabic_listing, finnish_listing, monkeypatch
):
    _make(counsellor, [arabic_listing, finnish_listing])
    _make(counsellor, [arabic_listing], language="so")
    espoo_counsellor = member(Role.COUNSELLOR, OrganisationFactory.municipality("049"))
    _make(espoo_counsellor, [arabic_listing])
    month = timezone.localdate().replace(day=1)

    def count(listing: Listing, municipality: str) -> int:
        return HandoutCount.objects.get(listing=listing, municipality_id=municipality, month=month).count

    assert count(arabic_listing, "257") == 2
    assert count(finnish_listing, "257") == 1
    assert count(arabic_listing, "049") == 1

    next_month = timezone.now() + datetime.timedelta(days=32)
    later_month = timezone.localtime(next_month).date().replace(day=1)
    monkeypatch.setattr(timezone, "now", lambda: next_month)
    _make(counsellor, [arabic_listing])
    later = HandoutCount.objects.get(listing=arabic_listing, municipality_id="257", month=later_month)
    assert later.count == 1
    assert count(arabic_listing, "257") == 2


def test_handout_counts__no_personal_data_in_the_handout():
    names = {field.name for field in Handout._meta.get_fields()}
    assert not names & {"name", "client", "client_name", "email", "phone", "birth_date", "note"}


# --- The handout in Arabic ------------------------------------------------------------------------


def test_handout_page__arabic__rtl_content_and_marked_fallback(
    client, counsellor, arabic_listing, finnish_listing
):
    handout = _make(counsellor, [arabic_listing, finnish_listing])
    with translation.override("en"):
        url = reverse("activities:handout", args=[handout.token])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<div class="handout-entries" lang="ar" dir="rtl">' in html
    assert _article("ar", "rtl", ARABIC_TITLE).search(html)
    assert f'lang="ar" dir="rtl">{ARABIC_SUMMARY}</p>' in html
    # The Finnish-only listing is shown in Finnish, left to right, and says so.
    assert _article("fi", "ltr", "Lukupiiri").search(html)
    assert escape("Not available in Arabic – shown in Finnish.") in html
    assert html.count("Not available in Arabic") == 1
    assert f'href="{handouts.short_link(handout)}"' in html
    assert reverse("activities:handout_qr", args=[handout.token]) in html


def test_handout_page__partly_translated__says_partly(client, counsellor):
    listing = create_listing(title={"fi": "Kerho", "ar": ARABIC_TITLE}, summary={"fi": "Vain suomeksi."})
    handout = _make(counsellor, [listing])
    with translation.override("en"):
        html = client.get(reverse("activities:handout", args=[handout.token])).content.decode()
    assert escape("Partly not available in Arabic – some parts shown in Finnish.") in html
    assert 'lang="fi" dir="ltr">Vain suomeksi.</p>' in html


def test_handout_page__swedish_handout__labels_in_swedish(client, counsellor):
    listing = create_listing(title={"fi": "Kerho", "sv": "Klubben"}, summary={"fi": "Vain suomeksi."})
    handout = _make(counsellor, [listing], language="sv")
    html = client.get(reverse("activities:handout", args=[handout.token])).content.decode()
    assert '<article class="handout-entry" lang="sv" dir="ltr"' in html
    assert '<dt><span lang="sv" dir="ltr">' in html
    assert handouts.short_link(handout).startswith(settings.SITE_URL.rstrip("/") + "/sv/h/")


def test_handout_page__next_times_in_the_clients_language(client, counsellor, arabic_listing):
    handout = _make(counsellor, [arabic_listing])
    html = client.get(reverse("activities:handout", args=[handout.token])).content.decode()
    assert "الثلاثاء" in html  # Tuesday


def test_handout_page__listing_archived_since__says_so(client, counsellor, arabic_listing, finnish_listing):
    handout = _make(counsellor, [arabic_listing, finnish_listing])
    Listing.objects.filter(pk=finnish_listing.pk).update(status=ListingStatus.ARCHIVED)
    with translation.override("en"):
        html = client.get(reverse("activities:handout", args=[handout.token])).content.decode()
    assert "Lukupiiri" not in html
    assert "One more activity in this handout is no longer listed." in html


def test_handout_page__more_listings__no_more_queries(client, counsellor):
    listings = [create_listing(title={"fi": f"Kerho {n}"}) for n in range(6)]
    few, many = _make(counsellor, listings[:2]), _make(counsellor, listings)
    counts = []
    for handout in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("activities:handout", args=[handout.token])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_handout_page__expired__410_with_message(client, counsellor, arabic_listing):
    handout = _make(counsellor, [arabic_listing])
    Handout.objects.filter(pk=handout.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for route in ("handout", "handout_print", "handout_pdf", "handout_qr"):
        response = client.get(reverse(f"activities:{route}", args=[handout.token]))
        assert response.status_code == 410, route
        assert _in("fi", "This handout has expired") in response.content.decode()


def test_handout_page__unknown_token__404(client):
    assert client.get(reverse("activities:handout", args=["no-such-token"])).status_code == 404


# --- Print view, QR code and PDF ----------------------------------------------------------------------


def test_handout_print__large_type_sheet_with_qr_and_link(client, counsellor, arabic_listing):
    handout = _make(counsellor, [arabic_listing])
    response = client.get(reverse("activities:handout_print", args=[handout.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<body class="handout-print">' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert f'src="{reverse("activities:handout_qr", args=[handout.token])}"' in html
    assert handouts.short_link(handout) in html
    assert ARABIC_TITLE in html
    assert _in("fi", "Do not write the client's name on the handout.") in html


def test_handout_qr__valid_svg_of_the_short_link(client, counsellor, arabic_listing):
    handout = _make(counsellor, [arabic_listing])
    response = client.get(reverse("activities:handout_qr", args=[handout.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own SVG)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == handouts.short_link(handout)
    assert root.find("{http://www.w3.org/2000/svg}path") is not None


def test_handout_pdf__arabic__pdf_attachment(client, counsellor, arabic_listing, finnish_listing):
    handout = _make(counsellor, [arabic_listing, finnish_listing])
    response = client.get(reverse("activities:handout_pdf", args=[handout.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{handouts.pdf_filename(handout)}"'
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


def _pdf_html(handout: Handout) -> str:
    """The HTML the PDF view feeds to WeasyPrint."""
    request = RequestFactory().get("/")
    from kotoverkko.activities import views_handouts

    context = views_handouts._handout_context(handout)
    context |= {"qr_src": handouts.qr_data_uri(context["link"]), "for_pdf": True}
    return render_to_string("activities/handouts/print.html", context, request=request)


def _page_texts(document) -> list[str]:
    texts = []
    for page in document.pages:
        texts.append("".join(getattr(box, "text", "") for box in page._page_box.descendants()))
    return texts


def test_handout_pdf__arabic__rtl_text_laid_out_with_qr(counsellor, arabic_listing, finnish_listing):
    handout = _make(counsellor, [arabic_listing, finnish_listing])
    html = _pdf_html(handout)
    assert '<div class="handout-entries" lang="ar" dir="rtl">' in html
    assert 'src="data:image/svg+xml' in html
    assert "/qr.svg" not in html
    document = handouts.pdf_document(html)
    page = document.pages[0]
    assert (round(page.width), round(page.height)) == (794, 1123)  # A4 in CSS pixels
    boxes = list(page._page_box.descendants())
    arabic = [box for box in boxes if ARABIC_TITLE.split()[0] in getattr(box, "text", "")]
    assert arabic
    assert any(box.style["direction"] == "rtl" for box in arabic)
    body_text = next(box for box in boxes if ARABIC_SUMMARY.split()[0] in getattr(box, "text", ""))
    assert body_text.style["font_size"] >= 16 * 4 / 3  # 16pt in CSS pixels
    assert any(box.element_tag == "img" for box in boxes if hasattr(box, "element_tag"))
    assert handouts.short_link(handout) in "".join(_page_texts(document))


def test_handout_pdf__many_listings__several_pages(counsellor):
    listings = [
        create_listing(
            title={"fi": f"Kerho {n}", "ar": f"النادي {n}"},
            description={"fi": "Pitkä kuvaus. " * 40},
        )
        for n in range(6)
    ]
    handout = _make(counsellor, listings)
    document = handouts.pdf_document(_pdf_html(handout))
    assert len(document.pages) > 1
    assert "Kerho 5" in "".join(_page_texts(document)) or "النادي 5" in "".join(_page_texts(document))


def test_pdf_fetcher__only_static_files_and_data_uris():
    fetcher = handouts._fetcher(settings.SITE_URL.rstrip("/") + "/")
    css = fetcher(settings.SITE_URL.rstrip("/") + settings.STATIC_URL + "css/activities.css")
    assert b"handout" in css.read()
    assert fetcher("data:text/plain,hello").read() == b"hello"
    for url in (
        "https://example.com/style.css",
        "file:///etc/passwd",
        settings.SITE_URL.rstrip("/") + settings.STATIC_URL + "../config/settings/base.py",
        settings.SITE_URL.rstrip("/") + "/admin/",
    ):
        with pytest.raises(ValueError, match=r"^(Not fetched|No such static file)"):
            fetcher(url)


# --- The reusable "add to a handout" button ---------------------------------------------------------


def _button(user, listing: Listing) -> str:
    request = RequestFactory().get("/activities/")
    request.user = user
    request.session = {}
    context = {"listing": listing, "request": request, **handouts.handout_context(request)}
    return render_to_string("activities/handouts/add_button.html", context).strip()


def test_add_button__counsellor__shows_the_form(counsellor, arabic_listing):
    html = _button(counsellor, arabic_listing)
    assert reverse("activities:basket_add", args=[arabic_listing.pk]) in html
    assert 'name="next" value="/activities/"' in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, None])
def test_add_button__cannot_hand_out__renders_nothing(arabic_listing, role):
    from django.contrib.auth.models import AnonymousUser

    user = member(role) if role else AnonymousUser()
    assert _button(user, arabic_listing) == ""

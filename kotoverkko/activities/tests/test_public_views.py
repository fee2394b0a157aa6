"""The public directory as a visitor meets it: searching, a listing's page, reporting a problem."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from kotoverkko.activities import services
from kotoverkko.activities.enums import (
    GenderRestriction,
    ListingSection,
    ListingStatus,
    Registration,
    ReportReason,
    ReportStatus,
)
from kotoverkko.activities.models import Listing, Report, UnmetSearch
from kotoverkko.activities.tests.factories import (
    HELSINKI,
    TargetGroupFactory,
    ThemeFactory,
    create_listing,
    next_weekday,
)
from kotoverkko.reference.models import Language, Municipality

pytestmark = pytest.mark.django_db

SEARCH = "/activities/"


def _in(language: str, text: str, **values: object) -> str:
    """The text as the page shows it in `language` (translated, filled in, HTML-escaped)."""
    with translation.override(language):
        translated = translation.gettext(text)
    return escape(translated % values if values else translated)


def _count_in(language: str, singular: str, plural: str, count: int, **values: object) -> str:
    """A counted `{% blocktranslate %}` text as the page shows it in `language`: the singular or plural
    translation for `count` (as `counter`), filled in with the HTML-escaped values."""
    with translation.override(language):
        translated = translation.ngettext(singular, plural, count)
    return translated % {"counter": count, **{name: escape(value) for name, value in values.items()}}


def _titles(response) -> list[str]:
    """The titles of the result cards, in order."""
    return re.findall(r'<h3 class="result-title"><a [^>]*>([^<]+)</a>', response.content.decode())


def _weekly(weekday: int, hour: int = 17, hours: int = 2) -> list[services.ScheduleData]:
    start = next_weekday(weekday, hour=hour)
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return [
        services.ScheduleData(
            starts_at=start, ends_at=start + datetime.timedelta(hours=hours), rrule=f"FREQ=WEEKLY;BYDAY={day}"
        )
    ]


def _once(days_ahead: int, hour: int = 12) -> list[services.ScheduleData]:
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    start = datetime.datetime.combine(day, datetime.time(hour), HELSINKI)
    return [services.ScheduleData(starts_at=start, ends_at=start + datetime.timedelta(hours=2))]


def _listing(title: str, **overrides: object) -> Listing:
    return create_listing(title={"fi": title}, **overrides)


# --- Search: each filter narrows the results -------------------------------------------------------


def test_search__no_filters__lists_public_listings_with_count(client):
    _listing("Kielikahvila")
    _listing("Ompelupiiri")
    _listing("Luonnos", status=ListingStatus.DRAFT)
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Kielikahvila", "Ompelupiiri"]
    found = _count_in("fi", "%(counter)s activity found", "%(counter)s activities found", 2)
    assert found in response.content.decode()


def test_search__text__finds_matching_only(client):
    _listing("Suomen kielen kerho")
    _listing("Ompelupiiri")
    assert _titles(client.get(SEARCH, {"q": "kerho"})) == ["Suomen kielen kerho"]


def test_search__inflected_word__finds_the_base_form(client):
    _listing("Suomen kielen kerho")
    _listing("Ompelupiiri")
    assert _titles(client.get(SEARCH, {"q": "kerhoon"})) == ["Suomen kielen kerho"]


def test_search__sort_by_relevance_with_words__matching_listings_only(client):
    _listing("Kielikahvila", summary={"fi": "Kahvila, jossa puhutaan suomea. Kahvila on avoin kaikille."})
    _listing("Kerho", summary={"fi": "Kerhon jälkeen kahvila."})
    _listing("Ompelupiiri")
    response = client.get(SEARCH, {"q": "kahvila", "sort": "relevance"})
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Kerho", "Kielikahvila"]


def test_search__sort_by_relevance_without_words__next_time_order_with_a_note(client):
    _listing("Myöhemmin", schedules=_once(20))
    _listing("Pian", schedules=_once(3))
    response = client.get(SEARCH, {"sort": "relevance"})
    assert _titles(response) == ["Pian", "Myöhemmin"]
    note = "Ordering by best match needs search words, so the results are in order of the next time."
    assert _in("fi", note) in response.content.decode()


def test_search__municipality__finds_listings_there_only(client):
    _listing("Kirkkonummella")
    _listing("Helsingissä", municipality=Municipality.objects.get(code="091"))
    assert _titles(client.get(SEARCH, {"municipality": "257"})) == ["Kirkkonummella"]


def test_search__several_municipalities__finds_listings_in_any_of_them(client):
    _listing("Kirkkonummella")
    _listing("Helsingissä", municipality=Municipality.objects.get(code="091"))
    _listing("Tampereella", municipality=Municipality.objects.get(code="837"))
    titles = _titles(client.get(SEARCH, {"municipality": ["257", "091"]}))
    assert sorted(titles) == ["Helsingissä", "Kirkkonummella"]


def test_search__region__finds_listings_in_every_municipality_of_the_region(client):
    region = Municipality.objects.get(code="257").region_id
    assert Municipality.objects.get(code="091").region_id == region  # both in Uusimaa
    _listing("Kirkkonummella")
    _listing("Helsingissä", municipality=Municipality.objects.get(code="091"))
    _listing("Tampereella", municipality=Municipality.objects.get(code="837"))
    titles = _titles(client.get(SEARCH, {"region": region}))
    assert sorted(titles) == ["Helsingissä", "Kirkkonummella"]


def test_search__language__finds_activities_run_in_that_language(client):
    _listing("Arabiaksi", languages=list(Language.objects.filter(code__in=["fi", "ar"])))
    _listing("Somaliksi", languages=list(Language.objects.filter(code="so")))
    assert _titles(client.get(SEARCH, {"language": "ar"})) == ["Arabiaksi"]


def test_search__theme__finds_listings_with_that_theme(client):
    sewing = ThemeFactory(slug="kasityot")
    _listing("Ompelupiiri", themes=[sewing])
    _listing("Kielikahvila", themes=[ThemeFactory(slug="kieli")])
    assert _titles(client.get(SEARCH, {"theme": "kasityot"})) == ["Ompelupiiri"]


def test_search__target_group__finds_listings_for_that_group(client):
    mothers = TargetGroupFactory(slug="aidit")
    _listing("Äitien ryhmä", target_groups=[mothers])
    _listing("Nuorten ilta", target_groups=[TargetGroupFactory(slug="nuoret")])
    assert _titles(client.get(SEARCH, {"target_group": "aidit"})) == ["Äitien ryhmä"]


def test_search__age__finds_listings_whose_age_range_includes_it(client):
    _listing("Lasten kerho", min_age=6, max_age=12)
    _listing("Aikuisten kurssi", min_age=18)
    _listing("Kaikille")
    assert sorted(_titles(client.get(SEARCH, {"age": "10"}))) == ["Kaikille", "Lasten kerho"]


def test_search__weekday__finds_listings_meeting_on_that_day(client):
    _listing("Tiistaisin", schedules=_weekly(1))
    _listing("Lauantaisin", schedules=_weekly(5))
    assert _titles(client.get(SEARCH, {"day": "tue"})) == ["Tiistaisin"]
    assert sorted(_titles(client.get(SEARCH, {"day": ["tue", "sat"]}))) == ["Lauantaisin", "Tiistaisin"]


def test_search__time_of_day__finds_listings_starting_then(client):
    _listing("Iltaisin", schedules=_weekly(1, hour=17))
    _listing("Aamuisin", schedules=_weekly(1, hour=9))
    assert _titles(client.get(SEARCH, {"time": "evening"})) == ["Iltaisin"]
    assert _titles(client.get(SEARCH, {"time": "morning"})) == ["Aamuisin"]


def test_search__date_range__finds_listings_with_a_time_in_it(client):
    _listing("Pian", schedules=_once(10))
    _listing("Myöhemmin", schedules=_once(40))
    today = timezone.localdate()
    dates = {"from": str(today + datetime.timedelta(days=5)), "to": str(today + datetime.timedelta(days=15))}
    assert _titles(client.get(SEARCH, dates)) == ["Pian"]


def test_search__free_only__leaves_out_listings_with_a_fee(client):
    _listing("Ilmainen")
    _listing("Maksullinen", is_free=False, fee_info={"fi": "5 €"})
    assert _titles(client.get(SEARCH, {"free": "on"})) == ["Ilmainen"]


def test_search__childcare__finds_listings_with_childcare(client):
    _listing("Lastenhoito", has_childcare=True)
    _listing("Ei lastenhoitoa")
    assert _titles(client.get(SEARCH, {"childcare": "on"})) == ["Lastenhoito"]


def test_search__accessible__finds_listings_in_accessible_venues(client):
    _listing("Esteetön", is_accessible=True)
    _listing("Portaat")
    assert _titles(client.get(SEARCH, {"accessible": "on"})) == ["Esteetön"]


def test_search__online_or_in_person__finds_that_kind_only(client):
    _listing("Verkossa", is_online=True, online_url="https://meet.example.fi/kerho", municipality=None)
    _listing("Paikan päällä")
    assert _titles(client.get(SEARCH, {"mode": "online"})) == ["Verkossa"]
    assert _titles(client.get(SEARCH, {"mode": "in_person"})) == ["Paikan päällä"]


def test_search__section__finds_that_section_only(client):
    _listing("Kerho maahanmuuttaneille")
    _listing("Koulutus ammattilaisille", section=ListingSection.EVENT)
    assert _titles(client.get(SEARCH, {"section": "event"})) == ["Koulutus ammattilaisille"]


def test_search__sort_newest__newest_published_first(client):
    old = _listing("Vanha")
    _listing("Uusi")
    Listing.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=30))
    assert _titles(client.get(SEARCH, {"sort": "newest"})) == ["Uusi", "Vanha"]


def test_search__sort_next__soonest_first(client):
    _listing("Myöhemmin", schedules=_once(20))
    _listing("Pian", schedules=_once(3))
    assert _titles(client.get(SEARCH, {"sort": "next"})) == ["Pian", "Myöhemmin"]


def test_search__counsellors_scenario__finds_the_tuesday_evening_club_with_childcare(client):
    """An Arabic-speaking mother in Kirkkonummi needs a Finnish club on Tuesday evenings with childcare."""
    _listing_kwargs = {"has_childcare": True, "schedules": _weekly(1, hour=17)}
    club = create_listing(
        title={"fi": "Suomen kielen kerho äideille", "ar": "نادي اللغة الفنلندية للأمهات"}, **_listing_kwargs
    )
    _listing("Kerho ilman lastenhoitoa", schedules=_weekly(1, hour=17))
    _listing("Keskiviikon kerho", has_childcare=True, schedules=_weekly(2, hour=17))
    _listing("Tiistaiaamun kerho", has_childcare=True, schedules=_weekly(1, hour=9))
    _listing(
        "Helsingin kerho",
        has_childcare=True,
        schedules=_weekly(1, hour=17),
        municipality=Municipality.objects.get(code="091"),
    )
    query = {"q": "suomen kieli", "municipality": "257", "day": "tue", "time": "evening", "childcare": "on"}
    response = client.get(SEARCH, query)
    assert _titles(response) == ["Suomen kielen kerho äideille"]
    detail = client.get(reverse("activities:detail", args=[club.pk]), {"lang": "ar"}).content.decode()
    assert '<h1 id="listing-title" lang="ar" dir="rtl">نادي اللغة الفنلندية للأمهات</h1>' in detail


def test_search__card__shows_next_time_place_languages_cost_and_badges(client):
    _listing(
        "Naisten kerho",
        gender_restriction=GenderRestriction.WOMEN,
        has_childcare=True,
        is_free=False,
        fee_info={"fi": "2 €"},
    )
    html = client.get("/en/activities/").content.decode()
    assert "Kirkkonummen pääkirjasto</span>, Kirkkonummi" in html
    assert "Arabic, Finnish" in html
    assert _in("en", "Fee") in html
    assert _in("en", "Women only") in html
    assert _in("en", "Childcare") in html
    assert re.search(r"<time datetime=\"[^\"]+\">Tuesday [^<]+ at 5 p\.m\.</time>", html)


def test_search__title_missing_in_ui_language__fallback_is_marked(client):
    _listing("Vain suomeksi")
    html = client.get("/sv/activities/").content.decode()
    assert 'lang="fi" dir="ltr">Vain suomeksi</a>' in html
    with translation.override("sv"):
        finnish = Language.objects.get(code="fi").name
    assert _in("sv", "Shown in %(shown)s.", shown=finnish) in html


def test_search__htmx__returns_results_fragment_with_count_out_of_band(client):
    _listing("Fragmenttikerho")
    response = client.get(SEARCH, {"q": "fragmenttikerho"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert 'id="results"' in html
    assert 'id="result-count" hx-swap-oob="innerHTML"' in html
    assert "Fragmenttikerho" in html
    assert response["Vary"].count("HX-Request") == 1


def test_search__without_htmx__whole_page_with_form_that_works_without_javascript(client):
    html = client.get(SEARCH).content.decode()
    assert "<html" in html
    assert f'<form method="get" action="{SEARCH}" role="search"' in html
    assert 'hx-get="/activities/"' in html
    assert '<p class="result-count" id="result-count" role="status">' in html


def test_search__feed_links__carry_the_current_query(client):
    html = client.get(SEARCH, {"municipality": "257", "childcare": "on", "page": "1"}).content.decode()
    assert 'href="/activities/feed.ics?municipality=257&amp;childcare=on"' in html
    assert 'href="/activities/feed.atom?municipality=257&amp;childcare=on"' in html


def test_search__invalid_values__ignored_with_a_note_and_valid_ones_applied(client):
    _listing("Kirkkonummella")
    _listing("Helsingissä", municipality=Municipality.objects.get(code="091"))
    response = client.get(
        SEARCH, {"municipality": ["257", "999"], "age": "abc", "day": "someday", "from": "31.2.2026"}
    )
    assert response.status_code == 200
    assert _titles(response) == ["Kirkkonummella"]
    html = response.content.decode()
    with translation.override("fi"):
        note = translation.gettext(
            "Some values in the address were not understood and were left out of the search: %(names)s."
        )
    before_names, after_names = note.split("%(names)s")
    assert before_names in html
    names = html.split(before_names)[1].split("</p>")[0].removesuffix(after_names)
    for label in ("Municipality", "Age of the participant", "Day of the week", "From"):
        assert _in("fi", label) in names.split(", ")


def test_search__page_beyond_the_last__shows_the_last_page(client):
    _listing("Ainoa")
    response = client.get(SEARCH, {"page": "99"})
    assert response.status_code == 200
    assert _titles(response) == ["Ainoa"]


def test_search__many_results__paginated(client):
    for number in range(22):
        _listing(f"Kerho {number:02d}")
    first = client.get(SEARCH)
    second = client.get(SEARCH, {"page": "2"})
    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 2
    assert 'rel="next"' in first.content.decode()


# --- Empty state ---------------------------------------------------------------------------------


def test_search__nothing_matches__suggests_the_filter_to_drop_with_its_count(client):
    _listing("Kerho ilman lastenhoitoa")
    _listing("Toinen kerho")
    response = client.get(SEARCH, {"municipality": "257", "childcare": "on"})
    html = response.content.decode()
    assert _titles(response) == []
    assert _in("fi", "No activities match your search.") in html
    with translation.override("fi"):
        label = translation.gettext("Childcare available")
    remove_filter = _count_in(
        "fi",
        "Remove the filter “%(filter)s” (%(counter)s result)",
        "Remove the filter “%(filter)s” (%(counter)s results)",
        2,
        filter=label,
    )
    assert remove_filter in html
    assert 'href="/activities/?municipality=257"' in html
    # Dropping the municipality alone would not help, so it is not offered.
    assert _in("fi", "Municipality") + ":" not in html.split('class="suggestions"')[1]


def test_search__nothing_matches__records_the_unmet_search_without_personal_data(client):
    client.get(SEARCH, {"q": "Tigrinjan kerho", "municipality": "257", "childcare": "on"})
    row = UnmetSearch.objects.get()
    assert row.text == "tigrinjan kerho"
    assert row.count == 1
    assert row.filters["municipalities"] == "('257',)"
    assert row.filters["childcare"] == "True"
    client.get(SEARCH, {"q": "Tigrinjan kerho", "municipality": "257", "childcare": "on"})
    assert UnmetSearch.objects.get().count == 2


def test_search__results_found__records_nothing(client):
    _listing("Kerho")
    client.get(SEARCH, {"municipality": "257"})
    assert not UnmetSearch.objects.exists()


def test_search__region_filter_without_results__recorded_as_the_region(client):
    region = Municipality.objects.get(code="257").region_id
    client.get(SEARCH, {"region": region, "childcare": "on"})
    row = UnmetSearch.objects.get()
    assert row.filters["region"] == region
    assert "municipalities" not in row.filters


# --- Query budget --------------------------------------------------------------------------------


def test_search__thirty_listings__bounded_queries(client, django_assert_max_num_queries):
    for number in range(30):
        _listing(f"Kerho {number:02d}", themes=[ThemeFactory(slug=f"t{number % 3}")])
    with django_assert_max_num_queries(10):
        response = client.get(SEARCH)
    assert len(_titles(response)) == 20
    with django_assert_max_num_queries(10):
        client.get(SEARCH, {"page": "2", "municipality": "257", "day": "tue", "q": "kerho"})


def test_search__empty_with_filters__one_count_per_filter(client, django_assert_max_num_queries):
    _listing("Kerho")
    # 8 for the page + 3 active filters + the unmet-search counter (get_or_create, update).
    with django_assert_max_num_queries(8 + 3 + 3):
        client.get(SEARCH, {"municipality": "091", "childcare": "on", "free": "on"})


def test_detail__bounded_queries(client, django_assert_max_num_queries):
    listing = _listing(
        "Kerho",
        themes=[ThemeFactory(), ThemeFactory()],
        target_groups=[TargetGroupFactory()],
        municipalities_served=list(Municipality.objects.filter(code__in=["257", "049", "091"])),
    )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activities:detail", args=[listing.pk]))
    assert response.status_code == 200


# --- Detail --------------------------------------------------------------------------------------


def test_detail__arabic_content__right_to_left_with_language_marked(client):
    listing = create_listing(
        title={"fi": "Suomen kielen kerho", "ar": "نادي اللغة الفنلندية"},
        summary={"fi": "Harjoittelemme suomea.", "ar": "نتدرب على اللغة الفنلندية معًا."},
    )
    html = client.get(reverse("activities:detail", args=[listing.pk]), {"lang": "ar"}).content.decode()
    assert '<h1 id="listing-title" lang="ar" dir="rtl">نادي اللغة الفنلندية</h1>' in html
    assert '<p class="lead" lang="ar" dir="rtl">نتدرب على اللغة الفنلندية معًا.</p>' in html
    assert '<html lang="fi">' in html  # the interface stays in Finnish


def test_detail__content_language_missing__fallback_marked_with_its_own_language(client):
    listing = create_listing(title={"fi": "Vain suomeksi"}, summary={"fi": "Tiivistelmä."})
    html = client.get(reverse("activities:detail", args=[listing.pk]), {"lang": "fa"}).content.decode()
    assert '<h1 id="listing-title" lang="fi" dir="ltr">Vain suomeksi</h1>' in html
    names = {language.code: language.name for language in Language.objects.filter(code__in=["fa", "fi"])}
    note = _in(
        "fi", "Not available in %(wanted)s; shown in %(shown)s.", wanted=names["fa"], shown=names["fi"]
    )
    assert note in html


def test_detail__other_languages__lists_what_is_filled_and_links_switch_content(client):
    listing = create_listing(
        title={"fi": "Kerho", "ar": "نادي", "ckb": "کۆڕ"},
        summary={"fi": "Tiivistelmä", "en": "Summary"},
        description={"fi": "Kuvaus"},
    )
    html = client.get(reverse("activities:detail", args=[listing.pk]), {"lang": "fi"}).content.decode()
    nav = html.split('class="translations"')[1].split("</nav>")[0]
    assert '<a href="?lang=ar" hreflang="ar">' in nav
    assert '<a href="?lang=ckb" hreflang="ckb">' in nav
    assert 'lang="ckb" dir="rtl"' in nav or "ckb" in nav
    assert '<a href="?lang=en" hreflang="en">' in nav
    assert 'aria-current="page"' in nav  # Finnish, the one shown
    title, summary, description = (_in("fi", word) for word in ("title", "summary", "description"))
    assert f"({title}, {summary}, {description})" in nav
    sorani = client.get(reverse("activities:detail", args=[listing.pk]), {"lang": "ckb"}).content.decode()
    assert '<h1 id="listing-title" lang="ckb" dir="rtl">کۆڕ</h1>' in sorani


def test_detail__shows_what_a_newcomer_and_counsellor_need(client):
    listing = create_listing(
        title={"fi": "Perhekerho"},
        plain_finnish="Tule kerhoon. Kerho on ilmainen.",
        themes=[ThemeFactory(slug="perhe", label_fi="Perhe")],
        target_groups=[TargetGroupFactory(slug="vanhemmat", label_fi="Vanhemmat")],
        min_age=0,
        max_age=6,
        is_for_families=True,
        has_childcare=True,
        is_accessible=True,
        has_interpretation=True,
        contact_email="kerho@example.fi",
        contact_phone="040 123 4567",
        registration=Registration.LINK,
        registration_info="https://example.fi/ilmoittaudu",
        latitude="60.123456",
        longitude="24.438000",
        municipalities_served=list(Municipality.objects.filter(code__in=["257", "049"])),
    )
    html = client.get(reverse("activities:detail", args=[listing.pk])).content.decode()
    assert "Tule kerhoon. Kerho on ilmainen." in html
    assert 'lang="fi" dir="ltr"><p>Tule kerhoon.' in html
    assert (
        "https://www.openstreetmap.org/?mlat=60.123456&amp;mlon=24.438000#map=17/60.123456/24.438000" in html
    )
    assert "<iframe" not in html
    assert 'href="mailto:kerho@example.fi"' in html
    assert 'href="tel:0401234567"' in html
    assert 'href="https://example.fi/ilmoittaudu"' in html
    assert f'href="{reverse("organisations:detail", args=[listing.organisation_id])}"' in html
    assert "Perhe" in html
    assert "Vanhemmat" in html
    assert "Espoo" in html  # a municipality served
    assert _in("fi", "%(low)s–%(high)s years", low=0, high=6) in html
    assert _in("fi", "Childcare is available during the activity.") in html
    assert _in("fi", "Interpretation is available.") in html
    assert _in("fi", "The venue is accessible.") in html
    assert "Joka tiistai klo 17.00–19.00" in html  # the schedule described
    assert html.count('<li><time datetime="') == 8  # the next times
    assert f'href="{reverse("activities:ics", args=[listing.pk])}"' in html
    assert f'href="{reverse("activities:report", args=[listing.pk])}"' in html


def test_detail__cancelled_and_extra_dates__listed(client):
    start = next_weekday(1)
    cancelled = (start + datetime.timedelta(days=7)).date().isoformat()
    extra = (start + datetime.timedelta(days=3)).date().isoformat()
    listing = create_listing(
        schedules=[
            services.ScheduleData(
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                rrule="FREQ=WEEKLY;BYDAY=TU",
                exdates=[cancelled],
                rdates=[extra],
            )
        ]
    )
    html = client.get(reverse("activities:detail", args=[listing.pk])).content.decode()
    day = datetime.date.fromisoformat(cancelled)
    assert f"{_in('fi', 'Cancelled:')} {day.day}.{day.month}.{day.year}" in html


def test_detail__hidden_organiser__named_without_a_link(client):
    listing = _listing("Kerho")
    listing.organisation.is_public = False
    listing.organisation.save()
    html = client.get(reverse("activities:detail", args=[listing.pk])).content.decode()
    assert f'href="{reverse("organisations:detail", args=[listing.organisation_id])}"' not in html


def test_detail__json_ld__parses_as_event_series_with_schedule(client):
    listing = create_listing(is_free=True)
    html = client.get(reverse("activities:detail", args=[listing.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EventSeries"
    assert data["name"] == "Suomen kielen kerho"
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == "0"
    assert sorted(data["inLanguage"]) == ["ar", "fi"]
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Kirkkonummi"
    assert data["organizer"][0]["@type"] == "Organization"
    assert data["eventSchedule"][0]["byDay"] == ["https://schema.org/Tuesday"]
    assert data["eventSchedule"][0]["startTime"] == "17:00:00"
    assert data["subEvent"][0]["startDate"].endswith("T17:00:00+02:00") or data["subEvent"][0][
        "startDate"
    ].endswith("T17:00:00+03:00")


def test_detail__json_ld_single_time_online__event_with_virtual_location(client):
    listing = create_listing(
        schedules=_once(5),
        is_online=True,
        online_url="https://meet.example.fi/x",
        municipality=None,
        street_address="",
        postal_code="",
        place_name={},
        title={"fi": "Verkkoinfo </script><script>alert(1)</script>"},
    )
    html = client.get(reverse("activities:detail", args=[listing.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.fi/x"}
    assert data["name"] == "Verkkoinfo </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.ARCHIVED])
def test_detail__not_published__404(client, status):
    listing = create_listing(status=status)
    assert client.get(reverse("activities:detail", args=[listing.pk])).status_code == 404


def test_detail__not_confirmed_for_too_long__404(client):
    listing = create_listing()
    stale = timezone.now() - datetime.timedelta(days=settings.LISTING_HIDE_DAYS + 1)
    Listing.objects.filter(pk=listing.pk).update(last_confirmed_at=stale)
    assert client.get(reverse("activities:detail", args=[listing.pk])).status_code == 404
    assert _titles(client.get(SEARCH)) == []


def test_detail__past_valid_until__404(client):
    listing = create_listing()
    Listing.objects.filter(pk=listing.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("activities:detail", args=[listing.pk])).status_code == 404
    assert client.get(reverse("activities:ics", args=[listing.pk])).status_code == 404
    assert client.get(reverse("activities:report", args=[listing.pk])).status_code == 404


# --- Report --------------------------------------------------------------------------------------


def test_report__form__asks_for_no_personal_data(client):
    listing = _listing("Kerho")
    html = client.get(reverse("activities:report", args=[listing.pk])).content.decode()
    assert _in("fi", "Do not write personal information about yourself or others.") in html
    assert 'name="reason"' in html
    assert 'maxlength="2000"' in html


def test_report__valid__saved_to_moderation_queue_and_thanked(client):
    listing = _listing("Kerho")
    url = reverse("activities:report", args=[listing.pk])
    response = client.post(url, {"reason": ReportReason.OUTDATED, "message": "Kerho loppui keväällä."})
    assert response.status_code == 302
    assert response.url == reverse("activities:detail", args=[listing.pk])
    report = Report.objects.get()
    assert (report.listing, report.reason, report.status) == (
        listing,
        ReportReason.OUTDATED,
        ReportStatus.OPEN,
    )
    assert report.message == "Kerho loppui keväällä."
    page = client.get(response.url).content.decode()
    assert _in("fi", "Thank you. The moderators will check the listing.") in page


def test_report__too_long_details__form_error_and_nothing_saved(client):
    listing = _listing("Kerho")
    url = reverse("activities:report", args=[listing.pk])
    response = client.post(url, {"reason": ReportReason.WRONG, "message": "x" * 2001})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_report__over_the_hourly_limit__429_with_message(client, settings):
    settings.REPORTS_PER_HOUR = 2
    listing = _listing("Kerho")
    url = reverse("activities:report", args=[listing.pk])
    for _attempt in range(2):
        assert client.post(url, {"reason": ReportReason.WRONG}).status_code == 302
    response = client.post(url, {"reason": ReportReason.WRONG})
    assert response.status_code == 429
    assert _in("fi", "You have sent several reports in a short time. Please try again in an hour.") in (
        response.content.decode()
    )
    assert Report.objects.count() == 2
    # Another client address still may report.
    assert client.post(url, {"reason": ReportReason.WRONG}, REMOTE_ADDR="192.0.2.9").status_code == 302


def test_report__rate_limit__stores_no_client_address(client):
    from django.core.cache import cache

    listing = _listing("Kerho")
    client.post(reverse("activities:report", args=[listing.pk]), {"reason": ReportReason.WRONG})
    keys = list(cache._cache.keys())  # locmem cache in tests
    assert keys
    assert not any("127.0.0.1" in key for key in keys)

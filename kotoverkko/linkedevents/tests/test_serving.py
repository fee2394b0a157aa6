"""The directory in the Linked Events v1 format, every response validated against the OpenAPI file."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kotoverkko.activities import services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.tests.factories import (
    TargetGroupFactory,
    ThemeFactory,
    create_listing,
    next_weekday,
)
from kotoverkko.linkedevents import selectors
from kotoverkko.linkedevents.tests.openapi import assert_valid_response
from kotoverkko.organisations.tests.factories import OrganisationFactory
from kotoverkko.reference.models import Municipality

pytestmark = pytest.mark.django_db

BASE = "/linkedevents/v1"


@pytest.fixture
def directory():
    organisation = OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})
    theme = ThemeFactory(slug="finnish-language", label_fi="Suomen kieli")
    group = TargetGroupFactory(slug="women", label_fi="Naiset")
    weekly = create_listing(
        organisation=organisation,
        title={"fi": "Naisten kielikahvila", "en": "Language café for women"},
        description={"fi": "Tule juttelemaan.\n\nKahvia on."},
        themes=[theme],
        target_groups=[group],
        latitude=Decimal("60.123456"),
        longitude=Decimal("24.437000"),
    )
    start = next_weekday(3, hour=10)
    once = create_listing(
        organisation=organisation,
        title={"fi": "Neuvontapäivä"},
        is_free=False,
        fee_info={"fi": "5 €"},
        place_name={"fi": "Kirkkonummen kirjasto"},
        street_address="Kirkkotie 2",
        schedules=[services.ScheduleData(starts_at=start, ends_at=start + datetime.timedelta(hours=3))],
    )
    online = create_listing(
        organisation=organisation,
        title={"fi": "Verkkokurssi"},
        is_online=True,
        online_url="https://example.org/kurssi",
        place_name={},
        street_address="",
        postal_code="",
        municipality=None,
    )
    draft = create_listing(organisation=organisation, status=ListingStatus.DRAFT, title={"fi": "Luonnos"})
    return {"weekly": weekly, "once": once, "online": online, "draft": draft, "theme": theme, "group": group}


def _get(client, path, **params):
    response = client.get(BASE + path, params)
    assert response.status_code == 200, response.content
    assert_valid_response(response)
    return response.json()


@pytest.mark.parametrize("include", ["", "location,keywords,in_language,audience,sub_events"])
def test_event_list__public_listings__valid_events_without_drafts(client, directory, include):
    body = _get(client, "/event/", include=include)

    names = {event["name"]["fi"] for event in body["data"]}
    assert names == {"Naisten kielikahvila", "Neuvontapäivä", "Verkkokurssi"}
    assert body["meta"]["count"] == 3


def test_event_list__recurring_listing__super_event_with_sub_events(client, directory):
    body = _get(client, "/event/", text="kielikahvila")

    [event] = body["data"]
    assert event["id"] == f"kotoverkko:{directory['weekly'].pk}"
    assert event["super_event_type"] == "recurring"
    assert len(event["sub_events"]) >= 20  # weekly within the 180-day horizon
    first = event["sub_events"][0]
    assert first["super_event"] == event["@id"]
    assert first["start_time"].endswith(("+02:00", "+03:00"))
    assert first["start_time"][11:16] == "17:00"


def test_event_detail__sub_event__resolves_with_super_event_link(client, directory):
    super_event = _get(client, f"/event/kotoverkko:{directory['weekly'].pk}/")
    sub_id = super_event["sub_events"][1]["id"]

    sub_event = _get(client, f"/event/{sub_id}/")

    assert sub_event["id"] == sub_id
    assert sub_event["super_event"] == super_event["@id"]
    assert "super_event_type" not in sub_event


def test_event_detail__one_off_listing__single_event_with_price(client, directory):
    event = _get(client, f"/event/kotoverkko:{directory['once'].pk}/", include="location")

    assert "super_event_type" not in event
    assert event["sub_events"] == []
    assert event["offers"] == [{"is_free": False, "price": {"fi": "5 €"}}]
    assert event["location"]["name"] == {"fi": "Kirkkonummen kirjasto"}
    assert event["start_time"][11:16] == "10:00"


def test_event_detail__description__paragraphs_in_html(client, directory):
    event = _get(client, f"/event/kotoverkko:{directory['weekly'].pk}/")

    assert event["description"]["fi"] == "<p>Tule juttelemaan.</p>\n\n<p>Kahvia on.</p>"
    assert "contact_email" not in event
    assert "provider_contact_info" not in event


def test_event_detail__draft__404(client, directory):
    response = client.get(f"{BASE}/event/kotoverkko:{directory['draft'].pk}/")

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_event_detail__unknown_sub_event_time__404(client, directory):
    assert client.get(f"{BASE}/event/kotoverkko:{directory['weekly'].pk}-203001010000/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"is_free": "false"}, {"Neuvontapäivä"}),
        ({"keyword": "kotoverkko:theme-finnish-language"}, {"Naisten kielikahvila"}),
        ({"keyword": "kotoverkko:tg-women,kotoverkko:theme-none"}, {"Naisten kielikahvila"}),
        ({"language": "ar"}, {"Naisten kielikahvila", "Neuvontapäivä", "Verkkokurssi"}),
        ({"language": "sv"}, set()),
        ({"location": selectors.INTERNET_PLACE_ID}, {"Verkkokurssi"}),
        ({"text": "kielikahvilassa"}, {"Naisten kielikahvila"}),
        ({"start": "now", "end": "today"}, set()),
    ],
)
def test_event_list__filters__matching_events(client, directory, params, expected):
    body = _get(client, "/event/", **params)

    assert {event["name"]["fi"] for event in body["data"]} == expected


def test_event_list__start_and_end_dates__events_in_the_range(client, directory):
    day = next_weekday(3, hour=10).date().isoformat()

    body = _get(client, "/event/", start=day, end=day)

    assert "Neuvontapäivä" in {event["name"]["fi"] for event in body["data"]}
    assert "Naisten kielikahvila" not in {event["name"]["fi"] for event in body["data"]}  # Tuesdays


def test_event_list__location_filter__events_at_the_place(client, directory):
    place_id = selectors.listing_place_id(directory["once"])

    body = _get(client, "/event/", location=place_id)

    assert [event["name"]["fi"] for event in body["data"]] == ["Neuvontapäivä"]


def test_event_list__bad_start__400(client, directory):
    response = client.get(f"{BASE}/event/", {"start": "tomorrowish"})

    assert response.status_code == 400
    assert "tomorrowish" in response.json()["detail"]


def test_event_list__paging__meta_with_absolute_urls(client, directory):
    first = _get(client, "/event/", page_size=2)
    second = _get(client, "/event/", page_size=2, page=2)

    assert first["meta"]["count"] == 3
    assert first["meta"]["next"].startswith("http://testserver/linkedevents/v1/event/?")
    assert "previous" not in first["meta"]
    assert second["meta"]["previous"].startswith("http://testserver/")
    assert len(first["data"]) + len(second["data"]) == 3


def test_event_list__conditional_get__304_and_cors(client, directory):
    response = client.get(f"{BASE}/event/")

    again = client.get(f"{BASE}/event/", HTTP_IF_NONE_MATCH=response["ETag"])

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Last-Modified" in response
    assert again.status_code == 304


@pytest.mark.parametrize("include", ["", "location"])
def test_place_list_and_detail__derived_places__valid_and_resolvable(client, directory, include):
    body = _get(client, "/place/")
    by_name = {place["name"]["fi"]: place for place in body["data"]}
    assert {"Kirkkonummen pääkirjasto", "Kirkkonummen kirjasto", "Internet"} <= set(by_name)

    event = _get(client, f"/event/kotoverkko:{directory['weekly'].pk}/", include=include)
    place = _get(client, event["location"]["@id"].removeprefix("http://testserver" + BASE))

    assert place["name"] == {"fi": "Kirkkonummen pääkirjasto"}
    assert place["position"] == {"type": "Point", "coordinates": [24.437, 60.123456]}
    assert place["address_locality"]["fi"] == Municipality.objects.get(code="257").name_fi


def test_place_detail__place_of_a_draft_only__404(client, directory):
    hidden = create_listing(
        status=ListingStatus.DRAFT, street_address="Piilokuja 1", place_name={"fi": "Piilo"}
    )

    response = client.get(f"{BASE}/place/{selectors.listing_place_id(hidden)}/")

    assert response.status_code == 404


def test_keyword_list_and_detail__themes_and_target_groups(client, directory):
    body = _get(client, "/keyword/", include="")
    ids = {keyword["id"] for keyword in body["data"]}
    assert {"kotoverkko:theme-finnish-language", "kotoverkko:tg-women"} <= ids

    keyword = _get(client, "/keyword/kotoverkko:tg-women/")

    assert keyword["name"]["fi"] == "Naiset"
    assert keyword["@type"] == "Keyword"


def test_keyword_detail__unknown__404(client, directory):
    assert client.get(f"{BASE}/keyword/kotoverkko:theme-nothing/").status_code == 404


def test_language_list__every_page__valid(client, directory):
    url = "/language/"
    params = {"page_size": 100}
    seen = 0
    while True:
        body = _get(client, url, **params)
        seen += len(body["data"])
        if "next" not in body["meta"]:
            break
        params["page"] = params.get("page", 1) + 1
    assert seen == body["meta"]["count"] > 180


def test_language_detail__ckb__short_names(client, directory):
    language = _get(client, "/language/ckb/")

    assert language["id"] == "ckb"
    assert all(len(name) <= 20 for name in language["name"].values())


def test_event_detail__in_language_reference__resolves(client, directory):
    event = _get(client, f"/event/kotoverkko:{directory['weekly'].pk}/")
    codes = {language["id"] for language in event["in_language"]}

    assert codes == {"fi", "ar"}
    language = _get(client, event["in_language"][0]["@id"].removeprefix("http://testserver" + BASE))
    assert language["id"] in codes

"""The JSON API as a client sees it: filters, shapes, conditional reads, CORS, errors, limits, writes."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kotoverkko.activities.enums import ListingSection, ListingStatus
from kotoverkko.activities.models import Listing
from kotoverkko.activities.tests.factories import ThemeFactory, create_listing
from kotoverkko.api.tests.conftest import bearer
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory
from kotoverkko.reference.models import Language

pytestmark = pytest.mark.django_db

LISTINGS = "/api/v1/listings/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["data"]]


# --- Reads -----------------------------------------------------------------------------------------


def test_listing_list__same_filters_as_search__same_listings(client):
    theme = ThemeFactory(slug="language")
    wanted = create_listing(themes=[theme], is_free=True)
    create_listing(title={"fi": "Kokkikerho"}, is_free=False)
    response = client.get(LISTINGS, {"q": "kerho", "theme": "language", "language": "ar", "free": "on"})
    assert _ids(response) == [wanted.pk]
    page = client.get(
        reverse("activities:search"), {"q": "kerho", "theme": "language", "language": "ar", "free": "on"}
    )
    assert [card.listing.pk for card in page.context["cards"]] == [wanted.pk]


def test_listing_list__issue_aliases__start_end_is_free(client):
    paid = create_listing(is_free=False)
    create_listing(is_free=True)
    start = timezone.localdate().isoformat()
    assert _ids(client.get(LISTINGS, {"is_free": "false", "start": start})) == [paid.pk]


def test_listing_list__shape__meta_and_multilingual_objects(client):
    create_listing()
    body = client.get(LISTINGS).json()
    assert set(body["meta"]) == {"count", "next", "previous"}
    item = body["data"][0]
    assert item["title"]["fi"] == "Suomen kielen kerho"
    assert item["title"]["ar"] == "نادي اللغة الفنلندية"
    assert item["place"]["street_address"] == "Asematie 7"
    assert item["municipality"] == "257"
    assert sorted(item["languages"]) == ["ar", "fi"]


def test_listing_list__pages__next_and_previous_links(client):
    for _index in range(3):
        create_listing()
    first = client.get(LISTINGS, {"page_size": 2}).json()
    assert first["meta"]["count"] == 3
    assert first["meta"]["previous"] is None
    second = client.get(first["meta"]["next"]).json()
    assert len(second["data"]) == 1
    assert second["meta"]["next"] is None


def test_listing_list__not_public__left_out(client):
    public = create_listing()
    create_listing(status=ListingStatus.DRAFT)
    hidden_org = OrganisationFactory(is_public=False)
    create_listing(status=ListingStatus.SUBMITTED, organisation=hidden_org)
    assert _ids(client.get(LISTINGS)) == [public.pk]


def test_listing_list__unknown_filter_value__400_naming_the_field(client):
    response = client.get(LISTINGS, {"municipality": "999", "theme": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"municipality", "theme"} <= set(body["fields"])


def test_listing_list__updated_since__only_changed_in_change_order(client):
    old = create_listing()
    Listing.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    new = create_listing()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert _ids(client.get(LISTINGS, {"updated_since": since})) == [new.pk]


def test_listing_list__no_personal_data(client):
    create_listing(contact_email="info@yhdistys.fi")
    text = client.get(LISTINGS).content.decode()
    assert "info@yhdistys.fi" in text  # the listing's own public address
    assert "example.fi" not in text  # no member's or admin's address


def test_listing_detail__draft__404_for_public(client):
    draft = create_listing(status=ListingStatus.DRAFT)
    response = client.get(f"{LISTINGS}{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_places__one_place_per_address_with_stable_id(client):
    first = create_listing()
    create_listing()
    body = client.get("/api/v1/places/").json()
    assert body["meta"]["count"] == 1
    place = body["data"][0]
    assert place["listing_count"] == 2
    listing = client.get(f"{LISTINGS}{first.pk}/").json()
    assert listing["place"]["id"] == place["id"]
    assert client.get(f"/api/v1/places/{place['id']}/").json()["street_address"] == "Asematie 7"


def test_vocabularies__trilingual_labels(client):
    ThemeFactory(slug="work", label_fi="Työ", label_sv="Arbete", label_en="Work")
    body = client.get("/api/v1/themes/").json()
    assert body["data"] == [{"id": "work", "label": {"fi": "Työ", "sv": "Arbete", "en": "Work"}}]
    assert (
        client.get("/api/v1/languages/", {"page_size": 100}).json()["meta"]["count"]
        == Language.objects.count()
    )


def test_occurrences__upcoming_times_of_one_listing(client):
    listing = create_listing()
    body = client.get("/api/v1/occurrences/", {"listing": listing.pk, "page_size": 3}).json()
    assert [item["listing_id"] for item in body["data"]] == [listing.pk] * 3
    starts = [item["starts_at"] for item in body["data"]]
    assert starts == sorted(starts)
    assert starts[0].endswith(("+02:00", "+03:00"))


# --- Conditional reads and CORS ------------------------------------------------------------------


def test_listing_list__if_none_match__304_until_a_change(client):
    listing = create_listing()
    first = client.get(LISTINGS)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get(LISTINGS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=5))
    assert client.get(LISTINGS, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_listing_detail__if_modified_since__304(client):
    listing = create_listing()
    first = client.get(f"{LISTINGS}{listing.pk}/")
    response = client.get(f"{LISTINGS}{listing.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304
    assert response.content == b""


def test_reads__cors_for_any_origin_and_preflight(client):
    response = client.get(LISTINGS, HTTP_ORIGIN="https://kunta.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(LISTINGS, HTTP_ORIGIN="https://kunta.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"


# --- Errors and limits ----------------------------------------------------------------------------


def test_errors__in_the_language_of_accept_language(client):
    response = client.get(f"{LISTINGS}999999/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] != "Not found."


def test_wrong_method__405_json(client):
    response = client.delete(LISTINGS)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_anonymous_over_the_limit__429_with_retry_after(client, settings):
    settings.API_ANON_RATE = "2/60"
    cache.clear()
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/themes/")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_token__higher_limit_than_anonymous(client, settings, tokens):
    settings.API_ANON_RATE = "1/60"
    settings.API_TOKEN_RATE = "5/60"
    cache.clear()
    statuses = [client.get("/api/v1/themes/", **bearer(tokens.own)).status_code for _index in range(3)]
    assert statuses == [200, 200, 200]


def test_revoked_token__401_even_on_reads(client, tokens):
    response = client.get(LISTINGS, **bearer(tokens.revoked))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Writes -----------------------------------------------------------------------------------------


def _new_listing(**extra) -> dict:
    start = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    return {
        "section": "activity",
        "title": {"fi": "Ompelukerho", "so": "Kooxda tolmada"},
        "summary": {"fi": "Ommellaan yhdessä."},
        "languages": ["fi", "so"],
        "municipality": "257",
        "place_name": {"fi": "Asukastalo"},
        "street_address": "Kirkkotie 1",
        "criteria_confirmed": True,
        "schedules": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
                "rrule": "FREQ=WEEKLY",
            }
        ],
        **extra,
    }


def test_create__token__draft_of_own_organisation_in_audit_trail(client, tokens):
    response = client.post(LISTINGS, _new_listing(), content_type="application/json", **bearer(tokens.own))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ListingStatus.DRAFT
    assert body["organisation"]["id"] == tokens.organisation.pk
    event = AuditEvent.objects.get(action="listing.created", object_id=str(body["id"]))
    assert (
        event.actor.full_name == f"API token #{tokens.own_token.pk} of organisation #{tokens.organisation.pk}"
    )
    assert event.organisation_id == tokens.organisation.pk


def test_create__submit__goes_to_moderation_not_public(client, tokens):
    response = client.post(
        LISTINGS, _new_listing(submit=True), content_type="application/json", **bearer(tokens.own)
    )
    assert response.json()["status"] == ListingStatus.SUBMITTED
    assert client.get(f"{LISTINGS}{response.json()['id']}/").status_code == 404  # not public yet


def test_create__service_rule_refuses__400_with_the_services_code(client, tokens):
    response = client.post(
        LISTINGS,
        _new_listing(summary={}, submit=True),
        content_type="application/json",
        **bearer(tokens.own),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "summary_required"
    assert not Listing.objects.filter(title__fi="Ompelukerho").exists()


def test_create__unknown_field__400(client, tokens):
    response = client.post(
        LISTINGS, _new_listing(status="published"), content_type="application/json", **bearer(tokens.own)
    )
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_create__without_token__401(client):
    response = client.post(LISTINGS, _new_listing(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_create__csrf_is_not_asked_of_token_clients(tokens):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(LISTINGS, _new_listing(), content_type="application/json", **bearer(tokens.own))
    assert response.status_code == 201


def test_update__published__stays_published_with_history(client, tokens):
    listing = create_listing(organisation=tokens.organisation)
    response = client.patch(
        f"{LISTINGS}{listing.pk}/",
        {"summary": {"fi": "Uusi kuvaus."}},
        content_type="application/json",
        **bearer(tokens.own),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ListingStatus.PUBLISHED
    assert response.json()["summary"] == {"fi": "Uusi kuvaus."}
    assert response.json()["title"]["fi"] == "Suomen kielen kerho"  # untouched fields stay
    event = AuditEvent.objects.get(action="listing.updated", object_id=str(listing.pk))
    assert "summary" in event.changes


def test_update__other_organisations_listing__404_and_unchanged(client, tokens):
    listing = create_listing(organisation=tokens.other_organisation)
    response = client.patch(
        f"{LISTINGS}{listing.pk}/",
        {"summary": {"fi": "Hakkeroitu"}},
        content_type="application/json",
        **bearer(tokens.own),
    )
    assert response.status_code == 404
    listing.refresh_from_db()
    assert listing.summary != {"fi": "Hakkeroitu"}


def test_update__section_change__kept(client, tokens):
    listing = create_listing(organisation=tokens.organisation)
    client.patch(
        f"{LISTINGS}{listing.pk}/",
        {"section": "event"},
        content_type="application/json",
        **bearer(tokens.own),
    )
    listing.refresh_from_db()
    assert listing.section == ListingSection.EVENT

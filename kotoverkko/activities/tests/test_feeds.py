"""Calendars and feeds as a calendar program or a feed reader reads them back."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from django.utils import timezone

from kotoverkko.activities import feeds, services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.tests.factories import HELSINKI, create_listing, next_weekday

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
UTC = ZoneInfo("UTC")


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _atom(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (the app's own response, not untrusted input)


def _schedule(start: datetime.datetime, rrule: str = "", **extra) -> list[services.ScheduleData]:
    return [
        services.ScheduleData(
            starts_at=start, ends_at=start + datetime.timedelta(hours=2), rrule=rrule, **extra
        )
    ]


# --- One listing ---------------------------------------------------------------------------------


def test_listing_ics__weekly__local_start_with_timezone_and_rule(client):
    listing = create_listing()
    response = client.get(reverse("activities:ics", args=[listing.pk]))
    calendar = _calendar(response)
    assert "attachment" in response["Content-Disposition"]
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.hour, start.minute) == (17, 0)
    assert start.tzinfo.key == "Europe/Helsinki"
    assert "TZID=Europe/Helsinki" in response.content.decode()
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert event["rrule"]["BYDAY"] == ["TU"]
    assert str(event["summary"]) == "Suomen kielen kerho"
    assert str(event["url"]).endswith(reverse("activities:detail", args=[listing.pk]))
    assert f"listing-{listing.pk}-" in str(event["uid"])
    assert event.get("dtstamp") is not None
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_listing_ics__across_daylight_saving__keeps_the_wall_clock_time(client):
    # A Tuesday in winter time, repeating into summer time (the last Sunday of March).
    year = timezone.localdate().year + 1
    start = datetime.datetime(year, 3, 3, 17, 0, tzinfo=HELSINKI)
    start += datetime.timedelta(days=(1 - start.weekday()) % 7)
    listing = create_listing(schedules=_schedule(start, f"FREQ=WEEKLY;BYDAY=TU;UNTIL={year}0430"))
    (event,) = _calendar(client.get(reverse("activities:ics", args=[listing.pk]))).walk("VEVENT")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    times = list(rule)
    assert {moment.astimezone(HELSINKI).strftime("%H:%M") for moment in times} == {"17:00"}
    assert {moment.utcoffset() for moment in times} == {
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=3),
    }
    assert times[-1].date() <= datetime.date(year, 4, 30)


def test_listing_ics__until_date__becomes_utc_end_of_that_helsinki_day(client):
    start = next_weekday(1)
    until = (start + datetime.timedelta(days=60)).date()
    listing = create_listing(schedules=_schedule(start, f"FREQ=WEEKLY;BYDAY=TU;UNTIL={until:%Y%m%d}"))
    (event,) = _calendar(client.get(reverse("activities:ics", args=[listing.pk]))).walk("VEVENT")
    (value,) = event["rrule"]["UNTIL"]
    assert value.utcoffset() == datetime.timedelta(0)
    local = value.astimezone(HELSINKI)
    assert (local.date(), local.hour, local.minute) == (until, 23, 59)


def test_listing_ics__cancelled_and_extra_dates__exdate_and_rdate_at_start_time(client):
    start = next_weekday(1)
    cancelled = (start + datetime.timedelta(days=14)).date()
    extra = (start + datetime.timedelta(days=2)).date()
    listing = create_listing(
        schedules=_schedule(
            start, "FREQ=WEEKLY;BYDAY=TU", exdates=[cancelled.isoformat()], rdates=[extra.isoformat()]
        )
    )
    (event,) = _calendar(client.get(reverse("activities:ics", args=[listing.pk]))).walk("VEVENT")
    exdates = [item.dt for item in event["exdate"].dts]
    rdates = [item.dt for item in event["rdate"].dts]
    assert [(day.date(), day.hour, day.tzinfo.key) for day in exdates] == [(cancelled, 17, "Europe/Helsinki")]
    assert [(day.date(), day.hour) for day in rdates] == [(extra, 17)]


def test_listing_ics__ui_language__texts_in_that_language(client):
    listing = create_listing(
        title={"fi": "Kerho", "en": "Club"}, summary={"fi": "Suomeksi", "en": "In English"}
    )
    (event,) = _calendar(client.get(f"/en/activities/{listing.pk}/calendar.ics")).walk("VEVENT")
    assert str(event["summary"]) == "Club"
    assert str(event["description"]).startswith("In English")
    assert "Kirkkonummi" in str(event["location"])


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.ARCHIVED])
def test_listing_ics__not_public__404(client, status):
    listing = create_listing(status=status)
    assert client.get(reverse("activities:ics", args=[listing.pk])).status_code == 404


# --- Search feeds --------------------------------------------------------------------------------


def test_feed_ics__filters__only_matching_listings_one_event_per_occurrence(client):
    wanted = create_listing(title={"fi": "Lastenhoitokerho"}, has_childcare=True)
    create_listing(title={"fi": "Ei lastenhoitoa"})
    create_listing(title={"fi": "Luonnos"}, has_childcare=True, status=ListingStatus.DRAFT)
    calendar = _calendar(client.get(reverse("activities:feed_ics"), {"childcare": "on"}))
    events = calendar.walk("VEVENT")
    assert {str(event["summary"]) for event in events} == {"Lastenhoitokerho"}
    now = timezone.now()
    starts = [event.decoded("dtstart") for event in events]
    assert 12 <= len(events) <= 13  # weekly for 90 days
    assert all(
        now - datetime.timedelta(hours=2) < start < now + datetime.timedelta(days=90) for start in starts
    )
    assert all((start.hour, start.tzinfo.key) == (17, "Europe/Helsinki") for start in starts)
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert all(str(event["url"]).endswith(f"/activities/{wanted.pk}/") for event in events)
    assert calendar.walk("VTIMEZONE")


def test_feed_ics__text_search_by_relevance__matching_listings_only(client):
    create_listing(title={"fi": "Kielikahvila"})
    create_listing(title={"fi": "Ompelupiiri"})
    events = _calendar(
        client.get(reverse("activities:feed_ics"), {"q": "kahvila", "sort": "relevance"})
    ).walk("VEVENT")
    assert events
    assert {str(event["summary"]) for event in events} == {"Kielikahvila"}


def test_feed_ics__weekday_filter__only_occurrences_on_that_day(client):
    tuesday, saturday = next_weekday(1), next_weekday(5, hour=10)
    create_listing(
        schedules=[*_schedule(tuesday, "FREQ=WEEKLY;BYDAY=TU"), *_schedule(saturday, "FREQ=WEEKLY;BYDAY=SA")]
    )
    events = _calendar(client.get(reverse("activities:feed_ics"), {"day": "sat"})).walk("VEVENT")
    assert events
    assert {event.decoded("dtstart").weekday() for event in events} == {5}


def test_feed_ics__many_occurrences__capped(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_MAX_EVENTS", 5)
    create_listing()
    create_listing()
    assert len(_calendar(client.get(reverse("activities:feed_ics"))).walk("VEVENT")) == 5


def test_feed_ics__invalid_values__still_a_calendar(client):
    create_listing()
    calendar = _calendar(client.get(reverse("activities:feed_ics"), {"age": "x", "from": "huomenna"}))
    assert calendar.walk("VEVENT")


def test_feed_atom__filters__entries_for_matching_listings_only(client):
    wanted = create_listing(title={"fi": "Lastenhoitokerho", "en": "Club with childcare"}, has_childcare=True)
    create_listing(title={"fi": "Ei lastenhoitoa"})
    create_listing(title={"fi": "Luonnos"}, has_childcare=True, status=ListingStatus.DRAFT)
    response = client.get("/en/activities/feed.atom", {"childcare": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = _atom(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Club with childcare"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/en/activities/{wanted.pk}/")
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate.endswith("/en/activities/?childcare=on")


def test_feed_atom__summary_with_markup__escaped_as_text(client):
    create_listing(summary={"fi": "<b>Tervetuloa</b> & kahvia"})
    root = _atom(client.get(reverse("activities:feed_atom")).content)
    summary = root.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "&lt;b&gt;Tervetuloa&lt;/b&gt; &amp; kahvia"

"""Meeting invitations and a body's calendar of upcoming meetings as iCalendar (RFC 5545).

Times carry TZID=Europe/Helsinki with the VTIMEZONE included. The UID is stable per meeting and
SEQUENCE grows with every change, so a calendar program updates an imported invitation in place.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import CooperationBody, Meeting

HELSINKI = ZoneInfo("Europe/Helsinki")


def meeting_uid(meeting: Meeting) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "kotoverkko"
    return f"cooperation-meeting-{meeting.pk}@{host}"


def _event(meeting: Meeting, *, with_papers: bool) -> icalendar.Event:
    event = icalendar.Event()
    url = settings.SITE_URL.rstrip("/") + reverse("cooperation:meeting_detail", args=[meeting.pk])
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(HELSINKI))
    event.add("dtend", meeting.ends_at.astimezone(HELSINKI))
    event.add("sequence", meeting.ics_sequence)
    summary = str(meeting.body) if not meeting.title else f"{meeting.body}: {meeting.title}"
    event.add("summary", summary)
    location = [meeting.place] if meeting.place else []
    if with_papers and meeting.online_url:
        location.append(meeting.online_url)
    if location:
        event.add("location", ", ".join(location))
    description = [url]
    if with_papers:
        agenda = [str(item) for item in meeting.agenda_items.all()]
        description = [*agenda, "", url] if agenda else description
    event.add("description", "\n".join(description))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    return event


def _calendar(name: str, meetings: Iterable[Meeting], *, with_papers: bool) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Cooperation//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    starts = []
    for meeting in meetings:
        calendar.add_component(_event(meeting, with_papers=with_papers))
        starts.append(meeting.starts_at)
    first = min(starts, default=timezone.now()).astimezone(HELSINKI).date()
    calendar.add_missing_timezones(first_date=first - datetime.timedelta(days=366))
    return calendar.to_ical()


def meeting_invitation(meeting: Meeting, *, with_papers: bool) -> bytes:
    """One meeting; the agenda and the online link only for the body's members."""
    return _calendar(str(meeting.body), [meeting], with_papers=with_papers)


def body_calendar(body: CooperationBody, meetings: Iterable[Meeting]) -> bytes:
    """A body's upcoming meetings: times and places only (it is a public feed)."""
    return _calendar(str(body), meetings, with_papers=False)

"""Calendars and feeds: iCalendar for one listing and for any search, Atom for any search.

A search feed takes the same query string as the search page (the same ListingSearchForm), so
"Subscribe" on a search gives exactly what the page lists. Times are Europe/Helsinki with the
VTIMEZONE included, so calendar programs keep a weekly 17:00 at 17:00 across daylight saving.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from kotoverkko.core import i18n

from . import selectors
from .forms_public import ListingSearchForm
from .models import Listing, Occurrence, Schedule
from .selectors import TIMES_OF_DAY, ListingFilters
from .views_public import ui_language

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC
FEED_DAYS = 90
FEED_MAX_EVENTS = 2000
ATOM_MAX_ENTRIES = 50


# --- iCalendar pieces ---------------------------------------------------------------------------


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Activity directory//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    return calendar


def _finish(calendar: icalendar.Calendar, starts: Iterable[datetime.datetime]) -> bytes:
    """The calendar with the Helsinki VTIMEZONE covering its events, as bytes."""
    first = min(starts, default=timezone.now()).astimezone(HELSINKI).date()
    calendar.add_missing_timezones(first_date=first - datetime.timedelta(days=366))
    return calendar.to_ical()


def _location(listing: Listing, language: str) -> str:
    place = i18n.localized(listing.place_name, language)
    town = " ".join(
        part
        for part in (listing.postal_code, listing.municipality.name if listing.municipality else "")
        if part
    )
    parts = [part for part in (place, listing.street_address, town) if part]
    if listing.is_online:
        parts.append(listing.online_url or _("Online"))
    return ", ".join(parts)


def _event(listing: Listing, *, uid: str, url: str, language: str) -> icalendar.Event:
    """A VEVENT with the listing's texts; the caller adds the times."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("summary", i18n.localized(listing.title, language))
    summary = i18n.localized(listing.summary, language)
    event.add("description", f"{summary}\n\n{url}".strip())
    location = _location(listing, language)
    if location:
        event.add("location", location)
    if listing.latitude is not None and listing.longitude is not None:
        event.add("geo", (float(listing.latitude), float(listing.longitude)))
    event.add("url", url)
    return event


def _host(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "kotoverkko"


def _rrule(schedule: Schedule) -> icalendar.vRecur:
    """The schedule's rule with UNTIL in UTC, as RFC 5545 requires with a TZID start.

    A date-only UNTIL means the whole of that day in Helsinki (as in recurrence.expand); a time
    without "Z" is Helsinki time.
    """
    parts = []
    for item in schedule.rrule.upper().removeprefix("RRULE:").split(";"):
        name, _sep, value = item.partition("=")
        if name == "UNTIL" and not value.endswith("Z"):
            day = datetime.datetime.strptime(value[:8], "%Y%m%d").replace(tzinfo=HELSINKI)
            if len(value) >= 15:
                moment = day.replace(
                    hour=int(value[9:11]), minute=int(value[11:13]), second=int(value[13:15])
                )
            else:
                moment = day.replace(hour=23, minute=59, second=59)
            value = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        if name and value:
            parts.append(f"{name}={value}")
    return icalendar.vRecur.from_ical(";".join(parts))


def _at_start_time(schedule: Schedule, values: Iterable[str]) -> list[datetime.datetime]:
    """Whole-day exception or extra dates as Helsinki times at the schedule's start time."""
    start = schedule.starts_at.astimezone(HELSINKI)
    moments = []
    for value in values:
        try:
            day = datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        moments.append(datetime.datetime.combine(day, start.time(), HELSINKI))
    return sorted(moments)


def _schedule_event(
    listing: Listing, schedule: Schedule, *, url: str, host: str, language: str
) -> icalendar.Event:
    event = _event(
        listing, uid=f"listing-{listing.pk}-schedule-{schedule.pk}@{host}", url=url, language=language
    )
    event.add("dtstart", schedule.starts_at.astimezone(HELSINKI))
    event.add("dtend", schedule.ends_at.astimezone(HELSINKI))
    if schedule.rrule:
        event.add("rrule", _rrule(schedule))
    exdates = _at_start_time(schedule, schedule.exdates)
    if exdates:
        event.add("exdate", exdates)
    rdates = _at_start_time(schedule, schedule.rdates)
    if rdates:
        event.add("rdate", rdates)
    return event


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- One listing --------------------------------------------------------------------------------


def listing_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing's schedule as iCalendar: a VEVENT per schedule with RRULE, EXDATE and RDATE."""
    listing = selectors.listing_get_public(listing_id=pk)
    language = ui_language()
    url = request.build_absolute_uri(reverse("activities:detail", args=[listing.pk]))
    calendar = _calendar(i18n.localized(listing.title, language))
    schedules = list(listing.schedules.all())
    for schedule in schedules:
        calendar.add_component(
            _schedule_event(listing, schedule, url=url, host=_host(request), language=language)
        )
    content = _finish(calendar, (schedule.starts_at for schedule in schedules))
    return _ics_response(content, f"activity-{listing.pk}.ics", attachment=True)


# --- Search feeds -------------------------------------------------------------------------------


def _occurrence_window(filters: ListingFilters, now: datetime.datetime) -> Q:
    """The feed's occurrences: the next FEED_DAYS days, narrowed by the search's date, day and time."""
    start, end = now, now + datetime.timedelta(days=FEED_DAYS)
    if filters.date_from:
        start = max(start, datetime.datetime.combine(filters.date_from, datetime.time(), HELSINKI))
    if filters.date_to:
        day_after = filters.date_to + datetime.timedelta(days=1)
        end = min(end, datetime.datetime.combine(day_after, datetime.time(), HELSINKI))
    condition = Q(ends_at__gt=start, starts_at__lt=end)
    if filters.weekdays:
        condition &= Q(weekday__in=filters.weekdays)
    if filters.time_of_day in TIMES_OF_DAY:
        low, high = TIMES_OF_DAY[filters.time_of_day]
        condition &= Q(start_minute__gte=low, start_minute__lt=high)
    return condition


def _search(request: HttpRequest) -> tuple[ListingFilters, QuerySet[Listing]]:
    filters = ListingSearchForm(request.GET or None).filters()
    return filters, selectors.listing_list_public(filters=filters)


def _search_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    url = request.build_absolute_uri(reverse("activities:search"))
    return f"{url}?{query.urlencode()}" if query else url


def feed_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming occurrences of the search's listings, one VEVENT each (at most FEED_MAX_EVENTS)."""
    filters, listings = _search(request)
    language = ui_language()
    occurrences = list(
        Occurrence.objects.filter(_occurrence_window(filters, timezone.now()))
        .filter(listing__in=listings.values("pk"))
        .select_related("listing", "listing__municipality")
        .order_by("starts_at", "pk")[:FEED_MAX_EVENTS]
    )
    calendar = _calendar(_("Activities – %(site)s") % {"site": settings.SITE_NAME})
    host = _host(request)
    urls: dict[int, str] = {}
    for occurrence in occurrences:
        listing = occurrence.listing
        if listing.pk not in urls:
            urls[listing.pk] = request.build_absolute_uri(reverse("activities:detail", args=[listing.pk]))
        stamp = occurrence.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        event = _event(
            listing, uid=f"listing-{listing.pk}-{stamp}@{host}", url=urls[listing.pk], language=language
        )
        event.add("dtstart", occurrence.starts_at.astimezone(HELSINKI))
        event.add("dtend", occurrence.ends_at.astimezone(HELSINKI))
        calendar.add_component(event)
    content = _finish(calendar, (occurrence.starts_at for occurrence in occurrences))
    return _ics_response(content, "activities.ics", attachment=False)


def feed_atom(request: HttpRequest) -> HttpResponse:
    """The search's listings in the search's order as an Atom feed (at most ATOM_MAX_ENTRIES)."""
    _filters, listings = _search(request)
    language = ui_language()
    feed = Atom1Feed(
        title=_("Activities – %(site)s") % {"site": settings.SITE_NAME},
        link=_search_url(request),
        description=_("Activities and events that match the search."),
        language=language,
        feed_url=request.build_absolute_uri(),
        author_name=settings.SITE_NAME,
    )
    for listing in listings.prefetch_related("themes")[:ATOM_MAX_ENTRIES]:
        url = request.build_absolute_uri(reverse("activities:detail", args=[listing.pk]))
        feed.add_item(
            title=i18n.localized(listing.title, language),
            link=url,
            description=escape(i18n.localized(listing.summary, language)),
            unique_id=url,
            pubdate=listing.published_at,
            updateddate=listing.updated_at,
            author_name=i18n.localized(listing.organisation.name, language),
            categories=[theme.label for theme in listing.themes.all()],
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response

"""Public pages of the activity directory: the search, a listing's page and the report form.

Multilingual content is shown in the wanted language with a fallback (core.i18n); every text
carries the language it is actually in, so the templates can set `lang` and `dir` and mark a
fallback ("Not available in Arabic; shown in Finnish").
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from kotoverkko.core import i18n
from kotoverkko.core.htmx import render_page_or_fragment
from kotoverkko.core.pagination import paginate, querystring_without_page
from kotoverkko.reference.models import Language

from . import recurrence, selectors, services
from .enums import GenderRestriction, Registration
from .forms_public import ListingSearchForm, ReportForm
from .models import Listing, Occurrence, Schedule

HELSINKI = ZoneInfo("Europe/Helsinki")
PAGE_SIZE = 20
NEXT_OCCURRENCES = 8
# Filters shown under "More filters"; the group opens when one of them is in use.
MORE_FILTERS = (
    "theme",
    "target_group",
    "age",
    "day",
    "time",
    "from",
    "to",
    "free",
    "mode",
    "accessible",
    "childcare",
)
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --- Multilingual text ----------------------------------------------------------------------------


def ui_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@dataclass(frozen=True)
class Text:
    """A multilingual value shown in one language, with what the templates need to mark it up."""

    text: str
    lang: str
    wanted: str
    language_name: str = ""
    wanted_name: str = ""

    @property
    def dir(self) -> str:
        return i18n.text_direction(self.lang)

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.lang != self.wanted

    def __str__(self) -> str:
        return self.text


def language_name(code: str, names: Mapping[str, str]) -> str:
    """The language's name in the UI language (reference data first, then Django's list)."""
    if code in names:
        return names[code]
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def text_in(value: Mapping[str, str] | None, language: str, names: Mapping[str, str]) -> Text:
    shown = i18n.localized_language(value, language)
    return Text(
        text=i18n.localized(value, language),
        lang=shown,
        wanted=language,
        language_name=language_name(shown, names) if shown else "",
        wanted_name=language_name(language, names),
    )


def language_names(codes: Iterable[str]) -> dict[str, str]:
    return {language.code: language.name for language in Language.objects.filter(code__in=set(codes))}


# --- Search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    listing: Listing
    title: Text
    summary: Text
    place: Text
    badges: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    label: str
    value: str
    count: int
    query: str


def badges(listing: Listing) -> list[str]:
    """Short facts a newcomer decides on, in the order the cards show them."""
    labels = []
    if listing.has_childcare:
        labels.append(_("Childcare"))
    if listing.is_accessible:
        labels.append(_("Accessible venue"))
    if listing.gender_restriction == GenderRestriction.WOMEN:
        labels.append(_("Women only"))
    elif listing.gender_restriction == GenderRestriction.MEN:
        labels.append(_("Men only"))
    if listing.is_for_families:
        labels.append(_("For families"))
    if listing.has_interpretation:
        labels.append(_("Interpretation available"))
    if listing.is_online:
        labels.append(_("Online"))
    return labels


def card(listing: Listing, language: str, names: Mapping[str, str]) -> Card:
    return Card(
        listing=listing,
        title=text_in(listing.title, language, names),
        summary=text_in(listing.summary, language, names),
        place=text_in(listing.place_name, language, names),
        badges=badges(listing),
    )


def _suggestions(request: HttpRequest, form: ListingSearchForm, active: list[str]) -> list[Suggestion]:
    """For each filter in use, how many results there would be without it (one count each)."""
    found = []
    for name in active:
        count = selectors.listing_list_public(filters=form.filters(without=name)).count()
        if count:
            params = request.GET.copy()
            params.pop(name, None)
            params.pop("page", None)
            label = str(form.fields[name].label)
            found.append(Suggestion(label, form.value_label(name), count, params.urlencode()))
    return sorted(found, key=lambda suggestion: -suggestion.count)


def _unmet_record(form: ListingSearchForm) -> dict[str, Any]:
    """The filters to count, naming a region rather than all its municipalities."""
    filters = form.filters(without="region")
    record = filters.as_record()
    region = form.cleaned_data.get("region")
    if region:
        record["region"] = region
    return record


def search(request: HttpRequest) -> HttpResponse:
    form = ListingSearchForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.listing_list_public(filters=filters), per_page=PAGE_SIZE)
    active = form.active_filters()
    suggestions: list[Suggestion] = []
    if not page.paginator.count and active:
        suggestions = _suggestions(request, form, active)
        services.unmet_search_record(text=filters.text, filters=_unmet_record(form))
    context = {
        "form": form,
        "page": page,
        "cards": [card(listing, ui_language(), form.language_names) for listing in page],
        "ignored": form.ignored(),
        "suggestions": suggestions,
        "has_filters": bool(active),
        "more_filters_open": any(name in MORE_FILTERS for name in active),
        "query": querystring_without_page(request),
        "sort_ignored": filters.sort == "relevance" and not filters.text,
    }
    return render_page_or_fragment(request, "activities/search.html", context)


# --- Detail -------------------------------------------------------------------------------------


def content_language(request: HttpRequest) -> str:
    """The language the content is asked in (`?lang=ar`), the UI language by default."""
    wanted = (request.GET.get("lang") or "").strip().lower()
    return wanted if i18n.LANGUAGE_CODE_PATTERN.match(wanted) else ui_language()


@dataclass(frozen=True)
class Translation:
    code: str
    name: str
    native_name: str
    parts: list[str]
    is_current: bool

    @property
    def dir(self) -> str:
        return i18n.text_direction(self.code)


@dataclass(frozen=True)
class ScheduleView:
    schedule: Schedule
    description: str
    cancelled: list[datetime.date]
    extra: list[datetime.date]


def _translations(listing: Listing, current: str, languages: Mapping[str, Language]) -> list[Translation]:
    parts = {"title": _("title"), "summary": _("summary"), "description": _("description")}
    codes: dict[str, list[str]] = {}
    for name, label in parts.items():
        for code, text in (getattr(listing, name) or {}).items():
            if text:
                codes.setdefault(code, []).append(label)
    ui_codes = [code for code, _name in settings.LANGUAGES]
    names = {code: language.name for code, language in languages.items()}

    def order(code: str) -> tuple[int, str]:
        return (ui_codes.index(code) if code in ui_codes else len(ui_codes), language_name(code, names))

    translations = []
    for code in sorted(codes, key=order):
        name = language_name(code, names)
        native = languages[code].native_name if code in languages else ""
        translations.append(
            Translation(
                code=code,
                name=name,
                native_name="" if native.casefold() == name.casefold() else native,
                parts=codes[code],
                is_current=code == current,
            )
        )
    return translations


def _dates(values: Iterable[str]) -> list[datetime.date]:
    days = []
    for value in values:
        try:
            days.append(datetime.date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return sorted(days)


def _schedules(listing: Listing, language: str) -> list[ScheduleView]:
    return [
        ScheduleView(
            schedule=schedule,
            description=recurrence.describe(
                rrule=schedule.rrule,
                starts_at=schedule.starts_at,
                ends_at=schedule.ends_at,
                language=language,
            ),
            cancelled=_dates(schedule.exdates),
            extra=_dates(schedule.rdates),
        )
        for schedule in listing.schedules.all()
    ]


def registration_link(listing: Listing) -> str:
    """A link for the registration details (web address, e-mail or telephone), "" if none fits."""
    info = listing.registration_info.strip()
    if listing.registration == Registration.LINK and info.startswith(("https://", "http://")):
        return info
    if listing.registration == Registration.EMAIL and "@" in info and " " not in info:
        return f"mailto:{info}"
    if listing.registration == Registration.PHONE:
        digits = "".join(char for char in info if char.isdigit() or char == "+")
        return f"tel:{digits}" if len(digits) >= 5 else ""
    return ""


def map_link(listing: Listing) -> str:
    """A plain OpenStreetMap link (no tiles on this site)."""
    if listing.latitude is None or listing.longitude is None:
        return ""
    lat, lon = f"{listing.latitude:.6f}", f"{listing.longitude:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def detail_context(request: HttpRequest, listing: Listing, language: str) -> dict[str, Any]:
    """Everything the listing page shows, with the texts in `language` (falling back, marked)."""
    occurrences = selectors.next_occurrences(listing=listing, count=NEXT_OCCURRENCES)
    codes = {language, *(code for code, _name in settings.LANGUAGES)}
    for value in (listing.title, listing.summary, listing.description):
        codes |= set(value or {})
    languages = {item.code: item for item in Language.objects.filter(code__in=codes)}
    names = {code: item.name for code, item in languages.items()}

    def text(value: Mapping[str, str] | None) -> Text:
        return text_in(value, language, names)

    organisers = [listing.organisation, *listing.co_organisers.all()]
    return {
        "listing": listing,
        "language": language,
        "title": text(listing.title),
        "summary": text(listing.summary),
        "description": text(listing.description),
        "place": text(listing.place_name),
        "fee": text(listing.fee_info),
        "accessibility": text(listing.accessibility_info),
        "translations": _translations(listing, language, languages),
        "organisers": [(organisation, text(organisation.name)) for organisation in organisers],
        "images": [(image, text(image.alt_text)) for image in listing.images.all()],
        "schedules": _schedules(listing, ui_language()),
        "occurrences": occurrences,
        "badges": badges(listing),
        "registration_link": registration_link(listing),
        "map_link": map_link(listing),
        "json_ld": json_ld(request, listing, occurrences, language=language),
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A public listing; `?lang=xx` shows its content in another language. Not public: 404."""
    listing = selectors.listing_get_public(listing_id=pk)
    context = detail_context(request, listing, content_language(request))
    return render(request, "activities/detail.html", context)


# --- schema.org ---------------------------------------------------------------------------------


def _rule_parts(rrule: str) -> dict[str, str]:
    parts = {}
    for item in rrule.upper().removeprefix("RRULE:").split(";"):
        name, _sep, value = item.partition("=")
        if name and value:
            parts[name.strip()] = value.strip()
    return parts


def _schema_schedule(schedule: Schedule) -> dict[str, Any]:
    start = schedule.starts_at.astimezone(HELSINKI)
    end = schedule.ends_at.astimezone(HELSINKI)
    parts = _rule_parts(schedule.rrule)
    unit = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}.get(parts.get("FREQ", ""), "")
    interval = parts.get("INTERVAL", "1")
    minutes = int((end - start).total_seconds() // 60)
    data: dict[str, Any] = {
        "@type": "Schedule",
        "startDate": start.date().isoformat(),
        "startTime": start.strftime("%H:%M:%S"),
        "endTime": end.strftime("%H:%M:%S"),
        "duration": f"PT{minutes // 60}H{minutes % 60}M",
        "scheduleTimezone": "Europe/Helsinki",
    }
    if unit and interval.isdigit():
        data["repeatFrequency"] = f"P{interval}{unit}"
    days = [item[-2:] for item in parts.get("BYDAY", "").split(",") if item[-2:] in RULE_DAYS]
    if days:
        data["byDay"] = [f"https://schema.org/{SCHEMA_DAYS[RULE_DAYS.index(day)]}" for day in days]
    if len(parts.get("UNTIL", "")) >= 8:
        until = parts["UNTIL"]
        data["endDate"] = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
    if parts.get("COUNT", "").isdigit():
        data["repeatCount"] = int(parts["COUNT"])
    if schedule.exdates:
        data["exceptDate"] = [day.isoformat() for day in _dates(schedule.exdates)]
    return data


def _schema_location(request: HttpRequest, listing: Listing, language: str) -> list[dict[str, Any]]:
    locations: list[dict[str, Any]] = []
    if listing.is_online and listing.online_url:
        locations.append({"@type": "VirtualLocation", "url": listing.online_url})
    if listing.municipality_id or listing.street_address:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": i18n.localized(listing.place_name, language) or listing.street_address,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": listing.street_address,
                "postalCode": listing.postal_code,
                "addressLocality": listing.municipality.name if listing.municipality else "",
                "addressCountry": "FI",
            },
        }
        if listing.latitude is not None and listing.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(listing.latitude),
                "longitude": float(listing.longitude),
            }
        locations.append(place)
    return locations


def _schema_organisers(request: HttpRequest, listing: Listing, language: str) -> list[dict[str, Any]]:
    organisers = []
    for organisation in [listing.organisation, *listing.co_organisers.all()]:
        item = {"@type": "Organization", "name": i18n.localized(organisation.name, language)}
        if organisation.is_public:
            path = reverse("organisations:detail", args=[organisation.pk])
            item["url"] = request.build_absolute_uri(path)
        organisers.append(item)
    return organisers


def _schema_offer(listing: Listing, url: str, language: str) -> dict[str, Any]:
    offer = {"@type": "Offer", "url": url, "priceCurrency": "EUR"}
    if listing.is_free:
        offer["price"] = "0"
    else:
        offer["description"] = i18n.localized(listing.fee_info, language)
    return offer


def _schema_sub_events(data: dict[str, Any], occurrences: list[Occurrence]) -> list[dict[str, Any]]:
    events = []
    for occurrence in occurrences:
        event = {
            "@type": "Event",
            "name": data["name"],
            "url": data["url"],
            "startDate": occurrence.starts_at.astimezone(HELSINKI).isoformat(),
            "endDate": occurrence.ends_at.astimezone(HELSINKI).isoformat(),
        }
        if "location" in data:
            event["location"] = data["location"]
        events.append(event)
    return events


def json_ld(
    request: HttpRequest, listing: Listing, occurrences: list[Occurrence], *, language: str
) -> SafeString:
    """schema.org Event (one time) or EventSeries (repeating) as a safe JSON data block.

    The texts are in the page's content language, so the data matches what the page shows.
    """
    url = request.build_absolute_uri(reverse("activities:detail", args=[listing.pk]))
    schedules = list(listing.schedules.all())
    repeating = len(schedules) > 1 or any(s.rrule or s.rdates for s in schedules)
    mode = "OnlineEventAttendanceMode" if listing.is_online else "OfflineEventAttendanceMode"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EventSeries" if repeating else "Event",
        "@id": url,
        "url": url,
        "name": i18n.localized(listing.title, language),
        "description": i18n.localized(listing.summary, language),
        "inLanguage": [item.code for item in listing.languages.all()],
        "isAccessibleForFree": listing.is_free,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "organizer": _schema_organisers(request, listing, language),
        "offers": _schema_offer(listing, url, language),
    }
    locations = _schema_location(request, listing, language)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if schedules:
        data["startDate"] = schedules[0].starts_at.astimezone(HELSINKI).isoformat()
        if not repeating:
            data["endDate"] = schedules[0].ends_at.astimezone(HELSINKI).isoformat()
    if repeating:
        data["eventSchedule"] = [_schema_schedule(schedule) for schedule in schedules]
        data["subEvent"] = _schema_sub_events(data, occurrences)
    if listing.min_age is not None or listing.max_age is not None:
        upper = "" if listing.max_age is None else str(listing.max_age)
        data["typicalAgeRange"] = f"{listing.min_age or 0}-{upper}"
    images = [request.build_absolute_uri(image.image.url) for image in listing.images.all()]
    if images:
        data["image"] = images
    keywords = [theme.label for theme in listing.themes.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    text = json.dumps(data, ensure_ascii=False)
    # A data block must not be able to end the <script> element early or open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 (escaped above; JSON in a data block that is never executed)


# --- Report -------------------------------------------------------------------------------------


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address for rate limiting; the address itself is never stored.

    Behind the TLS proxy the client's address is the last one the proxy appended.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = next((part for part in reversed(forwarded) if part), address)
    digest = salted_hmac("kotoverkko.activities.report", address, algorithm="sha256").hexdigest()
    return f"activities:reports:{digest}"


def report_allowed(request: HttpRequest) -> bool:
    """Count this report; False once the client has sent REPORTS_PER_HOUR within the hour."""
    key = client_key(request)
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count <= settings.REPORTS_PER_HOUR


def report(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(selectors.listings_public().select_related("organisation"), pk=pk)
    form = ReportForm(request.POST or None)
    context = {"listing": listing, "form": form, "title": text_in(listing.title, ui_language(), {})}
    if request.method == "POST" and form.is_valid():
        if not report_allowed(request):
            return render(request, "activities/report.html", {**context, "limited": True}, status=429)
        services.report_create(
            listing=listing, reason=form.cleaned_data["reason"], message=form.cleaned_data["message"]
        )
        messages.success(request, _("Thank you. The moderators will check the listing."))
        return redirect("activities:detail", pk=listing.pk)
    return render(request, "activities/report.html", context)

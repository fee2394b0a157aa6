"""Handing listings over to a client: the counsellor's basket, the handout's content in the
client's language (with marked fallbacks), its QR code and its PDF.

Nothing here stores or asks for anything about the client: a handout is a list of listings and
a language code.
"""

from __future__ import annotations

import datetime
import io
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import segno
from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.core import i18n
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language

from . import policies, recurrence, selectors
from .models import Handout, Listing, Occurrence

BASKET_SESSION_KEY = "activities_handout_basket"
BASKET_LIMIT = 20
# The client languages met most often in Finnish integration work come first in the choice.
COMMON_LANGUAGES = (
    "ar",
    "so",
    "ru",
    "uk",
    "fa",
    "prs",
    "ckb",
    "kmr",
    "ps",
    "ti",
    "tr",
    "en",
    "fi",
    "sv",
    "et",
    "zh",
    "vi",
    "th",
    "es",
    "fr",
)
# Babel has no locale of its own for these; dates are written with the nearest one.
BABEL_LOCALES = {"prs": "fa_AF"}
UPCOMING_OCCURRENCES = 3


# --- The basket (session) ------------------------------------------------------------------------


class Basket:
    """Listing ids a counsellor is collecting, kept in the session (no client data)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    @property
    def ids(self) -> list[int]:
        return [int(value) for value in self._session.get(BASKET_SESSION_KEY, [])]

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, listing_id: int) -> bool:
        """Add a listing; False when the basket is already full (adding twice is a no-op)."""
        ids = self.ids
        if listing_id in ids:
            return True
        if len(ids) >= BASKET_LIMIT:
            return False
        self._save([*ids, listing_id])
        return True

    def remove(self, listing_id: int) -> None:
        self._save([value for value in self.ids if value != listing_id])

    def clear(self) -> None:
        self._session.pop(BASKET_SESSION_KEY, None)

    def listings(self) -> list[Listing]:
        """The listings still public, in the order they were added; the others are dropped."""
        ids = self.ids
        if not ids:
            return []
        found = {
            listing.pk: listing
            for listing in selectors.listings_public()
            .filter(pk__in=ids)
            .select_related("organisation", "municipality")
        }
        if len(found) != len(ids):
            self._save([value for value in ids if value in found])
        return [found[value] for value in ids if value in found]

    def _save(self, ids: list[int]) -> None:
        self._session[BASKET_SESSION_KEY] = ids


def handout_context(request: HttpRequest) -> dict[str, Any]:
    """Template context for the "add to a handout" button (usable as a context processor).

    Lazy, so pages that never show the button pay nothing.
    """
    return {
        "can_hand_out": SimpleLazyObject(lambda: policies.can_hand_out(request.user)),
        "handout_basket_ids": SimpleLazyObject(
            lambda: set(Basket(request.session).ids) if hasattr(request, "session") else set()
        ),
    }


# --- Choosing the language and the organisation ----------------------------------------------------


def language_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every reference language, the common ones first, each as its name and its own name."""
    languages = {language.code: language for language in Language.objects.all()}

    def label(language: Language) -> str:
        native = language.native_name.strip()
        if native and native.casefold() != language.name.casefold():
            return f"{language.name} – {native}"
        return language.name

    common = [(code, label(languages[code])) for code in COMMON_LANGUAGES if code in languages]
    rest = sorted(
        ((code, label(language)) for code, language in languages.items() if code not in COMMON_LANGUAGES),
        key=lambda choice: choice[1].casefold(),
    )
    return [(_("Most common"), common), (_("All languages"), rest)]


def organisations_to_hand_out_for(user: Any) -> QuerySet[Organisation]:
    """The organisations the counsellor works in and may hand out for.

    For platform admins (who may act for every organisation) only their own memberships are
    offered, so the choice stays short.
    """
    return (
        policies.organisations_for_handouts(user)
        .filter(memberships__user=user)
        .distinct()
        .order_by("sort_name", "pk")
    )


class HandoutForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("The client's language"),
        help_text=gettext_lazy(
            "The handout is printed in this language where the organiser has given a translation."
        ),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Handed out by"),
        help_text=gettext_lazy("Only counted in anonymous statistics."),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.fields["language"].choices = [("", _("Choose a language")), *language_choices()]
        self.fields["organisation"].queryset = organisations
        if len(self.organisations) <= 1:
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self) -> Organisation | None:
        organisation = self.cleaned_data.get("organisation")
        if organisation is None and len(self.organisations) == 1:
            return self.organisations[0]
        if organisation is None:
            raise forms.ValidationError(_("Choose the organisation you work for."))
        return organisation


# --- A handout's content --------------------------------------------------------------------------


def handout_get(*, token: str) -> Handout:
    """A finished handout by its token (expired ones too: the view answers 410 for those)."""
    return get_object_or_404(Handout.objects.filter(is_draft=False), token=token)


def is_expired(handout: Handout, *, now: datetime.datetime | None = None) -> bool:
    return handout.expires_at <= (now or timezone.now())


def label_language(handout_language: str) -> str:
    """The language of headings and notes: the client's when it is a UI language, else the UI's."""
    ui_languages = {code for code, _name in settings.LANGUAGES}
    if handout_language in ui_languages:
        return handout_language
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in ui_languages else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Text:
    """One multilingual value as shown: its text, its language and direction, and whether it fell back."""

    text: str
    language: str
    fallback: bool

    @property
    def direction(self) -> str:
        return i18n.text_direction(self.language)


def pick(value: Mapping[str, str] | None, language: str) -> Text | None:
    """The text in `language`, else Finnish, Swedish, English, else any language."""
    code = i18n.localized_language(value, language)
    if not code or not value:
        return None
    return Text(text=value[code], language=code, fallback=code != language)


@dataclass(frozen=True)
class When:
    """An occurrence's day and its times, kept apart so that right-to-left text keeps their order."""

    day: str
    times: str
    language: str

    @property
    def direction(self) -> str:
        return i18n.text_direction(self.language)


@dataclass
class Entry:
    """One listing in a handout, with every text already chosen for the client's language."""

    listing: Listing
    title: Text
    summary: Text | None
    description: Text | None
    place: Text | None
    fee: Text | None
    accessibility: Text | None
    organiser: Text | None
    municipality_name: str
    registration: str
    languages: list[Language]
    schedules: list[str]
    occurrences: list[When]
    plain_finnish: str = ""
    note: str = ""
    extras: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[Text]:
        return [
            text
            for text in (
                self.title,
                self.summary,
                self.description,
                self.place,
                self.fee,
                self.accessibility,
            )
            if text
        ]


def _babel_locale(language: str) -> Locale | None:
    try:
        return Locale.parse(BABEL_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):
        return None


def format_occurrence(occurrence: Occurrence, *, language: str, fallback_language: str) -> When:
    """The day ("Tuesday 14.10.2025") in the client's language where Babel knows it, and the times."""
    zone = timezone.get_default_timezone()
    code = language
    locale = _babel_locale(language)
    if locale is None:
        code = fallback_language
        locale = _babel_locale(fallback_language) or Locale.parse("fi")
    starts = occurrence.starts_at.astimezone(zone)
    ends = occurrence.ends_at.astimezone(zone)
    day = format_datetime(starts, "EEEE d.M.yyyy", tzinfo=zone, locale=locale)
    if starts.date() == ends.date():
        return When(day=day, times=f"{starts:%H:%M}–{ends:%H:%M}", language=code)
    until = format_datetime(ends, "d.M.yyyy", tzinfo=zone, locale=locale)
    return When(day=day, times=f"{starts:%H:%M} – {until} {ends:%H:%M}", language=code)


def _language_names(codes: Iterable[str]) -> dict[str, str]:
    """Language names as written mid-sentence in the active UI language ("arabia", "Arabic")."""
    ui = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return {
        language.code: getattr(language, f"name_{ui}", "") or language.name_fi
        for language in Language.objects.filter(code__in=set(codes))
    }


def _fallback_note(texts: list[Text], language: str, names: dict[str, str]) -> str:
    fallbacks = [text for text in texts if text.fallback]
    if not fallbacks:
        return ""
    shown_codes = list(dict.fromkeys(text.language for text in fallbacks))
    shown = ", ".join(names.get(code, code) for code in shown_codes)
    wanted = names.get(language, language)
    if len(fallbacks) == len(texts):
        return _("Not available in %(wanted)s – shown in %(shown)s.") % {"wanted": wanted, "shown": shown}
    return _("Partly not available in %(wanted)s – some parts shown in %(shown)s.") % {
        "wanted": wanted,
        "shown": shown,
    }


def _extras(listing: Listing) -> list[str]:
    extras: list[str] = []
    if listing.has_childcare:
        extras.append(_("Childcare available"))
    if listing.is_accessible:
        extras.append(_("Accessible venue"))
    if listing.has_interpretation:
        extras.append(_("Interpretation available"))
    if listing.is_for_families:
        extras.append(_("For families"))
    if listing.gender_restriction:
        extras.append(str(listing.get_gender_restriction_display()))
    if listing.min_age is not None and listing.max_age is not None:
        extras.append(_("Ages %(min)s–%(max)s") % {"min": listing.min_age, "max": listing.max_age})
    elif listing.min_age is not None:
        extras.append(_("Age %(min)s and over") % {"min": listing.min_age})
    elif listing.max_age is not None:
        extras.append(_("Age up to %(max)s") % {"max": listing.max_age})
    return extras


def handout_entries(handout: Handout, *, labels: str) -> tuple[list[Entry], int]:
    """The handout's listings that are still public, ready to show; and how many are gone.

    `labels` is the language of headings and notes (see `label_language`).
    """
    items = list(handout.items.order_by("position", "pk").values_list("listing_id", flat=True))
    # A sliced prefetch: the next few occurrences of every listing in one query.
    upcoming = Occurrence.objects.filter(ends_at__gt=timezone.now()).order_by("starts_at")[
        :UPCOMING_OCCURRENCES
    ]
    listings = {
        listing.pk: listing
        for listing in selectors.listings_public()
        .filter(pk__in=items)
        .select_related("organisation", "municipality")
        .prefetch_related(
            "languages",
            "schedules",
            Prefetch("occurrences", queryset=upcoming, to_attr="upcoming_occurrences"),
        )
    }
    language = handout.language
    entries: list[Entry] = []
    with translation.override(labels):
        names = _language_names([language, "fi", "sv", "en"])
        for listing_id in items:
            listing = listings.get(listing_id)
            if listing is None:
                continue
            title = pick(listing.title, language) or Text(text=str(listing.pk), language="fi", fallback=True)
            description = pick(listing.description, language)
            entry = Entry(
                listing=listing,
                title=title,
                summary=pick(listing.summary, language),
                description=description,
                place=pick(listing.place_name, language),
                fee=pick(listing.fee_info, language),
                accessibility=pick(listing.accessibility_info, language),
                organiser=pick(listing.organisation.name, language),
                municipality_name=listing.municipality.name if listing.municipality else "",
                registration=str(listing.get_registration_display()),
                languages=sorted(listing.languages.all(), key=lambda lang: lang.code != language),
                schedules=[
                    recurrence.describe(schedule.rrule, schedule.starts_at, schedule.ends_at, labels)
                    for schedule in listing.schedules.all()
                ],
                occurrences=[
                    format_occurrence(occurrence, language=language, fallback_language=labels)
                    for occurrence in listing.upcoming_occurrences
                ],
                extras=_extras(listing),
            )
            missing_codes = {text.language for text in entry.texts if text.fallback} - names.keys()
            if missing_codes:
                names |= _language_names(missing_codes)
            entry.note = _fallback_note(entry.texts, language, names)
            if language != "fi" and listing.plain_finnish and (not description or description.fallback):
                entry.plain_finnish = listing.plain_finnish
            entries.append(entry)
    return entries, len(items) - len(entries)


def handout_language_name(handout: Handout, *, labels: str) -> str:
    with translation.override(labels):
        return _language_names([handout.language]).get(handout.language, handout.language)


# --- Link, QR code and PDF -------------------------------------------------------------------------


def short_link(handout: Handout) -> str:
    """The absolute address of the online version (in the client's UI language if there is one)."""
    ui_languages = {code for code, _name in settings.LANGUAGES}
    language = handout.language if handout.language in ui_languages else settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("activities:handout", kwargs={"token": handout.token})
    return settings.SITE_URL.rstrip("/") + path


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=8, border=4, xmldecl=True, title=url, svgclass=None)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    return _qr(url).svg_data_uri(scale=8, border=4, svgclass=None)


def _static_file(name: str) -> Path | None:
    if not name or ".." in PurePosixPath(name).parts:
        return None
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def _fetcher(base_url: str) -> Any:
    """A WeasyPrint URL fetcher for this site's static files and data: URIs, and nothing else.

    WeasyPrint is imported here, not at the top: it takes a second and is only needed for PDFs.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = urljoin(base_url, settings.STATIC_URL)

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(static_prefix):
                raise ValueError(f"Not fetched: {url}")
            name = unquote(urlsplit(url[len(static_prefix) :]).path)
            path = _static_file(name)
            if path is None:
                raise ValueError(f"No such static file: {name}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher(allowed_protocols={"data"}, allow_redirects=False)


def pdf_document(html: str) -> Any:
    """The laid-out WeasyPrint document (tests inspect its pages)."""
    from weasyprint import HTML

    base_url = settings.SITE_URL.rstrip("/") + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher(base_url)).render()


def pdf_bytes(html: str) -> bytes:
    return pdf_document(html).write_pdf()


def pdf_filename(handout: Handout) -> str:
    created = timezone.localtime(handout.created_at).date()
    return f"handout-{created:%Y-%m-%d}-{handout.language}.pdf"

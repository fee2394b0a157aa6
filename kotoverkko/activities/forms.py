"""HTML input of the publishing pages: listings with their schedules and images, moderation,
vocabularies and the statistics filter. Validation and cleaning only; services do the writing."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import UI_LANGUAGE_LABELS, MultilingualFormMixin, add_application_error
from kotoverkko.core.widgets import FastSelectsMixin
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.forms import MunicipalityChoiceField, MunicipalityMultipleChoiceField
from kotoverkko.reference.models import Language, Municipality

from . import images, policies, recurrence
from .enums import GenderRestriction, ListingSection, ListingStatus, Registration
from .models import Listing, ListingImage, Schedule, TargetGroup, Theme
from .services import ListingData, ScheduleData, listing_data_from
from .vocabularies import VocabularyData

HELSINKI = ZoneInfo("Europe/Helsinki")
MAX_SCHEDULES = 3

# The listing criteria the publisher confirms and the moderator checks.
LISTING_CRITERIA = [
    _("It is non-commercial."),
    _("It is open to everyone in its target group and voluntary, and no referral is needed."),
    _("It is politically and religiously non-aligned."),
    _("It is not an authority's statutory service."),
    _("In the section for immigrants, it is a series or a regular activity rather than a single event."),
]

# The multilingual texts of a listing (the image's alt text is handled with the image).
LISTING_TEXTS = ["title", "summary", "description", "place_name", "fee_info", "accessibility_info"]


class LanguageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Language) -> str:
        return f"{obj.name} ({obj.code})"


class VocabularyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Theme | TargetGroup) -> str:
        return obj.label if obj.is_active else f"{obj.label} ({_('no longer in use')})"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


# --- The listing ---------------------------------------------------------------------------------


class ListingForm(FastSelectsMixin, MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Title"), "max_length": 200},
        "summary": {
            "label": _("Summary"),
            "textarea": True,
            "max_length": 500,
            "help_text": _("One or two sentences shown in the search results. Needed before submitting."),
        },
        "description": {"label": _("Description"), "textarea": True},
        "place_name": {"label": _("Place"), "max_length": 200, "help_text": _("For example the library.")},
        "fee_info": {"label": _("Fee"), "help_text": _("How much it costs and how to pay.")},
        "accessibility_info": {
            "label": _("Accessibility details"),
            "textarea": True,
            "help_text": _("For example the entrance, lift, toilet or induction loop."),
        },
        "image_alt_text": {
            "label": _("Alternative text of the image"),
            "max_length": 300,
            "help_text": _("Describe the image for people who cannot see it, in at least one language."),
        },
    }

    # --- What and who
    section = forms.ChoiceField(label=_("Section"), choices=ListingSection.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("Publisher"), queryset=Organisation.objects.none(), empty_label=None
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    plain_finnish = forms.CharField(
        label=_("Plain-language Finnish (selkokieli)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "fi"}),
        help_text=_("A short description in plain Finnish, if you have one."),
    )
    themes = VocabularyMultipleChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    target_groups = VocabularyMultipleChoiceField(
        label=_("Target groups"),
        required=False,
        queryset=TargetGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    # --- For whom, in which language
    languages = LanguageMultipleChoiceField(
        label=_("Languages of the activity"),
        required=False,
        queryset=Language.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The languages the activity is run in. Choose several with Ctrl or Cmd."),
    )
    has_interpretation = forms.BooleanField(label=_("Interpretation is available"), required=False)
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    gender_restriction = forms.ChoiceField(
        label=_("Who may take part"),
        required=False,
        choices=GenderRestriction.choices,
        widget=forms.RadioSelect,
    )
    is_for_families = forms.BooleanField(label=_("For families"), required=False)
    has_childcare = forms.BooleanField(label=_("Childcare is available"), required=False)
    # --- Where
    is_online = forms.BooleanField(label=_("The activity is online"), required=False)
    online_url = forms.URLField(label=_("Online address"), required=False, assume_scheme="https")
    street_address = forms.CharField(label=_("Street address"), required=False, max_length=200)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        required=False,
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A postal code has five digits.")},
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.none()
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=59,
        max_value=71,
        max_digits=8,
        decimal_places=6,
        help_text=_("For the map, for example 60.123456."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=19,
        max_value=32,
        max_digits=8,
        decimal_places=6,
        help_text=_("For example 24.433333."),
    )
    municipalities_served = MunicipalityMultipleChoiceField(
        label=_("Municipalities served"),
        required=False,
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Other municipalities whose residents are welcome."),
    )
    is_accessible = forms.BooleanField(label=_("The venue is accessible"), required=False)
    # --- Cost and registration
    is_free = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)
    registration = forms.ChoiceField(
        label=_("Registration"),
        choices=Registration.choices,
        widget=forms.RadioSelect,
        initial=Registration.DROP_IN,
    )
    registration_info = forms.CharField(
        label=_("Where to register"),
        required=False,
        max_length=300,
        help_text=_("The link, telephone number or e-mail address."),
    )
    # --- Public contact
    contact_email = forms.EmailField(label=_("Public e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Public telephone"), required=False, max_length=40)
    contact_url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    # --- Validity and criteria
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("After this day the listing is no longer shown. Leave empty if it continues."),
    )
    criteria_confirmed = forms.BooleanField(
        label=_("I confirm that the listing meets all the listing criteria above."), required=False
    )
    # --- Images
    image = forms.ImageField(
        label=_("Add an image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(images.IMAGE_FORMATS.values())}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    image_licence = forms.CharField(
        label=_("Licence of the image"), required=False, max_length=100, help_text=_("For example CC BY 4.0.")
    )
    image_credit = forms.CharField(label=_("Photographer or source"), required=False, max_length=200)
    remove_images = forms.ModelMultipleChoiceField(
        label=_("Remove images"),
        required=False,
        queryset=ListingImage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, listing: Listing | None = None, **kwargs: Any) -> None:
        self.listing = listing
        texts: dict[str, dict[str, str]] = {}
        initial = kwargs.setdefault("initial", {})
        if listing is not None:
            data = listing_data_from(listing)
            texts = {name: getattr(data, name) for name in LISTING_TEXTS}
            initial.update(_initial_from(data))
        super().__init__(*args, **kwargs)
        self._setup_multilingual(texts)
        self._mark_languages()
        organisations = policies.organisations_for_listings(user)
        if listing is not None:
            organisations = organisations | Organisation.objects.filter(pk=listing.organisation_id)
        self.fields["organisation"].queryset = organisations.order_by("sort_name", "pk")
        self.fields["co_organisers"].queryset = organisation_policies.organisations_visible_to(user).order_by(
            "sort_name", "pk"
        )
        chosen_themes = initial.get("themes", [])
        chosen_groups = initial.get("target_groups", [])
        self.fields["themes"].queryset = Theme.objects.filter(Q(is_active=True) | Q(pk__in=chosen_themes))
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(
            Q(is_active=True) | Q(pk__in=chosen_groups)
        )
        self.fields["languages"].queryset = Language.objects.order_by("name_fi")
        municipalities = Municipality.objects.current().order_by("name_fi")
        self.fields["municipality"].queryset = municipalities
        self.fields["municipalities_served"].queryset = municipalities
        if listing is not None:
            self.fields["remove_images"].queryset = listing.images.all()
        else:
            del self.fields["remove_images"]

    def _mark_languages(self) -> None:
        """`lang` on the inputs of the UI languages; `dir="auto"` on the others (Arabic, Persian…)."""
        for name in self.multilingual_fields:
            for code in UI_LANGUAGE_LABELS:
                self.fields[f"{name}_{code}"].widget.attrs["lang"] = code
            for index in self._other_indices(name):
                self.fields[f"{name}_other_{index}_text"].widget.attrs["dir"] = "auto"

    # --- Validation

    def clean_image(self) -> Any:
        file = self.cleaned_data.get("image")
        if file:
            try:
                images.image_file_check(file)
            except ApplicationError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return file

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        if not cleaned.get("title"):
            self.add_error("title_fi", _("Give the title in at least one language."))
        if cleaned.get("image"):
            if not cleaned.get("image_alt_text"):
                self.add_error(
                    "image_alt_text_fi",
                    _("Describe the image in at least one language for people who cannot see it."),
                )
            if not (cleaned.get("image_licence") or "").strip():
                self.add_error("image_licence", _("Give the image's licence, for example CC BY 4.0."))
        return cleaned

    # --- Output

    def to_data(self, schedules: list[ScheduleData]) -> ListingData:
        data = self.cleaned_data
        return ListingData(
            section=data["section"],
            organisation=data["organisation"],
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            plain_finnish=data["plain_finnish"].strip(),
            themes=list(data["themes"]),
            target_groups=list(data["target_groups"]),
            co_organisers=[org for org in data["co_organisers"] if org != data["organisation"]],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"].strip(),
            contact_url=data["contact_url"],
            languages=list(data["languages"]),
            has_interpretation=data["has_interpretation"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            gender_restriction=data["gender_restriction"] or GenderRestriction.NONE,
            is_for_families=data["is_for_families"],
            has_childcare=data["has_childcare"],
            is_accessible=data["is_accessible"],
            accessibility_info=data["accessibility_info"],
            is_free=data["is_free"],
            fee_info=data["fee_info"],
            registration=data["registration"],
            registration_info=data["registration_info"].strip(),
            is_online=data["is_online"],
            online_url=data["online_url"],
            place_name=data["place_name"],
            street_address=data["street_address"].strip(),
            postal_code=data["postal_code"],
            municipality=data["municipality"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            municipalities_served=list(data["municipalities_served"]),
            valid_until=data["valid_until"],
            criteria_confirmed=data["criteria_confirmed"],
            schedules=schedules,
        )

    def image_changes(self) -> images.ImageChanges:
        data = self.cleaned_data
        add = None
        if data.get("image"):
            add = images.ImageData(
                file=data["image"],
                alt_text=data["image_alt_text"],
                licence=data["image_licence"],
                credit=data["image_credit"],
            )
        removed = [image.pk for image in data.get("remove_images", [])]
        return images.ImageChanges(add=add, remove=removed)

    # --- Rendering helpers

    def group(self, name: str) -> Any:
        return next(group for group in self.multilingual_groups() if group.name == name)

    def text_groups(self) -> list[Any]:
        return [
            group for group in self.multilingual_groups() if group.name in ("title", "summary", "description")
        ]

    def place_group(self) -> Any:
        return self.group("place_name")

    def fee_group(self) -> Any:
        return self.group("fee_info")

    def accessibility_group(self) -> Any:
        return self.group("accessibility_info")

    def image_alt_group(self) -> Any:
        return self.group("image_alt_text")


def _initial_from(data: ListingData) -> dict[str, Any]:
    """The form's initial values from a listing's current data (multilingual texts excluded)."""
    values: dict[str, Any] = {
        name: getattr(data, name)
        for name in [
            "section",
            "plain_finnish",
            "contact_email",
            "contact_phone",
            "contact_url",
            "has_interpretation",
            "min_age",
            "max_age",
            "gender_restriction",
            "is_for_families",
            "has_childcare",
            "is_accessible",
            "is_free",
            "registration",
            "registration_info",
            "is_online",
            "online_url",
            "street_address",
            "postal_code",
            "latitude",
            "longitude",
            "valid_until",
            "criteria_confirmed",
        ]
    }
    values["organisation"] = data.organisation.pk
    values["municipality"] = data.municipality.pk if data.municipality else None
    for name in ["themes", "target_groups", "co_organisers", "languages", "municipalities_served"]:
        values[name] = [item.pk for item in getattr(data, name)]
    return values


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    name: str
    filled: list[str]
    missing: list[str]


def language_coverage(listing: Listing) -> list[LanguageCoverage]:
    """Per language, which of the listing's texts are written in it (Finnish, Swedish, English first)."""
    labels = {name: str(ListingForm.multilingual_fields[name]["label"]) for name in LISTING_TEXTS}
    codes: list[str] = []
    for name in LISTING_TEXTS:
        for code in getattr(listing, name) or {}:
            if code not in codes:
                codes.append(code)
    order = list(UI_LANGUAGE_LABELS)
    codes.sort(key=lambda code: (order.index(code) if code in order else len(order), code))
    names = {language.code: language.name for language in Language.objects.filter(code__in=codes)}
    rows = []
    for code in codes:
        filled = [labels[name] for name in LISTING_TEXTS if (getattr(listing, name) or {}).get(code)]
        missing = [labels[name] for name in LISTING_TEXTS if not (getattr(listing, name) or {}).get(code)]
        rows.append(LanguageCoverage(code=code, name=names.get(code, code), filled=filled, missing=missing))
    return rows


# --- Schedules -------------------------------------------------------------------------------------


class Repeat:
    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    CUSTOM = "custom"

    CHOICES = [
        (NONE, _("Once (and on the extra dates)")),
        (WEEKLY, _("Every week on the chosen days")),
        (BIWEEKLY, _("Every other week on the chosen days")),
        (MONTHLY, _("Every month on the chosen weekday, e.g. the second Tuesday")),
        (CUSTOM, _("A custom rule (RFC 5545 RRULE)")),
    ]


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
MONTHLY_POSITIONS = [
    ("", _("As on the first date")),
    ("1", pgettext_lazy("weekday of the month", "First")),
    ("2", pgettext_lazy("weekday of the month", "Second")),
    ("3", pgettext_lazy("weekday of the month", "Third")),
    ("4", pgettext_lazy("weekday of the month", "Fourth")),
    ("-1", pgettext_lazy("weekday of the month", "Last")),
]
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _parse_dates(text: str) -> list[str]:
    """One date a line (YYYY-MM-DD or D.M.YYYY) as sorted ISO dates; ValueError for anything else."""
    days = set()
    for line in text.splitlines():
        line = line.strip().rstrip(",")
        if not line:
            continue
        match = _FINNISH_DATE.match(line)
        if match:
            day = datetime.date(int(match[3]), int(match[2]), int(match[1]))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", line):
            day = datetime.date.fromisoformat(line)
        else:
            raise ValueError(line)
        days.add(day)
    return [day.isoformat() for day in sorted(days)]


def _rule_parts(rrule: str) -> dict[str, str]:
    parts = {}
    for item in rrule.upper().split(";"):
        name, _sep, value = item.partition("=")
        if name.strip():
            parts[name.strip()] = value.strip()
    return parts


def schedule_initial(schedule: Schedule) -> dict[str, Any]:
    """A saved schedule as the simple choices of the form, or as a custom rule if it is not one."""
    start = schedule.starts_at.astimezone(HELSINKI)
    values: dict[str, Any] = {
        "start_date": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": schedule.ends_at.astimezone(HELSINKI).time().replace(second=0, microsecond=0),
        "exdates": "\n".join(schedule.exdates),
        "rdates": "\n".join(schedule.rdates),
        "repeat": Repeat.NONE,
    }
    if not schedule.rrule:
        return values
    parts = _rule_parts(schedule.rrule)
    until = parts.pop("UNTIL", "")
    simple_until = re.fullmatch(r"\d{8}", until) is not None or not until
    freq, interval, byday = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1"), parts.pop("BYDAY", "")
    days = [day for day in byday.split(",") if day]
    plain_days = all(day in WEEKDAY_CODES for day in days)
    simple = simple_until and not parts
    if simple and freq == "WEEKLY" and interval in ("1", "2") and plain_days:
        values["repeat"] = Repeat.WEEKLY if interval == "1" else Repeat.BIWEEKLY
        values["weekdays"] = days or [WEEKDAY_CODES[start.weekday()]]
    elif simple and freq == "MONTHLY" and interval == "1" and days:
        positions = {re.sub(r"[A-Z]+$", "", day) for day in days}
        codes = [re.sub(r"^[+-]?\d+", "", day) for day in days]
        if len(positions) == 1 and positions <= {"1", "2", "3", "4", "-1"}:
            values["repeat"] = Repeat.MONTHLY
            values["monthly_position"] = positions.pop()
            values["weekdays"] = codes
        else:
            values["repeat"] = Repeat.CUSTOM
    else:
        values["repeat"] = Repeat.CUSTOM
    if values["repeat"] == Repeat.CUSTOM:
        values["custom_rule"] = schedule.rrule
    elif until:
        values["until"] = datetime.datetime.strptime(until, "%Y%m%d").date()  # noqa: DTZ007 (a date)
    return values


class ScheduleForm(forms.Form):
    """One time and its repetition; an entirely empty block is ignored."""

    start_date = forms.DateField(label=_("First date"), required=False, widget=DateInput())
    start_time = forms.TimeField(
        label=_("Starts at"), required=False, widget=TimeInput(), help_text=_("Helsinki time, e.g. 17:00.")
    )
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=Repeat.CHOICES,
        initial=Repeat.WEEKLY,
        widget=forms.RadioSelect,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you choose none, the weekday of the first date is used."),
    )
    monthly_position = forms.ChoiceField(
        label=_("Which weekday of the month"), required=False, choices=MONTHLY_POSITIONS
    )
    custom_rule = forms.CharField(
        label=_("Custom rule"),
        required=False,
        max_length=500,
        help_text=_("For example FREQ=WEEKLY;BYDAY=TU,TH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    until = forms.DateField(
        label=_("Repeats until"),
        required=False,
        widget=DateInput(),
        help_text=_("The last possible date. Leave empty if it continues."),
    )
    exdates = forms.CharField(
        label=_("Cancelled dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date a line, e.g. 2027-12-24 or 24.12.2027."),
    )
    rdates = forms.CharField(
        label=_("Extra dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dates outside the rule, at the same time. One a line."),
    )

    remove = forms.BooleanField(label=_("Remove this time"), required=False)

    use_required_attribute = False
    entered_fields = ("start_date", "start_time", "end_time", "custom_rule", "until", "exdates", "rdates")

    def __init__(self, *args: Any, schedule: Schedule | None = None, **kwargs: Any) -> None:
        if schedule is not None:
            kwargs["initial"] = schedule_initial(schedule)
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.schedule_data: ScheduleData | None = None

    @property
    def is_blank(self) -> bool:
        if not self.is_bound:
            return self.schedule is None
        if self.data.get(self.add_prefix("remove")):
            return True
        return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.entered_fields)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_blank or self.errors:
            return cleaned
        for name, message in [
            ("start_date", _("Give the first date.")),
            ("start_time", _("Give the start time.")),
            ("end_time", _("Give the end time.")),
        ]:
            if not cleaned.get(name):
                self.add_error(name, message)
        if self.errors:
            return cleaned
        starts_at = datetime.datetime.combine(cleaned["start_date"], cleaned["start_time"], HELSINKI)
        ends_at = datetime.datetime.combine(cleaned["start_date"], cleaned["end_time"], HELSINKI)
        if ends_at <= starts_at:
            self.add_error("end_time", _("The end must be after the start."))
        dates = {}
        for name in ("exdates", "rdates"):
            try:
                dates[name] = _parse_dates(cleaned.get(name) or "")
            except ValueError:
                self.add_error(name, _("Write each date on its own line as YYYY-MM-DD or D.M.YYYY."))
        if self.errors:
            return cleaned
        rrule = self._rrule(cleaned)
        try:
            rrule = recurrence.validate_rrule(rrule, starts_at=starts_at) if rrule else ""
        except recurrence.RecurrenceError as error:
            target = "custom_rule" if cleaned.get("repeat") == Repeat.CUSTOM else "repeat"
            if error.part == "UNTIL" and cleaned.get("until"):
                target = "until"
            self.add_error(target, error.message)
            return cleaned
        self.schedule_data = ScheduleData(
            starts_at=starts_at,
            ends_at=ends_at,
            rrule=rrule,
            exdates=dates["exdates"],
            rdates=dates["rdates"],
        )
        return cleaned

    def _rrule(self, cleaned: dict[str, Any]) -> str:
        repeat = cleaned.get("repeat") or Repeat.WEEKLY
        start_day = WEEKDAY_CODES[cleaned["start_date"].weekday()]
        days = [code for code in WEEKDAY_CODES if code in (cleaned.get("weekdays") or [])] or [start_day]
        until = f";UNTIL={cleaned['until']:%Y%m%d}" if cleaned.get("until") else ""
        if repeat == Repeat.WEEKLY:
            return f"FREQ=WEEKLY;BYDAY={','.join(days)}{until}"
        if repeat == Repeat.BIWEEKLY:
            return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={','.join(days)}{until}"
        if repeat == Repeat.MONTHLY:
            position = cleaned.get("monthly_position") or ""
            if not position:
                week = (cleaned["start_date"].day - 1) // 7 + 1
                position = "-1" if week == 5 else str(week)
            return f"FREQ=MONTHLY;BYDAY={','.join(position + day for day in days)}{until}"
        if repeat == Repeat.CUSTOM:
            rule = (cleaned.get("custom_rule") or "").strip()
            if not rule:
                self.add_error("custom_rule", _("Write the rule or choose another way of repeating."))
                return ""
            parts = _rule_parts(rule.removeprefix("RRULE:").removeprefix("rrule:"))
            if until and "UNTIL" not in parts and "COUNT" not in parts:
                rule = rule.rstrip(";") + until
            return rule
        return ""


@dataclass
class ScheduleBlock:
    number: int
    form: ScheduleForm
    description: str


def schedule_forms(data: Any, listing: Listing | None) -> list[ScheduleForm]:
    """The saved schedules plus one empty block (at most three); as many blocks as were posted."""
    if data is not None:
        count = sum(1 for index in range(MAX_SCHEDULES) if f"schedule-{index}-start_date" in data)
        return [ScheduleForm(data, prefix=f"schedule-{index}") for index in range(max(count, 1))]
    saved = list(listing.schedules.all()) if listing is not None else []
    forms_ = [ScheduleForm(prefix=f"schedule-{index}", schedule=item) for index, item in enumerate(saved)]
    if len(forms_) < MAX_SCHEDULES:
        forms_.append(ScheduleForm(prefix=f"schedule-{len(forms_)}"))
    return forms_


# --- The whole editing page -----------------------------------------------------------------------


class ListingEditor:
    """The listing form, its schedule blocks and images: validated together, saved by the view."""

    def __init__(
        self, data: Any = None, files: Any = None, *, user: Any, listing: Listing | None = None
    ) -> None:
        self.listing = listing
        self.form = ListingForm(data, files, user=user, listing=listing)
        self.schedule_forms = schedule_forms(data, listing)
        self.schedule_errors: list[str] = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *(form.is_valid() for form in self.schedule_forms)])

    def schedules(self) -> list[ScheduleData]:
        return [form.schedule_data for form in self.schedule_forms if form.schedule_data is not None]

    def to_data(self) -> ListingData:
        return self.form.to_data(self.schedules())

    def image_changes(self) -> images.ImageChanges:
        return self.form.image_changes()

    def add_error(self, error: ApplicationError) -> None:
        """A service's refusal: schedule problems above the schedules, the rest on the form."""
        if "schedules" in error.fields:
            self.schedule_errors.extend(error.fields["schedules"])
            error = ApplicationError(
                error.code, error.message, fields={k: v for k, v in error.fields.items() if k != "schedules"}
            )
            if not error.fields:
                return
        add_application_error(self.form, error)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors or self.schedule_errors or any(form.errors for form in self.schedule_forms)
        )

    def blocks(self) -> list[ScheduleBlock]:
        language = (get_language() or "fi")[:2]
        blocks = []
        for index, form in enumerate(self.schedule_forms):
            description = ""
            if form.schedule is not None:
                description = recurrence.describe(
                    rrule=form.schedule.rrule,
                    starts_at=form.schedule.starts_at,
                    ends_at=form.schedule.ends_at,
                    language=language,
                )
            blocks.append(ScheduleBlock(number=index + 1, form=form, description=description))
        return blocks

    def error_items(self) -> list[tuple[str, str]]:
        """(anchor, text) for the error summary: the form's fields, texts by language, the times."""
        items: list[tuple[str, str]] = [("", str(error)) for error in self.form.non_field_errors()]
        items += [("schedules", f"{_('Times')}: {error}") for error in self.schedule_errors]
        groups = {group.name: group.label for group in self.form.multilingual_groups()}
        for field in self.form:
            group = next((name for name in groups if field.name.startswith(f"{name}_")), None)
            label = f"{groups[group]}, {str(field.label).lower()}" if group else str(field.label)
            items += [(field.auto_id, f"{label}: {error}") for error in field.errors]
        for block in self.blocks():
            prefix = _("Time %(number)s") % {"number": block.number}
            for field in block.form:
                items += [
                    (field.auto_id, f"{prefix}, {str(field.label).lower()}: {error}")
                    for error in field.errors
                ]
            items += [
                (f"schedule-{block.number}", f"{prefix}: {error}") for error in block.form.non_field_errors()
            ]
        return items


# --- Mine, moderation, vocabularies, statistics ------------------------------------------------------


class MineFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *ListingStatus.choices]

    def selected_status(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The publisher sees this. Say what to change."),
        error_messages={"required": _("Write the reason so that the publisher knows what to change.")},
    )


class VocabularyForm(forms.Form):
    slug = forms.SlugField(
        label=_("Identifier"),
        max_length=60,
        help_text=_(
            "Used in search addresses: lowercase letters, numbers and hyphens, e.g. language-learning."
        ),
    )
    label_fi = forms.CharField(label=_("Label in Finnish"), max_length=120)
    label_sv = forms.CharField(label=_("Label in Swedish"), max_length=120)
    label_en = forms.CharField(label=_("Label in English"), max_length=120)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("Terms no longer in use stay on the listings that have them but cannot be chosen."),
    )

    def __init__(self, *args: Any, instance: Theme | TargetGroup | None = None, **kwargs: Any) -> None:
        if instance is not None and instance.pk is not None:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("slug", "label_fi", "label_sv", "label_en", "position", "is_active")
            }
        super().__init__(*args, **kwargs)
        self.fields["label_fi"].widget.attrs["lang"] = "fi"
        self.fields["label_sv"].widget.attrs["lang"] = "sv"
        self.fields["label_en"].widget.attrs["lang"] = "en"

    def to_data(self) -> VocabularyData:
        data = self.cleaned_data
        return VocabularyData(
            slug=data["slug"],
            label_fi=data["label_fi"],
            label_sv=data["label_sv"],
            label_en=data["label_en"],
            position=data["position"],
            is_active=data["is_active"],
        )


class StatisticsFilterForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("The whole country"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.current().order_by("name_fi")

    def selected_municipality(self) -> Municipality | None:
        return self.cleaned_data["municipality"] if self.is_valid() else None

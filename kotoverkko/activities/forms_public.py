"""Input of the public side of the directory: the search (a GET form) and the report form.

Every search filter lives in the query string, so a search is a shareable link. A link may carry
values that no longer exist (an abolished municipality, a retired theme) or were mistyped: such
values are left out of the search and named in a visible note, never an error page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.widgets import FastSelectsMixin
from kotoverkko.reference.models import Language, Municipality, Region

from .enums import ListingSection, ReportReason
from .models import TargetGroup, Theme
from .selectors import SORTS, ListingFilters

WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
WEEKDAY_NUMBERS = {code: number for number, (code, _label) in enumerate(WEEKDAYS)}

TIMES_OF_DAY = [
    ("", _("Any time")),
    ("morning", _("Morning (before 12)")),
    ("afternoon", _("Afternoon (12–17)")),
    ("evening", _("Evening (from 17)")),
]
MODES = [
    ("", _("Online or in person")),
    ("in_person", _("In person only")),
    ("online", _("Online only")),
]
SORT_LABELS = {
    "next": _("Next time first"),
    "relevance": _("Best match first (when you search with words)"),
    "newest": _("Newest first"),
}

# The query-string parameters that narrow the results, in the order the page shows them.
FILTER_FIELDS = (
    "q",
    "section",
    "municipality",
    "region",
    "language",
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


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and sets the others aside in `dropped` (shown to the user)."""

    def clean(self, value: Any) -> list[str]:
        values = self.to_python(value)
        self.dropped = [item for item in values if not self.valid_value(item)]
        return [item for item in values if self.valid_value(item)]


def _empty(value: Any) -> bool:
    # Not `value in (…, False)`: that would count the age 0 as empty.
    return value is None or value is False or value in ("", [], ())


# Reference lists change a few times a year and vocabularies rarely: a minute of caching spares
# every search five queries and the sorting of 500 names.
CHOICES_CACHE_SECONDS = 60


def _reference_choices() -> dict[str, list[tuple[str, str]]]:
    """The filters' choice lists in the active language, cached briefly."""
    key = f"activities:search-choices:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    languages = sorted(Language.objects.all(), key=lambda language: language.name)
    choices = {
        "municipalities": [
            (m.code, m.name) for m in sorted(Municipality.objects.current(), key=lambda m: m.name)
        ],
        "regions": sorted(((r.code, r.name) for r in Region.objects.all()), key=lambda item: item[1]),
        "language_names": [(language.code, language.name) for language in languages],
        "languages": [(language.code, _language_label(language)) for language in languages],
        "themes": [(theme.slug, theme.label) for theme in Theme.objects.filter(is_active=True)],
        "target_groups": [(group.slug, group.label) for group in TargetGroup.objects.filter(is_active=True)],
    }
    cache.set(key, choices, CHOICES_CACHE_SECONDS)
    return choices


class ListingSearchForm(FastSelectsMixin, forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("For example: Finnish club, language café, sewing."),
    )
    section = forms.ChoiceField(label=_("Section"), required=False)
    municipality = LenientMultipleChoiceField(
        label=_("Municipality"),
        required=False,
        help_text=_("To choose several, hold down Ctrl (or Cmd on a Mac)."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("Every municipality of the region."),
    )
    language = forms.ChoiceField(label=_("Language of the activity"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    age = forms.IntegerField(
        label=_("Age of the participant"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    day = LenientMultipleChoiceField(
        label=_("Day of the week"),
        required=False,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
    )
    time = forms.ChoiceField(
        label=_("Time of day"), required=False, choices=TIMES_OF_DAY, widget=forms.RadioSelect
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    mode = forms.ChoiceField(
        label=pgettext_lazy("online or in person", "Where"),
        required=False,
        choices=MODES,
        widget=forms.RadioSelect,
    )
    accessible = forms.BooleanField(label=_("Accessible venue"), required=False)
    childcare = forms.BooleanField(label=_("Childcare available"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=[(key, SORT_LABELS[key]) for key in SORTS]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Both sections")), *ListingSection.choices]
        choices = _reference_choices()
        self.fields["municipality"].choices = choices["municipalities"]
        self.fields["region"].choices = [("", _("All regions")), *choices["regions"]]
        self.language_names = dict(choices["language_names"])
        self.fields["language"].choices = [("", _("Any language")), *choices["languages"]]
        self.fields["theme"].choices = [("", _("All themes")), *choices["themes"]]
        self.fields["target_group"].choices = [("", _("All target groups")), *choices["target_groups"]]
        self._region_codes: dict[str, tuple[str, ...]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date is before the start date."))
        return data

    # --- What the view needs -------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()  # cleans; fields with errors are simply missing from cleaned_data
        return self.cleaned_data

    def active_filters(self) -> list[str]:
        """The names of the filters that narrow this search (sorting is not one)."""
        values = self._values()
        return [name for name in FILTER_FIELDS if not _empty(values.get(name))]

    def ignored(self) -> list[str]:
        """Labels of the parameters that were not understood and so left out of the search."""
        if not self.is_bound:
            return []
        self._values()
        labels = [str(self.fields[name].label) for name in self.errors if name in self.fields]
        for name in ("municipality", "day"):
            field = self.fields[name]
            if getattr(field, "dropped", None) and str(field.label) not in labels:
                labels.append(str(field.label))
        return labels

    def value_label(self, name: str) -> str:
        """The value of a filter in use as the user would name it ("" for a checkbox)."""
        value = self._values().get(name)
        choices = {str(key): label for key, label in getattr(self.fields[name], "choices", [])}
        if isinstance(value, bool):
            return ""
        if isinstance(value, list):
            return ", ".join(str(choices.get(item, item)) for item in value)
        if isinstance(value, datetime.date):
            return date_format(value)
        return str(choices.get(str(value), value))

    def filters(self, *, without: str = "") -> ListingFilters:
        """The search as selector filters, leaving out the filter named `without` (if any)."""
        values = {name: value for name, value in self._values().items() if name != without}
        municipalities = set(values.get("municipality") or [])
        if values.get("region"):
            municipalities |= set(self._municipalities_of_region(values["region"]))
        return ListingFilters(
            text=(values.get("q") or "").strip(),
            section=values.get("section") or "",
            municipalities=tuple(sorted(municipalities)),
            language=values.get("language") or "",
            theme=values.get("theme") or "",
            target_group=values.get("target_group") or "",
            age=values.get("age"),
            weekdays=tuple(sorted(WEEKDAY_NUMBERS[day] for day in values.get("day") or [])),
            time_of_day=values.get("time") or "",
            date_from=values.get("from"),
            date_to=values.get("to"),
            free_only=bool(values.get("free")),
            mode=values.get("mode") or "",
            accessible=bool(values.get("accessible")),
            childcare=bool(values.get("childcare")),
            sort=values.get("sort") or "next",
        )

    def _municipalities_of_region(self, region: str) -> tuple[str, ...]:
        if region not in self._region_codes:
            self._region_codes[region] = tuple(
                Municipality.objects.current().filter(region_id=region).values_list("code", flat=True)
            )
        return self._region_codes[region]


# Django form fields cannot be named after Python keywords in a class body; "from" and "to" read
# best in a shared link, so they are added here.
for _name, _label in (("from", _("From")), ("to", _("To"))):
    _field = forms.DateField(
        label=_label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    ListingSearchForm.base_fields[_name] = _field
    ListingSearchForm.declared_fields[_name] = _field


def _language_label(language: Language) -> str:
    native = language.native_name
    if native and native.casefold() != language.name.casefold():
        return f"{language.name} ({native})"
    return language.name


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is the problem?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        help_text=_(
            "Tell what is wrong or what has changed. Do not write personal information, "
            "such as names, telephone numbers or anything about your health."
        ),
    )

"""HTML input of signals: parse and validate only (the services decide and save)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from . import privacy, selectors, workflow
from .enums import SignalStatus, SignalTargetGroup, SignalUrgency, StatisticsPeriod
from .models import ANSWER_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, Signal, SignalTheme
from .services import SignalData

ANY = [("", pgettext_lazy("filter", "All"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _guard(text: str) -> str:
    errors = privacy.personal_data_errors(text)
    if errors:
        raise forms.ValidationError(errors, code="personal_data")
    return text


class SignalForm(forms.Form):
    sender_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Sent on behalf of"), empty_label=None
    )
    theme = forms.ModelChoiceField(queryset=SignalTheme.objects.none(), label=_("Theme"))
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(),
        label=_("Municipality"),
        help_text=_("The signal goes to the organisation responsible for the theme in this municipality."),
    )
    locality = forms.CharField(
        label=_("Area within the municipality"),
        required=False,
        max_length=100,
        help_text=_("For example a district or a village. Optional."),
    )
    target_group = forms.ChoiceField(
        label=_("Whom it concerns"), choices=[("", "—"), *SignalTargetGroup.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=SignalUrgency.choices, initial=SignalUrgency.NORMAL
    )
    description = forms.CharField(
        label=_("Observation"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe what you have noticed, in any language. Do not write names, personal identity "
            "codes, telephone numbers, e-mail addresses or anything else that identifies a person."
        ),
    )

    def __init__(self, *args: Any, user: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender_organisation"].queryset = organisations
        self.fields["theme"].queryset = selectors.active_themes()
        self.fields["municipality"].queryset = Municipality.objects.current()
        first = organisations.first()
        if first is not None and first.home_municipality_id and not self.is_bound:
            self.fields["municipality"].initial = first.home_municipality_id

    def clean_description(self) -> str:
        return _guard(self.cleaned_data["description"].strip())

    def clean_locality(self) -> str:
        return _guard(self.cleaned_data["locality"].strip())

    def to_data(self) -> SignalData:
        data = self.cleaned_data
        return SignalData(
            sender_organisation=data["sender_organisation"],
            theme=data["theme"],
            municipality=data["municipality"],
            target_group=data["target_group"],
            description=data["description"],
            urgency=data["urgency"],
            locality=data["locality"],
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the sender"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The sending organisation sees the answer. Do not write personal data."),
    )

    def clean_answer(self) -> str:
        return _guard(self.cleaned_data["answer"].strip())


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(SignalStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in workflow.manual_targets(signal.status)]


class RerouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Send to organisation"),
        help_text=_("Organisations that work in the signal's municipality."),
    )

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = selectors.routing_candidates(municipality_code=signal.municipality_id)
        self.fields["organisation"].queryset = candidates.exclude(pk=signal.routed_organisation_id)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[*ANY, *SignalStatus.choices])
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=SignalTheme.objects.all(), empty_label=ANY[0][1]
    )
    urgency = forms.ChoiceField(label=_("Urgency"), required=False, choices=[*ANY, *SignalUrgency.choices])
    start = forms.DateField(label=_("Sent from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Sent until"), required=False, widget=DateInput())

    def filters(self) -> selectors.InboxFilters:
        if not self.is_valid():
            return selectors.InboxFilters()
        data = self.cleaned_data
        return selectors.InboxFilters(
            status=data["status"],
            theme=data["theme"],
            urgency=data["urgency"],
            start=data["start"],
            end=data["end"],
        )

    def is_filtered(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


class SentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[*ANY, *SignalStatus.choices])

    def selected_status(self) -> str:
        return self.cleaned_data["status"] if self.is_bound and self.is_valid() else ""


class RoutingForm(forms.Form):
    """One choice per theme: the organisation that handles it, or the municipality itself."""

    def __init__(
        self, *args: Any, municipality_code: str, routes: dict[int, Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        candidates = selectors.routing_candidates(municipality_code=municipality_code)
        self.themes = list(selectors.active_themes())
        for theme in self.themes:
            current = routes.get(theme.pk)
            self.fields[f"theme_{theme.slug}"] = forms.ModelChoiceField(
                queryset=candidates,
                required=False,
                label=theme.label,
                empty_label=_("The municipality itself"),
                initial=current.pk if current else None,
            )

    def routes(self) -> dict[SignalTheme, Organisation | None]:
        return {theme: self.cleaned_data.get(f"theme_{theme.slug}") for theme in self.themes}


class StatisticsForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), choices=())
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    period = forms.ChoiceField(
        label=_("Counted by"), choices=StatisticsPeriod.choices, initial=StatisticsPeriod.MONTH
    )

    def __init__(self, data: Any, *, municipality_codes: set[str] | None) -> None:
        today = timezone.localdate()
        defaults = {
            "start": datetime.date(today.year - 1, today.month, 1).isoformat(),
            "end": today.isoformat(),
            "period": StatisticsPeriod.MONTH,
        }
        municipalities = Municipality.objects.current()
        if municipality_codes is not None:
            municipalities = Municipality.objects.filter(code__in=municipality_codes)
        choices = [(m.code, m.name) for m in municipalities]
        if municipality_codes is None:
            choices = [("", _("All municipalities")), *choices]
        defaults["municipality"] = choices[0][0] if choices else ""
        super().__init__({**defaults, **{k: v for k, v in (data or {}).items() if v}})
        self.allowed_codes = municipality_codes
        self.fields["municipality"].choices = choices
        self.fields["municipality"].required = municipality_codes is not None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data

    def municipality_codes(self) -> list[str] | None:
        code = self.cleaned_data.get("municipality") or ""
        if code:
            return [code]
        return None if self.allowed_codes is None else sorted(self.allowed_codes)

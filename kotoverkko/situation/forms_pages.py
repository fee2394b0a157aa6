"""Forms of the situation pages: choosing an area, and a coordinator's finding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.core.widgets import FastSelectsMixin

from . import selectors
from .findings import FindingData
from .models import Finding, FindingQuestion


class AreaChoiceForm(FastSelectsMixin, forms.Form):
    """A plain GET form: the first area chosen (municipality, region, county) is shown."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    county = forms.ChoiceField(label=_("Wellbeing services county"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = [("", _("– choose –"))]
        self.fields["municipality"].choices = empty + selectors.municipality_choices()
        self.fields["region"].choices = empty + selectors.region_choices()
        self.fields["county"].choices = empty + selectors.county_choices()
        for field in self.fields.values():
            field.widget.choices = field.choices  # type: ignore[attr-defined]

    def area_key(self) -> str:
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        return data.get("municipality") or data.get("region") or data.get("county") or ""


class FindingForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "text": {
            "label": _("Finding"),
            "required": True,
            "textarea": True,
            "help_text": _(
                "Describe groups and needs, never individual people: no names or other personal data."
            ),
        }
    }

    question = forms.ChoiceField(label=_("Guiding question"), choices=FindingQuestion.choices)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("For example a survey, a meeting or a statistic.")
    )
    observed_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When this was observed."),
    )

    def __init__(self, *args: Any, finding: Finding | None = None, **kwargs: Any) -> None:
        if finding is not None:
            kwargs.setdefault(
                "initial",
                {"question": finding.question, "source": finding.source, "observed_on": finding.observed_on},
            )
        super().__init__(*args, **kwargs)
        self._setup_multilingual({"text": finding.text if finding else {}})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_multilingual()
        return data

    def finding_data(self) -> FindingData:
        data = self.cleaned_data
        return FindingData(
            question=data["question"],
            text=data["text"],
            source=data["source"],
            observed_on=data["observed_on"],
        )

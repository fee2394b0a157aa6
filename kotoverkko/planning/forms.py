"""HTML input of the programme pages: validation and cleaning only (writes are in services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.activities import selectors as activity_selectors
from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import LegalProvision, Municipality

from . import indicator_sources, policies
from .enums import IndicatorSource, MeasureStatus, ProgrammeMode, StepStatus
from .models import (
    ChecklistStep,
    ChecklistStepTemplate,
    ChecklistTemplate,
    Goal,
    Indicator,
    Measure,
    Programme,
    ValkoGoal,
)
from .services import AdoptionData, MeasurementData, ProgrammeData, RoundData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organisations() -> Any:
    return Organisation.objects.order_by("sort_name", "pk")


class ProgrammeForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Title"), "required": True},
        "summary": {"label": _("Summary"), "textarea": True},
    }
    owner = forms.ModelChoiceField(label=_("Responsible municipality"), queryset=Organisation.objects.none())
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Other municipalities involved"),
        queryset=Municipality.objects.current(),
        required=False,
        help_text=_("For a joint programme of several municipalities."),
    )
    mode = forms.ChoiceField(label=_("Form of the programme"), choices=ProgrammeMode.choices)
    starts_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    ends_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, programme: Programme | None = None, **kwargs: Any) -> None:
        if programme is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "owner": programme.owner_id,
                "municipalities": list(programme.municipalities.values_list("code", flat=True)),
                "mode": programme.mode,
                "starts_year": programme.starts_year,
                "ends_year": programme.ends_year,
            }
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = policies.owner_choices(user)
        if programme is not None:
            self.fields["owner"].disabled = True
            self.fields["owner"].queryset = Organisation.objects.filter(pk=programme.owner_id)
        self._setup_multilingual(
            {"title": programme.title, "summary": programme.summary} if programme else {}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data

    def programme_data(self) -> ProgrammeData:
        data = self.cleaned_data
        return ProgrammeData(
            title=data["title"],
            summary=data["summary"],
            owner=data["owner"],
            municipalities=list(data["municipalities"]),
            mode=data["mode"],
            starts_year=data["starts_year"],
            ends_year=data["ends_year"],
        )


class AdoptionForm(forms.Form):
    adopted_by = forms.CharField(
        label=_("Adopted by"), max_length=200, help_text=_("For example the municipal council.")
    )
    adopted_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    adoption_minute = forms.CharField(
        label=_("Minute section"), max_length=40, help_text=_("For example § 45.")
    )
    decision_url = forms.URLField(label=_("Link to the decision"), required=False)

    def adoption_data(self) -> AdoptionData:
        return AdoptionData(**self.cleaned_data)


class StepForm(forms.ModelForm):
    class Meta:
        model = ChecklistStep
        fields = ["status", "owner_organisation", "due_on", "notes"]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = StepStatus.choices
        self.fields["owner_organisation"].queryset = _organisations()


class GoalForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Goal"), "required": True},
        "description": {"label": _("Description"), "textarea": True},
    }
    valko_goals = forms.ModelMultipleChoiceField(
        label=_("VALKO 2024–2027 goals and measure areas"),
        queryset=ValkoGoal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    strategy_goal = forms.CharField(label=_("Goal of the municipal strategy"), max_length=300, required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, goal: Goal | None = None, **kwargs: Any) -> None:
        if goal is not None and not kwargs.get("data"):
            kwargs["initial"] = {
                "valko_goals": list(goal.valko_goals.values_list("pk", flat=True)),
                "strategy_goal": goal.strategy_goal,
                "position": goal.position,
            }
        super().__init__(*args, **kwargs)
        self._setup_multilingual({"title": goal.title, "description": goal.description} if goal else {})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "valko_goals": list(data["valko_goals"]),
            "strategy_goal": data["strategy_goal"],
            "position": data["position"],
        }


class MeasureForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Measure"), "required": True},
        "description": {"label": _("Description"), "textarea": True},
    }
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=Organisation.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    resources = forms.CharField(
        label=_("Resources"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    budget_eur = forms.DecimalField(
        label=_("Budget (€)"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    listings = forms.ModelMultipleChoiceField(
        label=_("Directory listings that carry it out"),
        queryset=Measure.listings.field.related_model.objects.none(),
        required=False,
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    PLAIN = [
        "goal",
        "responsible_organisation",
        "starts_on",
        "ends_on",
        "resources",
        "budget_eur",
        "status",
        "position",
    ]

    def __init__(
        self, *args: Any, programme: Programme, measure: Measure | None = None, **kwargs: Any
    ) -> None:
        if measure is not None and not kwargs.get("data"):
            kwargs["initial"] = {name: getattr(measure, name) for name in self.PLAIN} | {
                "partners": list(measure.partners.values_list("pk", flat=True)),
                "listings": list(measure.listings.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = programme.goals.all()
        self.fields["responsible_organisation"].queryset = _organisations()
        self.fields["partners"].queryset = _organisations()
        current = measure.listings.values("pk") if measure is not None else []
        listings = activity_selectors.listings_public().order_by("sort_title", "pk")
        if measure is not None:
            listings = (
                listings | Measure.listings.field.related_model.objects.filter(pk__in=current)
            ).distinct()
        self.fields["listings"].queryset = listings
        self._setup_multilingual(
            {"title": measure.title, "description": measure.description} if measure else {}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.PLAIN} | {
            "title": data["title"],
            "description": data["description"],
            "partners": list(data["partners"]),
            "listings": list(data["listings"]),
        }


class IndicatorForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {"name": {"label": _("Name"), "required": True}}
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("For example %, persons or listings.")
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Indicator._meta.get_field("direction").choices
    )
    source_kind = forms.ChoiceField(label=_("Where the values come from"), choices=IndicatorSource.choices)
    source_description = forms.CharField(label=_("Source description"), max_length=300, required=False)
    table_id = forms.ChoiceField(label=_("Situation-picture dataset"), required=False)
    area = forms.CharField(
        label=_("Area of the dataset"),
        max_length=60,
        required=False,
        help_text=_("A municipality code, for example 091."),
    )
    fixed = forms.CharField(
        label=_("Fixed dimension values"),
        max_length=300,
        required=False,
        help_text=_("For example language=02 (comma-separated role=code pairs)."),
    )
    metric = forms.ChoiceField(label=_("Directory figure"), required=False)
    municipality = forms.CharField(
        label=_("Municipality code of the directory figure"), max_length=3, required=False
    )
    language = forms.CharField(label=_("Language code of the directory figure"), max_length=3, required=False)
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16, decimal_places=4)
    baseline_on = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=16, decimal_places=4)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    PLAIN = [
        "goal",
        "unit",
        "direction",
        "source_kind",
        "source_description",
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_on",
        "position",
    ]

    def __init__(
        self, *args: Any, programme: Programme, indicator: Indicator | None = None, **kwargs: Any
    ) -> None:
        if indicator is not None and not kwargs.get("data"):
            definition = indicator.definition or {}
            fixed = ", ".join(f"{k}={v}" for k, v in (definition.get("fixed") or {}).items())
            kwargs["initial"] = {name: getattr(indicator, name) for name in self.PLAIN} | {
                "table_id": definition.get("table_id", ""),
                "area": definition.get("area", ""),
                "fixed": fixed,
                "metric": definition.get("metric", ""),
                "municipality": definition.get("municipality", ""),
                "language": definition.get("language", ""),
            }
        elif not kwargs.get("data"):
            code = programme.owner.home_municipality_id
            kwargs["initial"] = {"area": code, "municipality": code}
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = programme.goals.all()
        self.fields["table_id"].choices = [("", "—"), *indicator_sources.dataset_choices()]
        self.fields["metric"].choices = [
            ("", "—"),
            *[(k, str(v)) for k, v in indicator_sources.DIRECTORY_METRICS.items()],
        ]
        self._setup_multilingual({"name": indicator.name} if indicator else {})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        fixed: dict[str, str] = {}
        for pair in (data.get("fixed") or "").split(","):
            if not pair.strip():
                continue
            role, sep, code = pair.partition("=")
            if not sep or not role.strip() or not code.strip():
                self.add_error("fixed", _("Write role=code pairs separated by commas."))
                break
            fixed[role.strip()] = code.strip()
        kind = data.get("source_kind")
        if kind == IndicatorSource.SITUATION:
            if not data.get("table_id"):
                self.add_error("table_id", _("Choose the dataset."))
            data["definition"] = {
                "table_id": data.get("table_id"),
                "area": (data.get("area") or "").strip(),
                "fixed": fixed,
            }
        elif kind == IndicatorSource.DIRECTORY:
            if not data.get("metric"):
                self.add_error("metric", _("Choose the figure."))
            data["definition"] = {
                "metric": data.get("metric"),
                "municipality": (data.get("municipality") or "").strip(),
                **({"language": data["language"].strip()} if data.get("language") else {}),
            }
        else:
            data["definition"] = {}
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.PLAIN} | {
            "name": data["name"],
            "definition": data["definition"],
        }


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def measurement_data(self) -> MeasurementData:
        return MeasurementData(**self.cleaned_data)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example Monitoring 2025."))
    period_end = forms.DateField(label=_("Reporting period ends"), widget=DATE)
    due_on = forms.DateField(label=_("Reports due"), required=False, widget=DATE)

    def round_data(self) -> RoundData:
        return RoundData(**self.cleaned_data)


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and what is next. The comment is published; do not name people."),
    )


class CompileForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the round"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TemplateForm(MultilingualFormMixin, forms.ModelForm):
    multilingual_fields = {"name": {"label": _("Name"), "required": True}}

    class Meta:
        model = ChecklistTemplate
        fields = ["version", "source_url", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_multilingual({"name": self.instance.name})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ["name", *self.Meta.fields]}


class TemplateStepForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Title"), "required": True},
        "guidance": {"label": _("Guidance"), "textarea": True},
    }
    key = forms.SlugField(label=_("Identifier"), max_length=60)
    questions_fi = forms.CharField(
        label=_("Guiding questions in Finnish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line."),
    )
    questions_sv = forms.CharField(
        label=_("Guiding questions in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line."),
    )
    questions_en = forms.CharField(
        label=_("Guiding questions in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line."),
    )
    link_target = forms.ChoiceField(
        label=_("Done in"),
        choices=ChecklistStepTemplate._meta.get_field("link_target").choices,
        required=False,
    )
    legal_provisions = forms.ModelMultipleChoiceField(
        label=_("Legal provisions"),
        queryset=LegalProvision.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999)

    LANGUAGES = ("fi", "sv", "en")

    def __init__(self, *args: Any, step: ChecklistStepTemplate | None = None, **kwargs: Any) -> None:
        if step is not None and not kwargs.get("data"):
            questions = step.guiding_questions or []
            kwargs["initial"] = {
                "key": step.key,
                "link_target": step.link_target,
                "legal_provisions": list(step.legal_provisions.values_list("pk", flat=True)),
                "position": step.position,
            } | {
                f"questions_{code}": "\n".join(q.get(code, "") for q in questions) for code in self.LANGUAGES
            }
        super().__init__(*args, **kwargs)
        if step is not None:
            self.fields["key"].disabled = True
        self._setup_multilingual({"title": step.title, "guidance": step.guidance} if step else {})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        lines = {
            code: [line.strip() for line in (data.get(f"questions_{code}") or "").splitlines()]
            for code in self.LANGUAGES
        }
        count = max((len(v) for v in lines.values()), default=0)
        questions = []
        for index in range(count):
            question = {
                code: lines[code][index]
                for code in self.LANGUAGES
                if index < len(lines[code]) and lines[code][index]
            }
            if question:
                questions.append(question)
        data["guiding_questions"] = questions
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "guidance": data["guidance"],
            "guiding_questions": data["guiding_questions"],
            "link_target": data["link_target"] or "",
            "legal_provisions": list(data["legal_provisions"]),
            "position": data["position"],
        }

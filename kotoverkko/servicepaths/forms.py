"""HTML input of service paths: parse and validate only; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.forms import MunicipalityChoiceField, MunicipalityMultipleChoiceField
from kotoverkko.reference.models import LegalProvision, Municipality

from . import path_templates
from .enums import DeadlineAnchor, DeadlineUnit, StepKind
from .models import ClientGroup, ServicePath, ServiceStep
from .services import ClientGroupData, PathData, StepData


class ClientGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ClientGroup) -> str:
        return obj.display_name


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class ProvisionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: LegalProvision) -> str:
        until = obj.valid_to.isoformat() if obj.valid_to else "…"
        return f"{obj} – {obj.title} ({obj.valid_from.isoformat()}–{until})"


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceStep) -> str:
        return obj.display_title


class PathCreateForm(forms.Form):
    municipality = MunicipalityChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    client_group = ClientGroupChoiceField(label=_("Client group"), queryset=ClientGroup.objects.none())
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[("template", _("A template built from the law")), ("empty", _("An empty path"))],
        initial="template",
        widget=forms.RadioSelect,
        help_text=_(
            "The template adds the steps the law sets for the client group, with their legal basis and "
            "deadlines, and names the organisations of your area where it finds them."
        ),
    )

    def __init__(self, *args: Any, municipalities: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["client_group"].queryset = groups
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()

    def template_key(self, *, on: Any) -> str:
        if self.cleaned_data["start"] != "template":
            return ""
        templates = path_templates.templates_for(self.cleaned_data["client_group"].slug, on=on)
        return templates[0].key if templates else ""


class PathForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Title"), "max_length": 200, "help_text": _("Empty: the client group's name.")},
        "description": {"label": _("Description"), "textarea": True},
    }

    municipalities = MunicipalityMultipleChoiceField(
        label=_("Other municipalities covered"),
        required=False,
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("For a joint path of several municipalities."),
    )
    reference_date = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The legal bases are checked against this date; empty means today."),
    )
    is_public = forms.BooleanField(
        label=_("Publish the path to everyone"),
        required=False,
        help_text=_("Unpublished paths are seen only by members of organisations working in the area."),
    )

    def __init__(self, *args: Any, path: ServicePath, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_multilingual({"title": path.title, "description": path.description})
        self.fields["municipalities"].queryset = Municipality.objects.current().exclude(
            code=path.municipality_id
        )
        if not self.is_bound:
            self.fields["municipalities"].initial = [m.pk for m in path.municipalities.all()]
            self.fields["reference_date"].initial = path.reference_date
            self.fields["is_public"].initial = path.is_public

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data

    def to_data(self) -> PathData:
        data = self.cleaned_data
        return PathData(
            title=data["title"],
            description=data["description"],
            reference_date=data["reference_date"],
            is_public=data["is_public"],
            municipalities=list(data["municipalities"]),
        )


class StepDetailsForm(MultilingualFormMixin, forms.Form):
    """What the responsible organisation may write about its own step."""

    multilingual_fields = {
        "description": {"label": _("Description"), "textarea": True},
        "contact_point": {
            "label": _("Contact point"),
            "textarea": True,
            "max_length": 1000,
            "help_text": _(
                "The service's public contact: service address, phone line or web page — never a person."
            ),
        },
    }

    def __init__(self, *args: Any, step: ServiceStep | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = {name: getattr(step, name) for name in self.multilingual_fields} if step else {}
        self._setup_multilingual(values)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data


class StepForm(StepDetailsForm):
    """Everything about a step, for the path's editors."""

    multilingual_fields = {
        "title": {"label": _("Title"), "required": True, "max_length": 200},
        **StepDetailsForm.multilingual_fields,
    }

    kind = forms.ChoiceField(label=_("Phase"), choices=StepKind.choices)
    responsible = OrganisationChoiceField(
        label=_("Responsible organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Not agreed yet (a gap)"),
    )
    partners = OrganisationMultipleChoiceField(
        label=_("Partners"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    is_interface_marked = forms.BooleanField(
        label=_("Mark as a municipality–wellbeing county interface step"),
        required=False,
        help_text=_(
            "A step is shown as an interface step anyway when a municipality and a wellbeing services "
            "county are the responsible organisation and a partner."
        ),
    )
    legal_provisions = ProvisionMultipleChoiceField(
        label=_("Legal basis"),
        required=False,
        queryset=LegalProvision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_amount = forms.IntegerField(
        label=_("Deadline"),
        required=False,
        min_value=0,
        max_value=600,
        help_text=_("A number; 0 means without delay. Leave empty if the step has no deadline."),
    )
    deadline_unit = forms.ChoiceField(
        label=_("Unit"), choices=DeadlineUnit.choices, initial=DeadlineUnit.MONTHS
    )
    deadline_anchor = forms.ChoiceField(label=_("Counted from"), required=False)
    deadline_anchor_step = StepChoiceField(
        label=_("Step the deadline is counted from"),
        required=False,
        queryset=ServiceStep.objects.none(),
        help_text=_("Only when the deadline is counted from another step."),
    )

    field_order = ["kind"]

    def __init__(
        self,
        *args: Any,
        path: ServicePath,
        organisations: Any,
        provisions: Any,
        step: ServiceStep | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, step=step, **kwargs)
        self.fields["responsible"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["legal_provisions"].queryset = provisions
        self.fields["deadline_anchor"].choices = [("", _("No deadline")), *DeadlineAnchor.choices]
        anchors = path.steps.all() if step is None else path.steps.exclude(pk=step.pk)
        self.fields["deadline_anchor_step"].queryset = anchors.order_by("position", "pk")
        if step is not None and not self.is_bound:
            for name in (
                "kind",
                "responsible",
                "is_interface_marked",
                "deadline_amount",
                "deadline_unit",
                "deadline_anchor",
                "deadline_anchor_step",
            ):
                self.fields[name].initial = getattr(step, name)
            self.fields["partners"].initial = [o.pk for o in step.partners.all()]
            self.fields["legal_provisions"].initial = [p.pk for p in step.legal_provisions.all()]

    def to_data(self) -> StepData:
        data = self.cleaned_data
        return StepData(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            contact_point=data["contact_point"],
            responsible=data["responsible"],
            partners=list(data["partners"]),
            is_interface_marked=data["is_interface_marked"],
            legal_provisions=list(data["legal_provisions"]),
            deadline_amount=data["deadline_amount"],
            deadline_unit=data["deadline_unit"],
            deadline_anchor=data["deadline_anchor"],
            deadline_anchor_step=data["deadline_anchor_step"],
        )


class ClientGroupForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "name": {"label": _("Name"), "required": True, "max_length": 200},
        "description": {"label": _("Description"), "textarea": True},
    }

    position = forms.IntegerField(label=_("Position in lists"), min_value=0, max_value=1000)
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("Groups not in use are left out of new paths and tables."),
    )

    def __init__(self, *args: Any, group: ClientGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_multilingual({"name": group.name, "description": group.description})
        if not self.is_bound:
            self.fields["position"].initial = group.position
            self.fields["is_active"].initial = group.is_active

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_multilingual()
        return data

    def to_data(self) -> ClientGroupData:
        data = self.cleaned_data
        return ClientGroupData(
            name=data["name"],
            description=data["description"],
            position=data["position"],
            is_active=data["is_active"],
        )

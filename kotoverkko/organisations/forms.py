from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.core.widgets import FastSelectsMixin
from kotoverkko.reference.forms import MunicipalityChoiceField
from kotoverkko.reference.models import Language, Municipality

from .errors import OrganisationErrorCode
from .models import Organisation, OrganisationKind
from .selectors import OrganisationFilters
from .services import OrganisationData
from .validators import normalise_business_id


class OrganisationSearchForm(FastSelectsMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All types")), *OrganisationKind.choices]
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *((m.code, m.name) for m in Municipality.objects.current().order_by("name_fi")),
        ]

    def filters(self) -> OrganisationFilters:
        if not self.is_valid():
            return OrganisationFilters()
        data = self.cleaned_data
        return OrganisationFilters(
            text=data["q"].strip(), kind=data["kind"], municipality=data["municipality"]
        )


class OrganisationForm(FastSelectsMixin, MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "name": {"label": _("Name"), "required": True, "max_length": 200},
        "description": {"label": _("Description"), "textarea": True},
    }

    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    business_id = forms.CharField(
        label=_("Business ID"),
        required=False,
        max_length=12,
        help_text=_("For example 0101263-6."),
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("If this organisation is a unit of another one, choose that organisation."),
    )
    home_municipality = MunicipalityChoiceField(
        label=_("Home municipality"), required=False, queryset=Municipality.objects.none()
    )
    municipalities_served = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"),
        required=False,
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    languages_served = forms.ModelMultipleChoiceField(
        label=_("Languages of service"),
        required=False,
        queryset=Language.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    email = forms.EmailField(label=_("Public e-mail"), required=False)
    phone = forms.CharField(label=_("Public telephone"), required=False, max_length=40)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    street_address = forms.CharField(label=_("Street address"), required=False, max_length=200)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        required=False,
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A postal code has five digits.")},
    )
    post_office = forms.CharField(label=_("Post office"), required=False, max_length=100)
    is_public = forms.BooleanField(label=_("Show on public pages"), required=False, initial=True)

    def __init__(self, *args: Any, parents: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.update(
                {
                    "kind": instance.kind,
                    "business_id": instance.business_id,
                    "parent": instance.parent_id,
                    "home_municipality": instance.home_municipality_id,
                    "municipalities_served": [m.pk for m in instance.municipalities_served.all()],
                    "languages_served": [lang.pk for lang in instance.languages_served.all()],
                    "email": instance.email,
                    "phone": instance.phone,
                    "website": instance.website,
                    "street_address": instance.street_address,
                    "postal_code": instance.postal_code,
                    "post_office": instance.post_office,
                    "is_public": instance.is_public,
                }
            )
        super().__init__(*args, **kwargs)
        self._setup_multilingual(
            {"name": instance.name, "description": instance.description} if instance is not None else {}
        )
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents
        municipalities = Municipality.objects.current().order_by("name_fi")
        self.fields["home_municipality"].queryset = municipalities
        self.fields["municipalities_served"].queryset = municipalities
        self.fields["languages_served"].queryset = Language.objects.order_by("name_fi")
        self.order_fields(
            [name for name in self.fields if name.startswith(("name_", "description_"))]
            + [name for name in self.fields if not name.startswith(("name_", "description_"))]
        )

    def clean_business_id(self) -> str:
        try:
            return normalise_business_id(self.cleaned_data["business_id"])
        except ApplicationError as error:
            raise forms.ValidationError(
                error.message, code=OrganisationErrorCode.INVALID_BUSINESS_ID
            ) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned

    def to_data(self) -> OrganisationData:
        data = self.cleaned_data
        return OrganisationData(
            name=data["name"],
            kind=data["kind"],
            business_id=data["business_id"],
            parent=data["parent"],
            description=data["description"],
            home_municipality=data["home_municipality"],
            municipalities_served=list(data["municipalities_served"]),
            languages_served=list(data["languages_served"]),
            email=data["email"],
            phone=data["phone"],
            website=data["website"],
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            post_office=data["post_office"],
            is_public=data["is_public"],
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Type of change"),
        required=False,
        choices=[
            ("", _("All changes")),
            ("organisation.", _("Organisations")),
            ("membership.", _("Memberships")),
            ("invitation.", _("Invitations")),
            ("user.", _("Accounts")),
        ],
    )

    def selected_action(self) -> str:
        return self.cleaned_data["action"] if self.is_valid() else ""

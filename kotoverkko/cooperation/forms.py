"""HTML input of the cooperation pages: parse and validate only; services do the work.

Rows (agenda items, action items, parties, places per year) are Django formsets. "Add a row" is a
submit button that re-renders the form with one more empty row, so it works without JavaScript;
htmx swaps only the rows.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.core.widgets import FastSelectsMixin
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.forms import MunicipalityMultipleChoiceField as MunicipalitiesField
from kotoverkko.reference.models import Municipality

from . import selectors, services
from .enums import (
    ActionItemStatus,
    AgreementKind,
    AgreementStatus,
    Attendance,
    BodyKind,
    MeetingStatus,
    MemberRole,
)
from .models import Agreement, BodyMember, CooperationBody, Meeting

HELSINKI = ZoneInfo("Europe/Helsinki")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def with_added_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with one more (empty) form in the formset `prefix`."""
    grown = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(grown.get(key, "0"))
    except ValueError:
        total = 0
    grown[key] = str(min(total + 1, 50))
    return grown


def _organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("sort_name", "pk")


class OrganisationField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django's own "- Select an option -" has no Finnish or Swedish translation.
        kwargs.setdefault("empty_label", _("Choose an organisation"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


# --- Filters --------------------------------------------------------------------------------------


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All types")), *BodyKind.choices]

    def selected_kind(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


class AgreementFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All types")), *AgreementKind.choices]

    def selected_kind(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


class ActionItemFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            ("open", _("Open or in progress")),
            *ActionItemStatus.choices,
        ]

    def selected_status(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


# --- Bodies and members ---------------------------------------------------------------------------


class BodyForm(FastSelectsMixin, MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "name": {"label": _("Name"), "required": True, "max_length": 200},
        "description": {"label": _("Description"), "textarea": True},
    }

    kind = forms.ChoiceField(label=_("Type"), choices=BodyKind.choices)
    owner = OrganisationField(label=_("Run by"), queryset=Organisation.objects.none())
    municipalities = MunicipalitiesField(
        label=_("Municipalities covered"),
        required=False,
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("For a joint body of several municipalities, choose them all."),
    )
    term_starts_on = forms.DateField(label=_("Term starts"), required=False, widget=DateInput())
    term_ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DateInput())
    is_public = forms.BooleanField(label=_("Show the body on public pages"), required=False, initial=True)
    minutes_public = forms.BooleanField(
        label=_("Publish the minutes and decisions"),
        required=False,
        help_text=_("Agendas, attachments and the persons in the seats are never public."),
    )

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[Organisation],
        instance: CooperationBody | None = None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.update(
                {
                    "kind": instance.kind,
                    "owner": instance.owner_id,
                    "municipalities": [m.pk for m in instance.municipalities.all()],
                    "term_starts_on": instance.term_starts_on,
                    "term_ends_on": instance.term_ends_on,
                    "is_public": instance.is_public,
                    "minutes_public": instance.minutes_public,
                }
            )
        super().__init__(*args, **kwargs)
        self._setup_multilingual(
            {"name": instance.name, "description": instance.description} if instance is not None else {}
        )
        self.fields["owner"].queryset = owners.order_by("sort_name")
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by("name_fi")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned

    def to_data(self) -> services.BodyData:
        data = self.cleaned_data
        return services.BodyData(
            name=data["name"],
            description=data["description"],
            kind=data["kind"],
            owner=data["owner"],
            municipalities=list(data["municipalities"]),
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
            is_public=data["is_public"],
            minutes_public=data["minutes_public"],
        )


class MemberForm(FastSelectsMixin, forms.Form):
    organisation = OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    person_name = forms.CharField(
        label=_("Person's name"),
        required=False,
        max_length=150,
        help_text=_("Optional. Seen only by the body's members, never on public pages."),
    )
    person_email = forms.EmailField(
        label=_("Person's e-mail address"),
        required=False,
        help_text=_("If the person has an account in the organisation, the seat is linked to it."),
    )

    def __init__(self, *args: Any, instance: BodyMember | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "organisation": instance.organisation_id,
                    "role": instance.role,
                    "person_name": instance.user.full_name if instance.user_id else instance.person_name,
                    "person_email": instance.user.email if instance.user_id else instance.person_email,
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisation_choices()

    def to_data(self) -> services.MemberData:
        data = self.cleaned_data
        return services.MemberData(
            organisation=data["organisation"],
            role=data["role"],
            person_name=data["person_name"],
            person_email=data["person_email"],
        )


# --- Meetings -------------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("For example 2/2026.")
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to the body's members."),
    )
    # Offered only when editing: a new meeting is always planned.
    status = forms.ChoiceField(
        label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED, required=False
    )

    def __init__(self, *args: Any, instance: Meeting | None = None, **kwargs: Any) -> None:
        if instance is not None:
            starts, ends = instance.starts_at.astimezone(HELSINKI), instance.ends_at.astimezone(HELSINKI)
            kwargs.setdefault("initial", {}).update(
                {
                    "title": instance.title,
                    "date": starts.date(),
                    "start_time": starts.time(),
                    "end_time": ends.time(),
                    "place": instance.place,
                    "online_url": instance.online_url,
                    "status": instance.status,
                }
            )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("place") and not cleaned.get("online_url") and not self.errors:
            self.add_error("place", _("Give the place or the online meeting link."))
        if (
            cleaned.get("start_time")
            and cleaned.get("end_time")
            and cleaned["end_time"] <= cleaned["start_time"]
        ):
            self.add_error("end_time", _("The meeting must end after it starts."))
        return cleaned

    def to_data(self) -> services.MeetingData:
        data = self.cleaned_data

        def aware(time: datetime.time) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(data["date"], time), HELSINKI)

        return services.MeetingData(
            title=data["title"],
            starts_at=aware(data["start_time"]),
            ends_at=aware(data["end_time"]),
            place=data["place"],
            online_url=data["online_url"],
            status=data["status"] or MeetingStatus.PLANNED,
        )


class AgendaRowForm(forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput())
    title = forms.CharField(label=_("Agenda item"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    remove = forms.BooleanField(label=_("Remove this item"), required=False)


AgendaFormSet = forms.formset_factory(AgendaRowForm, extra=0, max_num=50, absolute_max=50)


def agenda_formset(data: QueryDict | None, meeting: Meeting | None) -> forms.BaseFormSet:
    initial = [
        {"item_id": item.pk, "title": item.title, "description": item.description}
        for item in (meeting.agenda_items.all() if meeting is not None else [])
    ]
    formset = AgendaFormSet(data, initial=initial, prefix="agenda")
    if data is None:
        formset.extra = 1 if initial else 3
    return formset


def agenda_rows(formset: forms.BaseFormSet) -> list[services.AgendaRow]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("remove") or not (data.get("title") or "").strip():
            continue
        rows.append(
            services.AgendaRow(title=data["title"], description=data["description"], item_id=data["item_id"])
        )
    return rows


class RecordForm(forms.Form):
    """Attendance per seat, minutes and a decision per agenda item."""

    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        members: list[BodyMember],
        attendance: dict[int, str],
        **kwargs: Any,
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("minutes", meeting.minutes)
        super().__init__(*args, **kwargs)
        self.members = members
        self.agenda = list(meeting.agenda_items.all())
        for member in members:
            name = f"attendance_{member.pk}"
            person = member.person_display
            label = f"{member.organisation.display_name} – {member.get_role_display()}"
            self.fields[name] = forms.ChoiceField(
                label=f"{label} ({person})" if person else label,
                choices=[("", _("Not recorded")), *Attendance.choices],
                required=False,
                initial=attendance.get(member.pk, ""),
            )
        for item in self.agenda:
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=str(item),
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=item.decision,
            )

    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[f"attendance_{member.pk}"] for member in self.members]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self[f"decision_{item.pk}"] for item in self.agenda]

    def attendance(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"attendance_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"attendance_{member.pk}")
        }

    def decisions(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"decision_{item.pk}", "") for item in self.agenda}


class ActionItemRowForm(FastSelectsMixin, forms.Form):
    title = forms.CharField(label=_("Action"), required=False, max_length=300)
    owner = OrganisationField(
        label=_("Responsible organisation"), required=False, queryset=Organisation.objects.none()
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("Details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["owner"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("title") or "").strip():
            if not cleaned.get("owner"):
                self.add_error("owner", _("Choose the organisation responsible for the action."))
            if not cleaned.get("due_on"):
                self.add_error("due_on", _("Give the due date."))
        return cleaned


ActionItemFormSet = forms.formset_factory(ActionItemRowForm, extra=1, max_num=50, absolute_max=50)


def body_organisations(body: CooperationBody) -> QuerySet[Organisation]:
    return selectors.body_organisations(body)


def action_item_formset(data: QueryDict | None, body: CooperationBody) -> forms.BaseFormSet:
    return ActionItemFormSet(data, prefix="actions", form_kwargs={"organisations": body_organisations(body)})


def action_item_rows(formset: forms.BaseFormSet) -> list[services.ActionItemData]:
    return [
        services.ActionItemData(
            title=form.cleaned_data["title"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            description=form.cleaned_data["description"],
        )
        for form in formset.forms
        if (form.cleaned_data.get("title") or "").strip()
    ]


class ActionItemForm(FastSelectsMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = OrganisationField(label=_("Responsible organisation"), queryset=Organisation.objects.none())
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItemStatus.choices, initial=ActionItemStatus.OPEN
    )
    description = forms.CharField(
        label=_("Details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, body: CooperationBody, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "title": instance.title,
                    "owner": instance.owner_id,
                    "due_on": instance.due_on,
                    "status": instance.status,
                    "description": instance.description,
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = body_organisations(body)

    def to_data(self) -> services.ActionItemData:
        data = self.cleaned_data
        return services.ActionItemData(
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            description=data["description"],
            status=data["status"],
        )


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)


class FileForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG; at most 10 MB."),
    )


# --- Agreements -----------------------------------------------------------------------------------


class AgreementForm(FastSelectsMixin, MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": _("Title"), "required": True, "max_length": 200},
        "summary": {"label": _("Summary"), "textarea": True},
    }

    kind = forms.ChoiceField(label=_("Type"), choices=AgreementKind.choices)
    owner = OrganisationField(label=_("Managed by"), queryset=Organisation.objects.none())
    status = forms.ChoiceField(
        label=_("Status"), choices=AgreementStatus.choices, initial=AgreementStatus.IN_FORCE
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if it is valid until further notice."),
    )
    review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DateInput(),
        help_text=_("Placement agreements are reviewed every year."),
    )
    county_consulted = forms.BooleanField(
        label=_("The wellbeing services county was consulted"),
        required=False,
        help_text=_("Required before a placement agreement is made or revised."),
    )
    county_consulted_on = forms.DateField(label=_("County consulted on"), required=False, widget=DateInput())
    is_public = forms.BooleanField(
        label=_("Show a summary on public pages"),
        required=False,
        help_text=_("The type, parties, validity and places. Documents are never public."),
    )

    def __init__(
        self, *args: Any, owners: QuerySet[Organisation], instance: Agreement | None = None, **kwargs: Any
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.update(
                {
                    name: getattr(instance, name)
                    for name in (
                        "kind",
                        "status",
                        "valid_from",
                        "valid_until",
                        "review_on",
                        "county_consulted",
                        "county_consulted_on",
                        "is_public",
                    )
                }
            )
            initial["owner"] = instance.owner_id
        super().__init__(*args, **kwargs)
        self._setup_multilingual(
            {"title": instance.title, "summary": instance.summary} if instance is not None else {}
        )
        self.fields["owner"].queryset = owners.order_by("sort_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned


class PartyRowForm(FastSelectsMixin, forms.Form):
    organisation = OrganisationField(label=_("Party"), required=False, queryset=Organisation.objects.none())
    role = forms.CharField(label=_("Role in the agreement"), required=False, max_length=100)
    responsibilities = forms.CharField(
        label=_("Responsibilities"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisation_choices()


PartyFormSet = forms.formset_factory(PartyRowForm, extra=0, max_num=30, absolute_max=30)


class QuotaRowForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    places = forms.IntegerField(label=_("Places"), required=False, min_value=0, max_value=100000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("year") is None) != (cleaned.get("places") is None) and not self.errors:
            self.add_error(
                "places" if cleaned.get("year") else "year", _("Give both the year and the places.")
            )
        return cleaned


class BaseQuotaFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        years = [form.cleaned_data.get("year") for form in self.forms if form.cleaned_data.get("year")]
        if len(years) != len(set(years)):
            raise forms.ValidationError(services.CooperationErrorCode.YEAR_TWICE.label)


QuotaFormSet = forms.formset_factory(
    QuotaRowForm, formset=BaseQuotaFormSet, extra=0, max_num=20, absolute_max=20
)


def party_formset(data: QueryDict | None, agreement: Agreement | None) -> forms.BaseFormSet:
    initial = [
        {"organisation": p.organisation_id, "role": p.role, "responsibilities": p.responsibilities}
        for p in (agreement.parties.all() if agreement is not None else [])
    ]
    formset = PartyFormSet(data, initial=initial, prefix="parties")
    if data is None:
        formset.extra = 1 if initial else 2
    return formset


def quota_formset(data: QueryDict | None, agreement: Agreement | None) -> forms.BaseFormSet:
    initial = [
        {"year": q.year, "places": q.places}
        for q in (agreement.quotas.all() if agreement is not None else [])
    ]
    formset = QuotaFormSet(data, initial=initial, prefix="quotas")
    if data is None:
        formset.extra = 1
    return formset


def agreement_data(
    form: AgreementForm, parties: forms.BaseFormSet, quotas: forms.BaseFormSet
) -> services.AgreementData:
    data = form.cleaned_data
    return services.AgreementData(
        kind=data["kind"],
        title=data["title"],
        summary=data["summary"],
        owner=data["owner"],
        status=data["status"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        review_on=data["review_on"],
        county_consulted=data["county_consulted"],
        county_consulted_on=data["county_consulted_on"],
        is_public=data["is_public"],
        parties=[
            services.PartyData(
                organisation=row.cleaned_data["organisation"],
                role=row.cleaned_data["role"],
                responsibilities=row.cleaned_data["responsibilities"],
            )
            for row in parties.forms
            if row.cleaned_data.get("organisation")
        ],
        places_per_year={
            row.cleaned_data["year"]: row.cleaned_data["places"]
            for row in quotas.forms
            if row.cleaned_data.get("year") is not None and row.cleaned_data.get("places") is not None
        },
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())

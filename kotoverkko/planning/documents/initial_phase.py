"""The description of the kotoutumisohjelma: selectors, services and forms for the matrix of
mandatory elements × client groups (who organises what, with whom, and how).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError, ErrorCode, PermissionDeniedError
from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation
from kotoverkko.planning.models import (
    InitialPhaseElement,
    InitialPhasePlan,
    InitialPhasePlanStatus,
    InitialPhaseResponsibility,
)
from kotoverkko.reference.models import LegalProvision, Municipality
from kotoverkko.servicepaths import selectors as servicepath_selectors
from kotoverkko.servicepaths.models import ClientGroup

from . import access


class InitialPhaseErrorCode(ErrorCode):
    NOT_ALLOWED = "initial_phase_not_allowed", gettext_lazy("You may not do this.")
    BAD_DATES = "initial_phase_bad_dates", gettext_lazy("The end date must not be before the start date.")
    NO_MUNICIPALITIES = "initial_phase_no_municipalities", gettext_lazy("Choose at least one municipality.")
    ELEMENT_NOT_IN_FORCE = (
        "initial_phase_element_not_in_force",
        gettext_lazy("This element is not in force during the description's validity."),
    )


def _require(allowed: bool) -> None:  # noqa: FBT001 - a guard that reads as _require(can_x(...))
    if not allowed:
        raise PermissionDeniedError(
            InitialPhaseErrorCode.NOT_ALLOWED.value, InitialPhaseErrorCode.NOT_ALLOWED.label
        )


# --- Selectors ----------------------------------------------------------------------------------------


def plan_get_for_user(*, user: Any, plan_id: int) -> InitialPhasePlan:
    """The description if the user may read it; Http404 otherwise."""
    return get_object_or_404(access.initial_phase_plans_readable_by(user).select_related("owner"), pk=plan_id)


def plans_for_user(user: Any) -> QuerySet[InitialPhasePlan]:
    return access.initial_phase_plans_readable_by(user).select_related("owner").order_by("-valid_from", "-pk")


def reference_day(plan: InitialPhasePlan, *, today: datetime.date | None = None) -> datetime.date:
    """The day whose elements the description shows: today, kept within the plan's validity."""
    day = today or timezone.localdate()
    if day < plan.valid_from:
        return plan.valid_from
    if plan.valid_until and day > plan.valid_until:
        return plan.valid_until
    return day


def elements_in_force(day: datetime.date) -> list[InitialPhaseElement]:
    return list(
        InitialPhaseElement.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )
    )


def client_groups() -> list[ClientGroup]:
    return list(servicepath_selectors.client_groups())


def client_group_get(pk: int) -> ClientGroup:
    """An active client group; Http404 otherwise."""
    return get_object_or_404(servicepath_selectors.client_groups(), pk=pk)


def _provision_text(
    element: InitialPhaseElement, provisions: list[LegalProvision], day: datetime.date
) -> str:
    for provision in provisions:
        if (
            provision.act_number == element.legal_act
            and provision.section == element.legal_section
            and provision.is_in_force(day)
        ):
            return f"{provision} {provision.title}"
    return element.legal_reference


@dataclass
class Cell:
    group: ClientGroup
    group_name: str
    responsibility: InitialPhaseResponsibility | None
    organiser: str = ""
    partners: str = ""
    delivery: str = ""
    notes: str = ""

    @property
    def is_missing(self) -> bool:
        return not self.organiser


@dataclass
class ElementRow:
    element: InitialPhaseElement
    element_name: str
    element_description: str
    legal_reference: str
    legal_note: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Matrix:
    plan: InitialPhasePlan
    day: datetime.date
    groups: list[ClientGroup]
    rows: list[ElementRow]

    @property
    def missing_count(self) -> int:
        return sum(cell.is_missing for row in self.rows for cell in row.cells)


def plan_matrix(plan: InitialPhasePlan, *, language: str | None = None) -> Matrix:
    """Every element in force × every active client group, with the cell's responsibility if any."""
    day = reference_day(plan)
    groups = client_groups()
    elements = elements_in_force(day)
    provisions = list(
        LegalProvision.objects.filter(act_number__in={element.legal_act for element in elements})
    )
    responsibilities = {
        (item.element_id, item.client_group_id): item
        for item in plan.responsibilities.select_related("organiser").prefetch_related("partners")
    }
    rows = []
    for element in elements:
        row = ElementRow(
            element=element,
            element_name=i18n.localized(element.name, language),
            element_description=i18n.localized(element.description, language),
            legal_reference=_provision_text(element, provisions, day),
            legal_note=i18n.localized(element.legal_note, language),
        )
        for group in groups:
            found = responsibilities.get((element.pk, group.pk))
            cell = Cell(
                group=group,
                group_name=i18n.localized(group.name, language) or group.slug,
                responsibility=found,
            )
            if found is not None:
                cell.organiser = i18n.localized(found.organiser.name, language) if found.organiser else ""
                cell.partners = ", ".join(
                    i18n.localized(item.name, language) for item in found.partners.all()
                )
                cell.delivery = i18n.localized(found.delivery, language)
                cell.notes = i18n.localized(found.notes, language)
            row.cells.append(cell)
        rows.append(row)
    return Matrix(plan=plan, day=day, groups=groups, rows=rows)


def missing_cells(matrix: Matrix) -> list[tuple[str, str]]:
    """(element, client group) pairs with no organiser: the check before publishing."""
    return [
        (row.element_name, cell.group_name) for row in matrix.rows for cell in row.cells if cell.is_missing
    ]


def organiser_choices(plan: InitialPhasePlan, user: Any) -> QuerySet[Organisation]:
    """Organisations the user can see that serve one of the plan's municipalities, and the owner."""
    codes = list(plan.municipalities.values_list("code", flat=True))
    serving = (
        Q(home_municipality_id__in=codes) | Q(municipalities_served__code__in=codes) | Q(pk=plan.owner_id)
    )
    ids = organisation_policies.organisations_visible_to(user).filter(serving).values("pk")
    return Organisation.objects.filter(pk__in=ids).order_by("sort_name", "pk")


# --- Services -----------------------------------------------------------------------------------------


PLAN_FIELDS = ("title", "introduction", "valid_from", "valid_until", "status", "municipalities")


def _check(
    valid_from: datetime.date, valid_until: datetime.date | None, municipalities: list[Municipality]
) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise ApplicationError.from_code(InitialPhaseErrorCode.BAD_DATES, field="valid_until")
    if not municipalities:
        raise ApplicationError.from_code(InitialPhaseErrorCode.NO_MUNICIPALITIES, field="municipalities")


@transaction.atomic
def plan_create(
    *,
    owner: Organisation,
    actor: Any,
    title: dict[str, str],
    introduction: dict[str, str],
    municipalities: Iterable[Municipality],
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> InitialPhasePlan:
    """Start a description as a draft. Raises NOT_ALLOWED | BAD_DATES | NO_MUNICIPALITIES."""
    _require(access.can_write_initial_phase_for(actor, owner))
    municipalities = list(municipalities)
    _check(valid_from, valid_until, municipalities)
    plan = InitialPhasePlan(
        owner=owner,
        title=i18n.clean_multilingual(title),
        introduction=i18n.clean_multilingual(introduction),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    plan.full_clean(exclude=["owner"])
    plan.save()
    plan.municipalities.set(municipalities)
    audit.record(
        actor=actor,
        action="planning.initial_phase_plan_created",
        obj=plan,
        organisation_id=owner.pk,
        changes=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: InitialPhasePlan,
    actor: Any,
    title: dict[str, str],
    introduction: dict[str, str],
    municipalities: Iterable[Municipality],
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> InitialPhasePlan:
    """Change the texts, area and validity. Raises NOT_ALLOWED | BAD_DATES | NO_MUNICIPALITIES."""
    _require(access.can_edit_initial_phase_plan(actor, plan))
    municipalities = list(municipalities)
    _check(valid_from, valid_until, municipalities)
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.title = i18n.clean_multilingual(title)
    plan.introduction = i18n.clean_multilingual(introduction)
    plan.valid_from, plan.valid_until = valid_from, valid_until
    plan.full_clean(exclude=["owner"])
    plan.save()
    plan.municipalities.set(municipalities)
    audit.record(
        actor=actor,
        action="planning.initial_phase_plan_updated",
        obj=plan,
        organisation_id=plan.owner_id,
        changes=audit.changes_between(before, audit.snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_set_status(*, plan: InitialPhasePlan, actor: Any, status: str) -> InitialPhasePlan:
    """Publish, withdraw (back to draft) or archive the description. Raises NOT_ALLOWED."""
    _require(access.can_edit_initial_phase_plan(actor, plan))
    before = plan.status
    plan.status = InitialPhasePlanStatus(status)
    if plan.status == InitialPhasePlanStatus.PUBLISHED and not plan.published_at:
        plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="planning.initial_phase_plan_status_changed",
        obj=plan,
        organisation_id=plan.owner_id,
        changes={"status": {"from": before, "to": plan.status}},
    )
    return plan


@transaction.atomic
def responsibility_set(
    *,
    plan: InitialPhasePlan,
    element: InitialPhaseElement,
    client_group: ClientGroup,
    actor: Any,
    organiser: Organisation | None,
    partners: Iterable[Organisation] = (),
    delivery: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
) -> InitialPhaseResponsibility:
    """Write one cell of the matrix. Raises NOT_ALLOWED | ELEMENT_NOT_IN_FORCE."""
    _require(access.can_edit_initial_phase_plan(actor, plan))
    if element.pk not in {item.pk for item in elements_in_force(reference_day(plan))}:
        raise ApplicationError.from_code(InitialPhaseErrorCode.ELEMENT_NOT_IN_FORCE)
    cell, _created = InitialPhaseResponsibility.objects.get_or_create(
        plan=plan, element=element, client_group=client_group
    )
    before = audit.snapshot(cell, ["organiser", "partners", "delivery", "notes"])
    cell.organiser = organiser
    cell.delivery = i18n.clean_multilingual(delivery)
    cell.notes = i18n.clean_multilingual(notes)
    cell.save()
    cell.partners.set([item for item in partners if organiser is None or item.pk != organiser.pk])
    audit.record(
        actor=actor,
        action="planning.initial_phase_responsibility_set",
        obj=cell,
        organisation_id=plan.owner_id,
        changes=audit.changes_between(
            before, audit.snapshot(cell, ["organiser", "partners", "delivery", "notes"])
        ),
    )
    return cell


# --- Forms --------------------------------------------------------------------------------------------


class PlanForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": gettext_lazy("Title"), "required": True},
        "introduction": {
            "label": gettext_lazy("Introduction"),
            "textarea": True,
            "help_text": gettext_lazy(
                "Who the kotoutumisohjelma is for, how clients get to it and how long it lasts."
            ),
        },
    }

    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Municipality responsible"), empty_label=None
    )
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.none(),
        label=gettext_lazy("Municipalities covered"),
        help_text=gettext_lazy("The kotoutumisohjelma may be organised together with other municipalities."),
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, owners: QuerySet[Organisation], plan: InitialPhasePlan | None = None, **kwargs: Any
    ) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "owner": plan.owner_id,
                    "municipalities": list(plan.municipalities.values_list("code", flat=True)),
                    "valid_from": plan.valid_from,
                    "valid_until": plan.valid_until,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by("name_fi")
        if plan is not None:
            del self.fields["owner"]
        self._setup_multilingual({"title": plan.title, "introduction": plan.introduction} if plan else {})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned


class ResponsibilityForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "delivery": {
            "label": gettext_lazy("How it is delivered"),
            "textarea": True,
            "max_length": 2000,
            "help_text": gettext_lazy("For example languages, group or individual, where and how often."),
        },
        "notes": {"label": gettext_lazy("Notes"), "textarea": True, "max_length": 2000},
    }

    organiser = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Organiser"),
        required=False,
        help_text=gettext_lazy(
            "The organisation responsible for organising the service. Leave empty if not decided."
        ),
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Partners"), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        responsibility: InitialPhaseResponsibility | None = None,
        **kwargs: Any,
    ) -> None:
        if responsibility is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organiser": responsibility.organiser_id,
                    "partners": list(responsibility.partners.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisations
        self.fields["organiser"].empty_label = _("Not decided")
        self.fields["partners"].queryset = organisations
        initial = (
            {"delivery": responsibility.delivery, "notes": responsibility.notes} if responsibility else {}
        )
        self._setup_multilingual(initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned

"""Read use-cases of service paths: visibility, gaps, interface steps and the who-does-what matrix."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kotoverkko.organisations.models import MUNICIPAL_KINDS, Organisation, OrganisationKind
from kotoverkko.organisations.policies import organisations_visible_to
from kotoverkko.reference.models import LegalProvision, Municipality

from . import policies
from .enums import DeadlineAnchor, GapKind, StepKind
from .models import ClientGroup, ServicePath, ServiceStep


def client_groups() -> QuerySet[ClientGroup]:
    """The active client groups in their display order."""
    return ClientGroup.objects.filter(is_active=True).order_by("position", "slug")


# --- Paths ----------------------------------------------------------------------------------------


def _steps_prefetch() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=ServiceStep.objects.select_related("responsible", "deadline_anchor_step").prefetch_related(
            "partners", "legal_provisions"
        ),
    )


def path_list_for_user(*, user: Any, municipality_code: str | None = None) -> QuerySet[ServicePath]:
    """Paths the user may see, optionally only those covering one municipality."""
    paths = policies.paths_visible_to(user)
    if municipality_code:
        paths = paths.filter(Q(municipality_id=municipality_code) | Q(municipalities__code=municipality_code))
    return (
        ServicePath.objects.filter(pk__in=paths.values("pk"))
        .select_related("client_group", "municipality")
        .prefetch_related("municipalities", _steps_prefetch())
        .order_by("municipality__name_fi", "client_group__position", "pk")
    )


def path_get_for_user(*, user: Any, path_id: int) -> ServicePath:
    """A path the user may see (404 otherwise), with its steps loaded."""
    visible = policies.paths_visible_to(user).values("pk")
    return get_object_or_404(
        ServicePath.objects.filter(pk__in=visible)
        .select_related("client_group", "municipality")
        .prefetch_related("municipalities", _steps_prefetch()),
        pk=path_id,
    )


def path_get_for_editor(*, user: Any, path_id: int) -> ServicePath:
    """A path the user may restructure; 404 when it is not visible or not theirs to edit."""
    path = path_get_for_user(user=user, path_id=path_id)
    if not policies.can_edit_path(user, path):
        raise Http404
    return path


def step_get_for_user(*, user: Any, step_id: int) -> ServiceStep:
    step = get_object_or_404(ServiceStep.objects.select_related("path", "responsible"), pk=step_id)
    if not policies.paths_visible_to(user).filter(pk=step.path_id).exists():
        raise Http404
    return step


def area_municipalities(path: ServicePath) -> list[Municipality]:
    """The municipalities the path covers, the owner first."""
    others = [m for m in path.municipalities.all() if m.code != path.municipality_id]
    return [path.municipality, *sorted(others, key=lambda m: m.name)]


def municipalities_with_paths() -> QuerySet[Municipality]:
    codes = set(ServicePath.objects.values_list("municipality_id", flat=True))
    codes |= set(ServicePath.objects.values_list("municipalities__code", flat=True))
    return Municipality.objects.filter(code__in={c for c in codes if c})


# --- Interface and gaps ---------------------------------------------------------------------------


def is_interface_step(step: ServiceStep) -> bool:
    """Marked by hand, or the responsible and a partner are a municipality and a wellbeing county."""
    if step.is_interface_marked:
        return True
    if step.responsible is None:
        return False
    partner_kinds = {partner.kind for partner in step.partners.all()}
    if step.responsible.kind in MUNICIPAL_KINDS:
        return OrganisationKind.WELLBEING_COUNTY in partner_kinds
    if step.responsible.kind == OrganisationKind.WELLBEING_COUNTY:
        return bool(partner_kinds & MUNICIPAL_KINDS)
    return False


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    step: ServiceStep
    provision: LegalProvision | None = None

    @property
    def label(self) -> str:
        return str(self.kind.label)


def path_reference_date(path: ServicePath) -> datetime.date:
    return path.reference_date or timezone.localdate()


def step_gaps(step: ServiceStep, *, on: datetime.date) -> list[Gap]:
    """Everything that leaves the step without a clear, lawful owner or deadline."""
    gaps: list[Gap] = []
    if step.responsible is None:
        gaps.append(Gap(GapKind.NO_RESPONSIBLE, step))
    elif not step.responsible.is_public:
        gaps.append(Gap(GapKind.RESPONSIBLE_HIDDEN, step))
    if step.deadline_anchor == DeadlineAnchor.STEP and (
        step.deadline_anchor_step is None or step.deadline_anchor_step.path_id != step.path_id
    ):
        gaps.append(Gap(GapKind.ANCHOR_MISSING, step))
    for provision in step.legal_provisions.all():
        if not provision.is_in_force(on):
            gaps.append(Gap(GapKind.PROVISION_NOT_IN_FORCE, step, provision))
    return gaps


def path_gaps(path: ServicePath) -> list[Gap]:
    """The gaps of every step, in step order."""
    on = path_reference_date(path)
    return [gap for step in path.steps.all() for gap in step_gaps(step, on=on)]


@dataclass
class StepView:
    """A step with what the pages show about it, computed once."""

    step: ServiceStep
    gaps: list[Gap]
    is_interface: bool
    provisions: list[tuple[LegalProvision, bool]]
    can_edit_details: bool = False

    @property
    def gap_kinds(self) -> set[str]:
        return {gap.kind.value for gap in self.gaps}


def path_step_views(path: ServicePath, *, user: Any = None) -> list[StepView]:
    """The steps of a path with their gaps, interface flag and whether `user` may describe them."""
    on = path_reference_date(path)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    can_edit = signed_in and policies.can_edit_path(user, path)
    # One look-up for the whole path instead of a permission check per step.
    own_ids = policies.organisation_ids_editing_own_steps(user) if signed_in and not can_edit else set()
    views = []
    for step in path.steps.all():
        own = step.responsible_id is not None and (own_ids is None or step.responsible_id in own_ids)
        views.append(
            StepView(
                step=step,
                gaps=step_gaps(step, on=on),
                is_interface=is_interface_step(step),
                provisions=[(p, p.is_in_force(on)) for p in step.legal_provisions.all()],
                can_edit_details=can_edit or own,
            )
        )
    return views


@dataclass
class PathGapSummary:
    path: ServicePath
    gaps: list[Gap]
    counts: dict[str, int] = field(default_factory=dict)


def gap_overview_for_editor(*, user: Any) -> list[PathGapSummary]:
    """The coordinator's overview: every path they edit with its gaps, paths with gaps first."""
    editable = policies.paths_editable_by(user).values("pk")
    paths = (
        ServicePath.objects.filter(pk__in=editable)
        .select_related("client_group", "municipality")
        .prefetch_related(_steps_prefetch())
        .order_by("municipality__name_fi", "client_group__position", "pk")
    )
    summaries = []
    for path in paths:
        gaps = path_gaps(path)
        counts: dict[str, int] = defaultdict(int)
        for gap in gaps:
            counts[gap.kind.value] += 1
        summaries.append(PathGapSummary(path=path, gaps=gaps, counts=dict(counts)))
    return sorted(summaries, key=lambda s: 0 if s.gaps else 1)


# --- Who does what --------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    client_group: ClientGroup
    path: ServicePath | None
    cells: list[list[StepView]]


@dataclass
class Matrix:
    municipality: Municipality
    phases: list[tuple[str, str]]
    rows: list[MatrixRow]

    @property
    def has_paths(self) -> bool:
        return any(row.path for row in self.rows)


def who_does_what(*, user: Any, municipality: Municipality) -> Matrix:
    """Client groups × phases for one municipality: who is responsible in each, from visible paths."""
    paths = list(path_list_for_user(user=user, municipality_code=municipality.code))
    # A municipality's own path wins over a joint one that also covers it.
    by_group: dict[int, ServicePath] = {}
    for path in sorted(paths, key=lambda p: p.municipality_id != municipality.code):
        by_group.setdefault(path.client_group_id, path)
    used_kinds = {step.kind for path in by_group.values() for step in path.steps.all()}
    phases = [(value, str(label)) for value, label in StepKind.choices if value in used_kinds]
    rows = []
    for group in client_groups():
        path = by_group.get(group.pk)
        views = path_step_views(path) if path else []
        cells = [[view for view in views if view.step.kind == kind] for kind, _label in phases]
        rows.append(MatrixRow(client_group=group, path=path, cells=cells))
    return Matrix(municipality=municipality, phases=phases, rows=rows)


# --- Choices for the forms ------------------------------------------------------------------------


def organisations_for_area(*, user: Any, path: ServicePath) -> QuerySet[Organisation]:
    """Organisations a step of the path may name: those serving its area, plus the ones already named."""
    codes = [m.code for m in area_municipalities(path)]
    named = set(
        ServiceStep.objects.filter(path=path)
        .exclude(responsible=None)
        .values_list("responsible_id", flat=True)
    )
    named |= set(
        ServiceStep.partners.through.objects.filter(servicestep__path=path).values_list(
            "organisation_id", flat=True
        )
    )
    serving = Q(home_municipality_id__in=codes) | Q(municipalities_served__code__in=codes)
    ids = organisations_visible_to(user).filter(serving).values("pk")
    return Organisation.objects.filter(Q(pk__in=ids) | Q(pk__in=named)).distinct().order_by("sort_name", "pk")


def legal_provisions() -> QuerySet[LegalProvision]:
    return LegalProvision.objects.order_by("act_number", "section", "valid_from")

"""Write use-cases of service paths. Every change is checked against the policy and audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError, PermissionDeniedError
from kotoverkko.core.i18n import clean_multilingual
from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.reference.models import LegalProvision, Municipality

from . import path_templates, policies
from .enums import DeadlineAnchor, DeadlineUnit
from .errors import ServicePathErrorCode
from .models import ClientGroup, ServicePath, ServiceStep

PATH_FIELDS = ["title", "description", "reference_date", "is_public", "municipalities"]
STEP_FIELDS = [
    "kind",
    "title",
    "description",
    "contact_point",
    "responsible",
    "partners",
    "is_interface_marked",
    "legal_provisions",
    "deadline_amount",
    "deadline_unit",
    "deadline_anchor",
    "deadline_anchor_step",
]
DETAIL_FIELDS = ["description", "contact_point"]


def _fail(code: ServicePathErrorCode, field_name: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name)


def _deny() -> PermissionDeniedError:
    code = ServicePathErrorCode.NOT_ALLOWED
    return PermissionDeniedError(code.value, code.label)


def _record_path(
    path: ServicePath, *, actor: Any, action: str, changes: dict[str, Any] | None = None
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=path,
        municipality_code=path.municipality_id,
        changes=changes,
        object_repr=f"service path #{path.pk} ({path.client_group.slug}, {path.municipality_id})",
    )


def _record_step(
    step: ServiceStep, *, actor: Any, action: str, changes: dict[str, Any] | None = None
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=step,
        # The responsible organisation's admins see what was written about their step.
        organisation_id=step.responsible_id,
        municipality_code=step.path.municipality_id,
        changes=changes,
        object_repr=f"service step #{step.pk} of path #{step.path_id}",
    )


# --- Paths ----------------------------------------------------------------------------------------


@dataclass
class PathData:
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    reference_date: Any = None
    is_public: bool = False
    municipalities: list[Municipality] = field(default_factory=list)


def organisation_for_kind(*, kind: str, municipality_code: str) -> Organisation | None:
    """The public organisation of `kind` that serves the municipality, preferring one based there."""
    if not kind:
        return None
    if kind == OrganisationKind.MUNICIPALITY:
        candidates = Organisation.objects.filter(kind=kind, home_municipality_id=municipality_code)
    else:
        candidates = Organisation.objects.filter(kind=kind).filter(
            Q(home_municipality_id=municipality_code) | Q(municipalities_served__code=municipality_code)
        )
    candidates = candidates.filter(is_public=True).distinct()
    local = candidates.filter(home_municipality_id=municipality_code).order_by("sort_name", "pk").first()
    return local or candidates.order_by("sort_name", "pk").first()


def _provision_for(act: str, section: str, *, on: Any) -> LegalProvision | None:
    versions = LegalProvision.objects.filter(act_number=act, section=section).order_by("-valid_from")
    in_force = [version for version in versions if version.is_in_force(on)]
    return in_force[0] if in_force else versions.first()


def _steps_from_template(path: ServicePath, template: path_templates.PathTemplate, *, on: Any) -> None:
    steps: dict[str, ServiceStep] = {}
    for position, spec in enumerate(template.steps, start=1):
        step = ServiceStep.objects.create(
            path=path,
            position=position,
            kind=spec.kind,
            template_key=spec.key,
            title=spec.title,
            description=spec.description,
            responsible=organisation_for_kind(
                kind=spec.responsible_kind, municipality_code=path.municipality_id
            ),
        )
        partners = [
            organisation_for_kind(kind=kind, municipality_code=path.municipality_id)
            for kind in spec.partner_kinds
        ]
        step.partners.set([p for p in partners if p is not None and p.pk != step.responsible_id])
        provisions = [_provision_for(act, section, on=on) for act, section in spec.legal]
        step.legal_provisions.set([p for p in provisions if p is not None])
        steps[spec.key] = step
    # Anchors point at steps by template key, so they are resolved once every step exists.
    for spec in template.steps:
        if not spec.deadline:
            continue
        step = steps[spec.key]
        step.deadline_amount = spec.deadline["amount"]
        step.deadline_unit = spec.deadline.get("unit", DeadlineUnit.MONTHS)
        step.deadline_anchor = spec.deadline["anchor"]
        step.deadline_anchor_step = steps.get(spec.deadline.get("step", ""))
        step.save(
            update_fields=["deadline_amount", "deadline_unit", "deadline_anchor", "deadline_anchor_step"]
        )


@transaction.atomic
def path_create(
    *,
    actor: Any,
    municipality: Municipality,
    client_group: ClientGroup,
    template_key: str = "",
    data: PathData | None = None,
) -> ServicePath:
    """Create a municipality's path for a client group, empty or from a template.

    Raises ApplicationError(NOT_ALLOWED | DUPLICATE_PATH | UNKNOWN_TEMPLATE).
    """
    codes = policies.municipality_codes_editable_by(actor)
    if codes is not None and municipality.code not in codes:
        raise _deny()
    if ServicePath.objects.filter(municipality=municipality, client_group=client_group).exists():
        raise _fail(ServicePathErrorCode.DUPLICATE_PATH, "client_group")
    template = None
    if template_key:
        template = path_templates.template_get(template_key)
        if template is None or template.client_group != client_group.slug:
            raise _fail(ServicePathErrorCode.UNKNOWN_TEMPLATE, "template")
    data = data or PathData()
    path = ServicePath(
        client_group=client_group,
        municipality=municipality,
        title=clean_multilingual(data.title),
        description=clean_multilingual(data.description),
        reference_date=data.reference_date,
        is_public=data.is_public,
        template_key=template.key if template else "",
    )
    path.full_clean()
    path.save()
    path.municipalities.set({municipality, *data.municipalities})
    if template is not None:
        from .selectors import path_reference_date

        _steps_from_template(path, template, on=path_reference_date(path))
    _record_path(
        path,
        actor=actor,
        action="servicepaths.path_created",
        changes={"template": template.key if template else "", "steps": path.steps.count()},
    )
    return path


@transaction.atomic
def path_update(*, path: ServicePath, data: PathData, actor: Any) -> ServicePath:
    """Change a path's title, description, area, reference date and publication. Raises NOT_ALLOWED."""
    if not policies.can_edit_path(actor, path):
        raise _deny()
    before = audit.snapshot(path, PATH_FIELDS)
    path.title = clean_multilingual(data.title)
    path.description = clean_multilingual(data.description)
    path.reference_date = data.reference_date
    path.is_public = data.is_public
    path.full_clean()
    path.save()
    path.municipalities.set({path.municipality, *data.municipalities})
    changes = audit.changes_between(before, audit.snapshot(path, PATH_FIELDS))
    _record_path(path, actor=actor, action="servicepaths.path_updated", changes=changes)
    return path


@transaction.atomic
def path_delete(*, path: ServicePath, actor: Any) -> None:
    """Remove a path and its steps. Raises NOT_ALLOWED."""
    if not policies.can_edit_path(actor, path):
        raise _deny()
    _record_path(path, actor=actor, action="servicepaths.path_deleted", changes={"steps": path.steps.count()})
    path.delete()


# --- Steps ----------------------------------------------------------------------------------------


@dataclass
class StepData:
    kind: str
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    contact_point: dict[str, str] = field(default_factory=dict)
    responsible: Organisation | None = None
    partners: list[Organisation] = field(default_factory=list)
    is_interface_marked: bool = False
    legal_provisions: list[LegalProvision] = field(default_factory=list)
    deadline_amount: int | None = None
    deadline_unit: str = DeadlineUnit.MONTHS
    deadline_anchor: str = ""
    deadline_anchor_step: ServiceStep | None = None


def _validate_step(data: StepData, *, path: ServicePath, step: ServiceStep | None) -> None:
    if not clean_multilingual(data.title):
        raise _fail(ServicePathErrorCode.TITLE_REQUIRED, "title")
    if data.deadline_amount is not None and not data.deadline_anchor:
        raise _fail(ServicePathErrorCode.ANCHOR_REQUIRED, "deadline_anchor")
    if data.deadline_anchor and data.deadline_amount is None:
        raise _fail(ServicePathErrorCode.AMOUNT_REQUIRED, "deadline_amount")
    if data.deadline_anchor == DeadlineAnchor.STEP:
        anchor = data.deadline_anchor_step
        if anchor is None or anchor.path_id != path.pk or (step is not None and anchor.pk == step.pk):
            raise _fail(ServicePathErrorCode.ANCHOR_INVALID, "deadline_anchor_step")


def _apply_step(step: ServiceStep, data: StepData) -> None:
    step.kind = data.kind
    step.title = clean_multilingual(data.title)
    step.description = clean_multilingual(data.description)
    step.contact_point = clean_multilingual(data.contact_point)
    step.responsible = data.responsible
    step.is_interface_marked = data.is_interface_marked
    step.deadline_amount = data.deadline_amount
    step.deadline_unit = data.deadline_unit or DeadlineUnit.MONTHS
    step.deadline_anchor = data.deadline_anchor if data.deadline_amount is not None else ""
    is_step_anchor = step.deadline_anchor == DeadlineAnchor.STEP
    step.deadline_anchor_step = data.deadline_anchor_step if is_step_anchor else None


@transaction.atomic
def step_create(*, path: ServicePath, data: StepData, actor: Any) -> ServiceStep:
    """Add a step at the end of the path. Raises NOT_ALLOWED | TITLE_REQUIRED | ANCHOR_*."""
    if not policies.can_edit_path(actor, path):
        raise _deny()
    _validate_step(data, path=path, step=None)
    last = path.steps.aggregate(last=Max("position"))["last"] or 0
    step = ServiceStep(path=path, position=last + 1)
    _apply_step(step, data)
    step.full_clean()
    step.save()
    step.partners.set([p for p in data.partners if p.pk != step.responsible_id])
    step.legal_provisions.set(data.legal_provisions)
    _record_step(
        step, actor=actor, action="servicepaths.step_created", changes=audit.snapshot(step, STEP_FIELDS)
    )
    return step


@transaction.atomic
def step_update(*, step: ServiceStep, data: StepData, actor: Any) -> ServiceStep:
    """Change everything about a step (the path's editors). Raises NOT_ALLOWED | TITLE_REQUIRED | ANCHOR_*."""
    if not policies.can_edit_path(actor, step.path):
        raise _deny()
    _validate_step(data, path=step.path, step=step)
    before = audit.snapshot(step, STEP_FIELDS)
    _apply_step(step, data)
    step.full_clean()
    step.save()
    step.partners.set([p for p in data.partners if p.pk != step.responsible_id])
    step.legal_provisions.set(data.legal_provisions)
    changes = audit.changes_between(before, audit.snapshot(step, STEP_FIELDS))
    _record_step(step, actor=actor, action="servicepaths.step_updated", changes=changes)
    return step


@transaction.atomic
def step_update_details(
    *, step: ServiceStep, description: dict[str, str], contact_point: dict[str, str], actor: Any
) -> ServiceStep:
    """Change a step's description and contact point (its organisation may). Raises NOT_ALLOWED."""
    if not policies.can_edit_step_details(actor, step):
        raise _deny()
    before = audit.snapshot(step, DETAIL_FIELDS)
    step.description = clean_multilingual(description)
    step.contact_point = clean_multilingual(contact_point)
    step.save(update_fields=["description", "contact_point", "updated_at"])
    changes = audit.changes_between(before, audit.snapshot(step, DETAIL_FIELDS))
    _record_step(step, actor=actor, action="servicepaths.step_details_updated", changes=changes)
    return step


@transaction.atomic
def step_move(*, step: ServiceStep, up: bool, actor: Any) -> ServiceStep:
    """Swap the step with its neighbour above or below; at either end nothing changes. Raises NOT_ALLOWED."""
    if not policies.can_edit_path(actor, step.path):
        raise _deny()
    steps = list(step.path.steps.select_for_update().order_by("position", "pk"))
    # Positions are renumbered first so that equal or sparse positions cannot block a swap.
    for number, item in enumerate(steps, start=1):
        item.position = number
    index = next(i for i, item in enumerate(steps) if item.pk == step.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(steps):
        steps[index].position, steps[other].position = steps[other].position, steps[index].position
    ServiceStep.objects.bulk_update(steps, ["position"])
    step.position = steps[index].position
    _record_step(step, actor=actor, action="servicepaths.step_moved", changes={"position": step.position})
    return step


@transaction.atomic
def step_delete(*, step: ServiceStep, actor: Any) -> None:
    """Remove a step; deadlines counted from it become visible gaps. Raises NOT_ALLOWED."""
    if not policies.can_edit_path(actor, step.path):
        raise _deny()
    _record_step(step, actor=actor, action="servicepaths.step_deleted", changes={"title": step.title})
    step.delete()


# --- Client groups --------------------------------------------------------------------------------


@dataclass
class ClientGroupData:
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    position: int = 0
    is_active: bool = True


@transaction.atomic
def client_group_update(*, group: ClientGroup, data: ClientGroupData, actor: Any) -> ClientGroup:
    """Rename, describe, reorder or retire a client group (platform admins). Raises NOT_ALLOWED."""
    if not policies.can_manage_client_groups(actor):
        raise _deny()
    fields = ["name", "description", "position", "is_active"]
    before = audit.snapshot(group, fields)
    group.name = clean_multilingual(data.name)
    group.description = clean_multilingual(data.description)
    group.position = data.position
    group.is_active = data.is_active
    group.full_clean()
    group.save()
    audit.record(
        actor=actor,
        action="servicepaths.client_group_updated",
        obj=group,
        changes=audit.changes_between(before, audit.snapshot(group, fields)),
        object_repr=f"client group {group.slug}",
    )
    return group

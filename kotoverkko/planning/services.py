"""Write use-cases of the programme: keyword-only, atomic, re-checking the policy, audited.

Error codes: PlanningErrorCode (errors.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.reference.models import Municipality

from . import indicator_sources, policies, workflow
from .enums import IndicatorSource, MeasureStatus, ProgrammeStatus, RoundStatus
from .errors import PlanningErrorCode
from .models import (
    ChecklistStep,
    ChecklistStepTemplate,
    ChecklistTemplate,
    Goal,
    Indicator,
    Measure,
    Measurement,
    MeasureUpdate,
    MonitoringRound,
    Programme,
)

PROGRAMME_FIELDS = ["title", "summary", "mode", "starts_year", "ends_year", "municipalities"]
GOAL_FIELDS = ["title", "description", "strategy_goal", "position", "valko_goals"]
MEASURE_FIELDS = [
    "title",
    "description",
    "goal",
    "responsible_organisation",
    "partners",
    "starts_on",
    "ends_on",
    "resources",
    "budget_eur",
    "status",
    "position",
    "listings",
]
INDICATOR_FIELDS = [
    "name",
    "goal",
    "unit",
    "direction",
    "source_kind",
    "source_description",
    "definition",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "position",
]
STEP_FIELDS = ["status", "owner_organisation", "due_on", "notes"]


def _error(code: PlanningErrorCode, *, field: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field)


def _record(*, actor: Any, action: str, obj: Any, programme: Programme, changes: dict | None = None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        organisation_id=programme.owner_id,
        municipality_code=programme.owner.home_municipality_id or "",
        changes=changes,
        object_repr=f"{obj._meta.model_name} #{obj.pk}",
    )


def _set_fields(obj: Any, values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Assign the plain fields and return the many-to-many ones for after the save."""
    many: dict[str, Any] = {}
    for name in fields:
        if name not in values:
            continue
        if obj._meta.get_field(name).many_to_many:
            many[name] = values[name]
        else:
            setattr(obj, name, values[name])
    return many


def _save(obj: Any, values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Save obj with values; returns the audit diff."""
    before = audit.snapshot(obj, fields) if obj.pk else {}
    many = _set_fields(obj, values, fields)
    obj.full_clean()
    obj.save()
    for name, items in many.items():
        getattr(obj, name).set(items)
    return audit.changes_between(before, audit.snapshot(obj, fields))


def _require_editable_content(programme: Programme) -> None:
    if programme.status not in workflow.EDITABLE_CONTENT:
        raise _error(PlanningErrorCode.CONTENT_LOCKED)


# --- Programme --------------------------------------------------------------------------------------


@dataclass
class ProgrammeData:
    title: dict[str, str]
    owner: Organisation
    starts_year: int
    ends_year: int
    mode: str
    summary: dict[str, str] = field(default_factory=dict)
    municipalities: list[Municipality] = field(default_factory=list)


def checklist_template_current(*, on: datetime.date | None = None) -> ChecklistTemplate | None:
    """The planning checklist template valid on the day (the newest one starting before it)."""
    day = on or timezone.localdate()
    return (
        ChecklistTemplate.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def _copy_checklist(programme: Programme, template: ChecklistTemplate | None) -> None:
    if template is None:
        return
    for step in template.steps.prefetch_related("legal_provisions"):
        copy = ChecklistStep.objects.create(
            programme=programme,
            template_step=step,
            position=step.position,
            key=step.key,
            title=step.title,
            guidance=step.guidance,
            guiding_questions=step.guiding_questions,
            link_target=step.link_target,
        )
        copy.legal_provisions.set(step.legal_provisions.all())


def _programme_values(data: ProgrammeData) -> dict[str, Any]:
    if data.owner.kind != OrganisationKind.MUNICIPALITY:
        raise _error(PlanningErrorCode.NOT_MUNICIPALITY, field="owner")
    if data.ends_year < data.starts_year:
        raise _error(PlanningErrorCode.INVALID_PERIOD, field="ends_year")
    municipalities = {m.code: m for m in data.municipalities}
    municipalities.setdefault(data.owner.home_municipality_id, data.owner.home_municipality)
    return {
        "title": data.title,
        "summary": data.summary,
        "mode": data.mode,
        "starts_year": data.starts_year,
        "ends_year": data.ends_year,
        "municipalities": list(municipalities.values()),
    }


@transaction.atomic
def programme_create(*, actor: Any, data: ProgrammeData) -> Programme:
    """A new draft programme with the checklist valid today. Raises NOT_ALLOWED, NOT_MUNICIPALITY."""
    policies.require(policies.owner_choices(actor).filter(pk=data.owner.pk).exists())
    values = _programme_values(data)
    programme = Programme(owner=data.owner, checklist_template=checklist_template_current())
    changes = _save(programme, values, PROGRAMME_FIELDS)
    _copy_checklist(programme, programme.checklist_template)
    _record(
        actor=actor, action="planning.programme_created", obj=programme, programme=programme, changes=changes
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, data: ProgrammeData) -> Programme:
    policies.require(policies.can_edit_programme(actor, programme))
    _require_editable_content(programme)
    values = _programme_values(data)
    changes = _save(programme, values, PROGRAMME_FIELDS)
    _record(
        actor=actor, action="planning.programme_updated", obj=programme, programme=programme, changes=changes
    )
    return programme


@dataclass
class AdoptionData:
    adopted_by: str
    adopted_on: datetime.date | None
    adoption_minute: str
    decision_url: str = ""


@transaction.atomic
def programme_transition(
    *, actor: Any, programme: Programme, status: str, adoption: AdoptionData | None = None
) -> Programme:
    """Move the programme along its lifecycle (workflow.py). Adopting needs the decision's details;
    adopting a revision retires the version it replaces. Raises NOT_ALLOWED, INVALID_TRANSITION,
    ADOPTION_DETAILS_MISSING."""
    policies.require(policies.can_edit_programme(actor, programme))
    if not workflow.can_transition(programme.status, status):
        raise _error(PlanningErrorCode.INVALID_TRANSITION)
    fields = ["status"]
    before = {"status": programme.status}
    if status == ProgrammeStatus.ADOPTED:
        if adoption is None or not (adoption.adopted_by and adoption.adopted_on and adoption.adoption_minute):
            raise _error(PlanningErrorCode.ADOPTION_DETAILS_MISSING, field="adopted_by")
        programme.adopted_by = adoption.adopted_by
        programme.adopted_on = adoption.adopted_on
        programme.adoption_minute = adoption.adoption_minute
        programme.decision_url = adoption.decision_url
        fields += ["adopted_by", "adopted_on", "adoption_minute", "decision_url"]
    programme.status = status
    programme.full_clean()
    programme.save(update_fields=[*fields, "updated_at"])
    changes = audit.changes_between(before, audit.snapshot(programme, fields))
    _record(
        actor=actor,
        action="planning.programme_status_changed",
        obj=programme,
        programme=programme,
        changes=changes,
    )
    previous = programme.previous_version
    if status == ProgrammeStatus.ADOPTED and previous is not None and previous.status in workflow.REVISABLE:
        previous.status = ProgrammeStatus.REVISED
        previous.save(update_fields=["status", "updated_at"])
        _record(
            actor=actor,
            action="planning.programme_status_changed",
            obj=previous,
            programme=previous,
            changes={"status": {"from": "monitoring", "to": ProgrammeStatus.REVISED}},
        )
    return programme


@transaction.atomic
def programme_revise(*, actor: Any, programme: Programme) -> Programme:
    """A new draft version copied from the adopted one: goals, measures, indicators and their
    measurements keep their keys so that the versions can be compared. Raises NOT_ALLOWED,
    NOT_REVISABLE, REVISION_EXISTS."""
    policies.require(policies.can_edit_programme(actor, programme))
    if programme.status not in workflow.REVISABLE:
        raise _error(PlanningErrorCode.NOT_REVISABLE)
    if programme.revisions.exclude(status=ProgrammeStatus.ARCHIVED).exists():
        raise _error(PlanningErrorCode.REVISION_EXISTS)
    latest = Programme.objects.filter(series=programme.series).order_by("-version_number").first()
    revision = Programme.objects.create(
        title=programme.title,
        summary=programme.summary,
        owner=programme.owner,
        mode=programme.mode,
        starts_year=programme.starts_year,
        ends_year=programme.ends_year,
        checklist_template=checklist_template_current(),
        series=programme.series,
        version_number=(latest.version_number if latest else programme.version_number) + 1,
        previous_version=programme,
    )
    revision.municipalities.set(programme.municipalities.all())
    _copy_checklist(revision, revision.checklist_template)
    goals: dict[int, Goal] = {}
    for goal in programme.goals.prefetch_related("valko_goals"):
        copy = Goal.objects.create(
            programme=revision,
            key=goal.key,
            position=goal.position,
            title=goal.title,
            description=goal.description,
            strategy_goal=goal.strategy_goal,
        )
        copy.valko_goals.set(goal.valko_goals.all())
        goals[goal.pk] = copy
    for measure in programme.measures.prefetch_related("partners", "listings"):
        copy = Measure.objects.create(
            programme=revision,
            goal=goals.get(measure.goal_id) if measure.goal_id else None,
            key=measure.key,
            position=measure.position,
            title=measure.title,
            description=measure.description,
            responsible_organisation_id=measure.responsible_organisation_id,
            starts_on=measure.starts_on,
            ends_on=measure.ends_on,
            resources=measure.resources,
            budget_eur=measure.budget_eur,
            status=measure.status,
            status_comment=measure.status_comment,
        )
        copy.partners.set(measure.partners.all())
        copy.listings.set(measure.listings.all())
    for indicator in programme.indicators.prefetch_related("measurements"):
        copy = Indicator.objects.create(
            programme=revision,
            goal=goals.get(indicator.goal_id) if indicator.goal_id else None,
            key=indicator.key,
            position=indicator.position,
            name=indicator.name,
            unit=indicator.unit,
            direction=indicator.direction,
            source_kind=indicator.source_kind,
            source_description=indicator.source_description,
            definition=indicator.definition,
            baseline_value=indicator.baseline_value,
            baseline_on=indicator.baseline_on,
            target_value=indicator.target_value,
            target_on=indicator.target_on,
            computed_from=indicator.computed_from,
            refreshed_at=indicator.refreshed_at,
        )
        Measurement.objects.bulk_create(
            Measurement(
                indicator=copy,
                measured_on=m.measured_on,
                value=m.value,
                note=m.note,
                source=m.source,
                is_computed=m.is_computed,
            )
            for m in indicator.measurements.all()
        )
    _record(
        actor=actor,
        action="planning.programme_revised",
        obj=revision,
        programme=revision,
        changes={"previous_version": {"from": None, "to": programme.pk}},
    )
    return revision


# --- Checklist --------------------------------------------------------------------------------------


@transaction.atomic
def checklist_step_update(*, actor: Any, step: ChecklistStep, values: dict[str, Any]) -> ChecklistStep:
    """Progress of one checklist step (status, owner, due date, notes). Raises NOT_ALLOWED."""
    policies.require(policies.can_edit_programme(actor, step.programme))
    changes = _save(step, values, STEP_FIELDS)
    _record(
        actor=actor,
        action="planning.checklist_step_updated",
        obj=step,
        programme=step.programme,
        changes=changes,
    )
    return step


TEMPLATE_STEP_FIELDS = [
    "title",
    "guidance",
    "guiding_questions",
    "link_target",
    "legal_provisions",
    "position",
]


@transaction.atomic
def checklist_template_step_save(
    *,
    actor: Any,
    template: ChecklistTemplate,
    step: ChecklistStepTemplate | None,
    key: str,
    values: dict[str, Any],
) -> ChecklistStepTemplate:
    """The platform admin edits the guidance; programmes keep the copies they already made."""
    policies.require(policies.can_manage_checklists(actor))
    step = step or ChecklistStepTemplate(template=template, key=key)
    before = audit.snapshot(step, TEMPLATE_STEP_FIELDS) if step.pk else {}
    many = _set_fields(step, values, TEMPLATE_STEP_FIELDS)
    step.full_clean()
    step.save()
    for name, items in many.items():
        getattr(step, name).set(items)
    audit.record(
        actor=actor,
        action="planning.checklist_template_step_saved",
        obj=step,
        changes=audit.changes_between(before, audit.snapshot(step, TEMPLATE_STEP_FIELDS)),
        object_repr=f"checkliststeptemplate #{step.pk}",
    )
    return step


TEMPLATE_FIELDS = ["name", "version", "source_url", "valid_from", "valid_until"]


@transaction.atomic
def checklist_template_update(
    *, actor: Any, template: ChecklistTemplate, values: dict[str, Any]
) -> ChecklistTemplate:
    policies.require(policies.can_manage_checklists(actor))
    changes = _save(template, values, TEMPLATE_FIELDS)
    audit.record(
        actor=actor,
        action="planning.checklist_template_updated",
        obj=template,
        changes=changes,
        object_repr=f"checklisttemplate #{template.pk}",
    )
    return template


# --- Goals, measures, indicators --------------------------------------------------------------------


@transaction.atomic
def goal_save(*, actor: Any, programme: Programme, goal: Goal | None, values: dict[str, Any]) -> Goal:
    """Create or change a goal. Raises NOT_ALLOWED, CONTENT_LOCKED."""
    policies.require(policies.can_edit_programme(actor, programme))
    _require_editable_content(programme)
    goal = goal or Goal(programme=programme)
    created = goal.pk is None
    changes = _save(goal, values, GOAL_FIELDS)
    action = "planning.goal_created" if created else "planning.goal_updated"
    _record(actor=actor, action=action, obj=goal, programme=programme, changes=changes)
    return goal


@transaction.atomic
def measure_save(
    *, actor: Any, programme: Programme, measure: Measure | None, values: dict[str, Any]
) -> Measure:
    """Create or change a measure. Raises NOT_ALLOWED, CONTENT_LOCKED."""
    policies.require(policies.can_edit_programme(actor, programme))
    _require_editable_content(programme)
    measure = measure or Measure(programme=programme)
    created = measure.pk is None
    changes = _save(measure, values, MEASURE_FIELDS)
    action = "planning.measure_created" if created else "planning.measure_updated"
    _record(actor=actor, action=action, obj=measure, programme=programme, changes=changes)
    return measure


@transaction.atomic
def indicator_save(
    *, actor: Any, programme: Programme, indicator: Indicator | None, values: dict[str, Any]
) -> Indicator:
    """Create or change an indicator; a computed one is refreshed at once. Raises NOT_ALLOWED,
    CONTENT_LOCKED, INVALID_DEFINITION."""
    policies.require(policies.can_edit_programme(actor, programme))
    _require_editable_content(programme)
    source_kind = values.get("source_kind", IndicatorSource.MANUAL)
    if source_kind != IndicatorSource.MANUAL:
        try:
            indicator_sources.validate(source_kind, values.get("definition") or {})
        except indicator_sources.DefinitionError as error:
            raise _error(PlanningErrorCode.INVALID_DEFINITION, field="definition") from error
    else:
        values = {**values, "definition": {}}
    indicator = indicator or Indicator(programme=programme)
    created = indicator.pk is None
    changes = _save(indicator, values, INDICATOR_FIELDS)
    indicator.computed_from = ""
    action = "planning.indicator_created" if created else "planning.indicator_updated"
    _record(actor=actor, action=action, obj=indicator, programme=programme, changes=changes)
    if indicator.is_computed:
        indicator_refresh(indicator=indicator, force=True)
    return indicator


@transaction.atomic
def content_delete(*, actor: Any, obj: Goal | Measure | Indicator) -> None:
    """Remove a goal, measure or indicator from a programme still in preparation."""
    programme = obj.programme
    policies.require(policies.can_edit_programme(actor, programme))
    _require_editable_content(programme)
    _record(actor=actor, action=f"planning.{obj._meta.model_name}_deleted", obj=obj, programme=programme)
    obj.delete()


@dataclass
class MeasurementData:
    measured_on: datetime.date
    value: Decimal
    note: str = ""
    source: str = ""


@transaction.atomic
def measurement_add(*, actor: Any, indicator: Indicator, data: MeasurementData) -> Measurement:
    """Record a value of a hand-entered indicator (replacing one of the same day). Allowed while the
    programme is monitored too: measuring is what monitoring is. Raises NOT_ALLOWED, MANUAL_ONLY."""
    policies.require(policies.can_edit_programme(actor, indicator.programme))
    if indicator.is_computed:
        raise _error(PlanningErrorCode.MANUAL_ONLY)
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        measured_on=data.measured_on,
        defaults={"value": data.value, "note": data.note, "source": data.source},
    )
    _record(
        actor=actor,
        action="planning.measurement_recorded",
        obj=measurement,
        programme=indicator.programme,
        changes={
            "measured_on": {"from": None, "to": str(data.measured_on)},
            "value": {"from": None, "to": str(data.value)},
        },
    )
    return measurement


# --- Computed indicators ----------------------------------------------------------------------------


@transaction.atomic
def indicator_refresh(*, indicator: Indicator, force: bool = False) -> bool:
    """Recompute a computed indicator when its data changed (see indicator_sources). Returns
    whether it was recomputed; a definition whose data is missing leaves the values as they are."""
    if not indicator.is_computed:
        return False
    current = indicator_sources.fingerprint(indicator.source_kind, indicator.definition)
    if not force and current and current == indicator.computed_from:
        return False
    try:
        computed = indicator_sources.compute(indicator.source_kind, indicator.definition)
    except indicator_sources.DefinitionError:
        return False
    if computed.replaces_series:
        indicator.measurements.filter(is_computed=True).delete()
    for value in computed.values:
        Measurement.objects.update_or_create(
            indicator=indicator,
            measured_on=value.measured_on,
            defaults={"value": value.value, "source": value.source, "is_computed": True, "note": ""},
        )
    indicator.computed_from = computed.fingerprint
    indicator.refreshed_at = timezone.now()
    indicator.save(update_fields=["computed_from", "refreshed_at", "updated_at"])
    return True


def indicators_refresh(*, programme: Programme | None = None, force: bool = False) -> int:
    """Refresh the computed indicators of one programme (or of every programme that is not
    archived); returns how many were recomputed. Called on reading the programme's pages and
    daily by `manage.py refresh_indicators`."""
    indicators = Indicator.objects.exclude(source_kind=IndicatorSource.MANUAL).select_related("programme")
    if programme is not None:
        indicators = indicators.filter(programme=programme)
    else:
        indicators = indicators.exclude(programme__status=ProgrammeStatus.ARCHIVED)
    return sum(indicator_refresh(indicator=indicator, force=force) for indicator in indicators)


# --- Monitoring -------------------------------------------------------------------------------------


@dataclass
class RoundData:
    name: str
    period_end: datetime.date
    due_on: datetime.date | None = None


@transaction.atomic
def round_create(*, actor: Any, programme: Programme, data: RoundData) -> MonitoringRound:
    """Open a monitoring round; the programme moves to monitoring. Raises NOT_ALLOWED, NOT_MONITORABLE."""
    policies.require(policies.can_edit_programme(actor, programme))
    if programme.status not in workflow.MONITORABLE:
        raise _error(PlanningErrorCode.NOT_MONITORABLE)
    monitoring_round = MonitoringRound(
        programme=programme, name=data.name, period_end=data.period_end, due_on=data.due_on
    )
    monitoring_round.full_clean()
    monitoring_round.save()
    if programme.status == ProgrammeStatus.ADOPTED:
        programme.status = ProgrammeStatus.MONITORING
        programme.save(update_fields=["status", "updated_at"])
    _record(actor=actor, action="planning.round_created", obj=monitoring_round, programme=programme)
    return monitoring_round


@transaction.atomic
def measure_report(
    *, actor: Any, monitoring_round: MonitoringRound, measure: Measure, status: str, comment: str
) -> MeasureUpdate:
    """A responsible organisation reports on its own measure in an open round; the measure's
    current status follows. Raises NOT_ALLOWED, ROUND_CLOSED."""
    policies.require(measure.programme_id == monitoring_round.programme_id)
    policies.require(policies.can_update_measure(actor, measure))
    if not monitoring_round.is_open:
        raise _error(PlanningErrorCode.ROUND_CLOSED)
    if status not in MeasureStatus.values:
        raise _error(PlanningErrorCode.NOT_ALLOWED, field="status")
    update = MeasureUpdate.objects.filter(monitoring_round=monitoring_round, measure=measure).first()
    before = {"status": update.status, "comment": update.comment} if update else {}
    update = update or MeasureUpdate(monitoring_round=monitoring_round, measure=measure)
    update.status, update.comment, update.updated_by = status, comment, actor
    update.full_clean()
    update.save()
    measure.status, measure.status_comment = status, comment
    measure.save(update_fields=["status", "status_comment", "updated_at"])
    _record(
        actor=actor,
        action="planning.measure_reported",
        obj=update,
        programme=measure.programme,
        changes=audit.changes_between(before, {"status": status, "comment": comment}),
    )
    return update


def _round_snapshot(monitoring_round: MonitoringRound) -> dict[str, Any]:
    programme = monitoring_round.programme
    reports = {u.measure_id: u for u in monitoring_round.updates.all()}
    measures = [
        {
            "key": str(measure.key),
            "title": measure.title,
            "organisation": measure.responsible_organisation.name,
            "status": reports[measure.pk].status if measure.pk in reports else measure.status,
            "comment": reports[measure.pk].comment if measure.pk in reports else "",
            "reported": measure.pk in reports,
        }
        for measure in programme.measures.select_related("responsible_organisation")
    ]
    indicators = []
    for indicator in programme.indicators.prefetch_related("measurements"):
        latest = [m for m in indicator.measurements.all() if m.measured_on <= monitoring_round.period_end]
        last = latest[-1] if latest else None
        indicators.append(
            {
                "key": str(indicator.key),
                "name": indicator.name,
                "unit": indicator.unit,
                "value": str(last.value) if last else None,
                "measured_on": last.measured_on.isoformat() if last else None,
                "target": str(indicator.target_value) if indicator.target_value is not None else None,
            }
        )
    return {"measures": measures, "indicators": indicators}


@transaction.atomic
def round_compile(*, actor: Any, monitoring_round: MonitoringRound, summary: str) -> MonitoringRound:
    """Close the round and freeze what it found. Raises NOT_ALLOWED, ROUND_CLOSED."""
    programme = monitoring_round.programme
    policies.require(policies.can_edit_programme(actor, programme))
    if not monitoring_round.is_open:
        raise _error(PlanningErrorCode.ROUND_CLOSED)
    indicators_refresh(programme=programme)
    monitoring_round.snapshot = _round_snapshot(monitoring_round)
    monitoring_round.summary = summary
    monitoring_round.status = RoundStatus.COMPILED
    monitoring_round.compiled_at = timezone.now()
    monitoring_round.compiled_by = actor
    monitoring_round.save()
    _record(actor=actor, action="planning.round_compiled", obj=monitoring_round, programme=programme)
    return monitoring_round

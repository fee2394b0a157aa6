"""Read use-cases of the programme: access-scoped fetching, the monitoring dashboard and the public
page. A programme the user may not see is a 404, the same as one that does not exist."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kotoverkko.core.models import AuditEvent

from . import links, policies
from .enums import IndicatorDirection, MeasureStatus, RoundStatus
from .models import (
    ChecklistStep,
    Goal,
    Indicator,
    Measure,
    Measurement,
    MeasureUpdate,
    MonitoringRound,
    Programme,
)


def programme_list_for_user(*, user: Any) -> QuerySet[Programme]:
    return (
        policies.programmes_visible_to(user)
        .select_related("owner")
        .order_by("-starts_year", "owner__sort_name", "-version_number", "pk")
    )


def programme_list_public() -> QuerySet[Programme]:
    return (
        policies.programmes_public()
        .select_related("owner")
        .order_by("-starts_year", "owner__sort_name", "pk")
    )


def programme_get_for_user(*, user: Any, programme_id: int) -> Programme:
    return get_object_or_404(programme_list_for_user(user=user), pk=programme_id)


def programme_get_for_editor(*, user: Any, programme_id: int) -> Programme:
    programme = programme_get_for_user(user=user, programme_id=programme_id)
    if not policies.can_edit_programme(user, programme):
        raise Http404
    return programme


def programme_get_public(*, programme_id: int) -> Programme:
    return get_object_or_404(programme_list_public(), pk=programme_id)


def programme_get_for_monitoring(*, user: Any, programme_id: int) -> Programme:
    programme = programme_get_for_user(user=user, programme_id=programme_id)
    if not policies.can_view_monitoring(user, programme):
        raise Http404
    return programme


def _owned_by_editor(user: Any, queryset: QuerySet[Any], pk: int) -> Any:
    obj = get_object_or_404(queryset.select_related("programme", "programme__owner"), pk=pk)
    if not policies.can_edit_programme(user, obj.programme):
        raise Http404
    return obj


def step_get_for_editor(*, user: Any, step_id: int) -> ChecklistStep:
    return _owned_by_editor(user, ChecklistStep.objects.all(), step_id)


def goal_get_for_editor(*, user: Any, goal_id: int) -> Goal:
    return _owned_by_editor(user, Goal.objects.all(), goal_id)


def measure_get_for_editor(*, user: Any, measure_id: int) -> Measure:
    return _owned_by_editor(user, Measure.objects.all(), measure_id)


def indicator_get_for_editor(*, user: Any, indicator_id: int) -> Indicator:
    return _owned_by_editor(user, Indicator.objects.all(), indicator_id)


def round_get_for_user(*, user: Any, round_id: int) -> MonitoringRound:
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.select_related("programme", "programme__owner"), pk=round_id
    )
    if not policies.can_view_round(user, monitoring_round):
        raise Http404
    return monitoring_round


def measure_get_for_reporter(*, user: Any, monitoring_round: MonitoringRound, measure_id: int) -> Measure:
    """A measure of the round's programme that the user's organisation is responsible for."""
    measures = policies.measures_updatable_by(user, monitoring_round.programme)
    return get_object_or_404(measures.select_related("programme", "responsible_organisation"), pk=measure_id)


# --- The programme's content ------------------------------------------------------------------------


@dataclass
class StepView:
    step: ChecklistStep
    url: str


def checklist(programme: Programme, *, can_edit: bool = True) -> list[StepView]:
    """The programme's checklist steps, each with where it is done (as far as the reader may go)."""
    steps = programme.checklist_steps.select_related("owner_organisation").prefetch_related(
        "legal_provisions"
    )
    return [StepView(step, links.step_url(programme, step.link_target, can_edit=can_edit)) for step in steps]


def goals_of(programme: Programme) -> list[Goal]:
    return list(programme.goals.prefetch_related("valko_goals"))


def measures_of(programme: Programme) -> list[Measure]:
    return list(
        programme.measures.select_related("goal", "responsible_organisation").prefetch_related(
            "partners", "listings"
        )
    )


def indicators_of(programme: Programme) -> list[Indicator]:
    return list(
        programme.indicators.select_related("goal").prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))
        )
    )


def versions_of(programme: Programme) -> list[Programme]:
    return list(Programme.objects.filter(series=programme.series).order_by("version_number"))


def history_of(programme: Programme) -> QuerySet[AuditEvent]:
    """The audit trail of the programme version and its content (no names: actors are ids)."""
    ids = {
        "planning.programme": [programme.pk],
        "planning.goal": list(programme.goals.values_list("pk", flat=True)),
        "planning.measure": list(programme.measures.values_list("pk", flat=True)),
        "planning.indicator": list(programme.indicators.values_list("pk", flat=True)),
        "planning.checkliststep": list(programme.checklist_steps.values_list("pk", flat=True)),
        "planning.monitoringround": list(programme.monitoring_rounds.values_list("pk", flat=True)),
    }
    events = AuditEvent.objects.none()
    for object_type, pks in ids.items():
        events = events | AuditEvent.objects.filter(
            object_type=object_type, object_id__in=[str(pk) for pk in pks]
        )
    return events.filter(action__startswith="planning.").order_by("-occurred_at", "-pk")


# --- Monitoring -------------------------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    indicator: Indicator
    latest: Measurement | None
    on_track: bool | None  # None: no value or no target

    @property
    def measurements(self) -> list[Measurement]:
        return list(self.indicator.measurements.all())


def _on_track(indicator: Indicator, latest: Measurement | None) -> bool | None:
    if latest is None or indicator.target_value is None:
        return None
    if indicator.direction == IndicatorDirection.INCREASE:
        return latest.value >= indicator.target_value
    if indicator.direction == IndicatorDirection.DECREASE:
        return latest.value <= indicator.target_value
    baseline = indicator.baseline_value if indicator.baseline_value is not None else indicator.target_value
    tolerance = abs(baseline) * Decimal("0.05")
    return abs(latest.value - indicator.target_value) <= tolerance


def indicator_progress(programme: Programme) -> list[IndicatorProgress]:
    progress = []
    for indicator in indicators_of(programme):
        values = list(indicator.measurements.all())
        latest = values[-1] if values else None
        progress.append(IndicatorProgress(indicator, latest, _on_track(indicator, latest)))
    return progress


@dataclass
class MeasureRow:
    measure: Measure
    status: str
    status_label: str
    comment: str
    reported: bool
    can_update: bool = False


@dataclass
class Dashboard:
    programme: Programme
    monitoring_round: MonitoringRound | None
    rows: list[MeasureRow]
    status_counts: list[tuple[str, str, int]] = field(default_factory=list)
    indicators: list[IndicatorProgress] = field(default_factory=list)

    @property
    def reported_count(self) -> int:
        return sum(1 for row in self.rows if row.reported)


def rounds_of(programme: Programme) -> list[MonitoringRound]:
    return list(programme.monitoring_rounds.order_by("-period_end", "-pk"))


def latest_compiled_round(programme: Programme) -> MonitoringRound | None:
    return (
        programme.monitoring_rounds.filter(status=RoundStatus.COMPILED).order_by("-period_end", "-pk").first()
    )


def measure_rows(
    programme: Programme, monitoring_round: MonitoringRound | None, *, user: Any = None
) -> list[MeasureRow]:
    """Every measure with its status in the round: the organisation's report when it gave one, else
    the measure's current status. Without a round, the current statuses."""
    reports: dict[int, MeasureUpdate] = {}
    if monitoring_round is not None:
        reports = {u.measure_id: u for u in monitoring_round.updates.all()}
    updatable: set[int] = set()
    if user is not None and monitoring_round is not None and monitoring_round.is_open:
        updatable = set(policies.measures_updatable_by(user, programme).values_list("pk", flat=True))
    labels = dict(MeasureStatus.choices)
    rows = []
    for measure in measures_of(programme):
        report = reports.get(measure.pk)
        status = report.status if report else measure.status
        if monitoring_round is not None and not monitoring_round.is_open and report is None:
            snapshot = {item["key"]: item for item in monitoring_round.snapshot.get("measures", [])}
            status = snapshot.get(str(measure.key), {}).get("status", status)
        rows.append(
            MeasureRow(
                measure=measure,
                status=status,
                status_label=str(labels.get(status, status)),
                comment=report.comment
                if report
                else (measure.status_comment if monitoring_round is None else ""),
                reported=report is not None,
                can_update=measure.pk in updatable,
            )
        )
    return rows


def status_counts(rows: list[MeasureRow]) -> list[tuple[str, str, int]]:
    counts = Counter(row.status for row in rows)
    return [(value, str(label), counts.get(value, 0)) for value, label in MeasureStatus.choices]


def dashboard(
    *, programme: Programme, monitoring_round: MonitoringRound | None, user: Any = None
) -> Dashboard:
    rows = measure_rows(programme, monitoring_round, user=user)
    return Dashboard(
        programme=programme,
        monitoring_round=monitoring_round,
        rows=rows,
        status_counts=status_counts(rows),
        indicators=indicator_progress(programme),
    )


def public_page(*, programme: Programme) -> Dashboard:
    """The public page shows the statuses of the latest compiled round (never an open one)."""
    return dashboard(programme=programme, monitoring_round=latest_compiled_round(programme))

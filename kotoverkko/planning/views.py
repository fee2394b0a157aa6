"""The coordinator's and the organisations' programme pages. Thin: parse → selector/policy →
service → render. Objects the user may not see or change are 404s; pages a user's role does not
reach are 403s."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.pagination import paginate

from . import charts, diff, forms, policies, selectors, services, workflow
from .enums import ProgrammeStatus
from .models import ChecklistStepTemplate, ChecklistTemplate, Programme


def _detail(programme: Programme, anchor: str = "") -> HttpResponse:
    return redirect(reverse("planning:detail", args=[programme.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    programmes = paginate(request, selectors.programme_list_for_user(user=request.user))
    context = {"page": programmes, "can_create": policies.can_create_programme(request.user)}
    return render(request, "planning/index.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not policies.can_create_programme(request.user):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, data=form.programme_data())
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The programme was created."))
            return _detail(programme)
    return render(request, "planning/programme_form.html", {"form": form, "programme": None})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, programme_id=pk)
    services.indicators_refresh(programme=programme)
    can_edit = policies.can_edit_programme(request.user, programme)
    context = {
        "programme": programme,
        "can_edit": can_edit,
        "content_editable": can_edit and programme.status in workflow.EDITABLE_CONTENT,
        "can_revise": can_edit and programme.status in workflow.REVISABLE,
        "can_monitor": policies.can_view_monitoring(request.user, programme),
        "next_statuses": [
            (status, ProgrammeStatus(status).label)
            for status in workflow.next_statuses(programme.status)
            if status != ProgrammeStatus.ADOPTED
        ],
        "can_adopt": can_edit and workflow.can_transition(programme.status, ProgrammeStatus.ADOPTED),
        "steps": selectors.checklist(programme, can_edit=can_edit),
        "goals": selectors.goals_of(programme),
        "measures": selectors.measures_of(programme),
        "indicators": selectors.indicator_progress(programme),
        "versions": selectors.versions_of(programme),
        "rounds": selectors.rounds_of(programme),
    }
    return render(request, "planning/programme_detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.ProgrammeForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=programme, data=form.programme_data())
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return _detail(programme)
    return render(request, "planning/programme_form.html", {"form": form, "programme": programme})


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    try:
        services.programme_transition(
            actor=request.user, programme=programme, status=request.POST.get("status", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The status of the programme was changed."))
    return _detail(programme)


@login_required
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_transition(
                actor=request.user,
                programme=programme,
                status=ProgrammeStatus.ADOPTED,
                adoption=form.adoption_data(),
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The decision was recorded and the programme is adopted."))
            return _detail(programme)
    return render(request, "planning/adopt.html", {"form": form, "programme": programme})


@login_required
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    try:
        revision = services.programme_revise(actor=request.user, programme=programme)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _detail(programme)
    messages.success(request, _("A new version was started from the adopted programme."))
    return _detail(revision)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, programme_id=pk)
    versions = [
        v
        for v in selectors.versions_of(programme)
        if v.pk in set(selectors.programme_list_for_user(user=request.user).values_list("pk", flat=True))
    ]
    other_id = request.GET.get("with") or programme.previous_version_id
    other = next((v for v in versions if str(v.pk) == str(other_id) and v.pk != programme.pk), None)
    sections = []
    if other is not None:
        before, after = sorted([other, programme], key=lambda v: v.version_number)
        sections = diff.programme_diff(before=before, after=after)
    else:
        before = after = None
    context = {
        "programme": programme,
        "versions": versions,
        "before": before,
        "after": after,
        "sections": sections,
    }
    return render(request, "planning/compare.html", context)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    page = paginate(request, selectors.history_of(programme), per_page=50)
    return render(request, "planning/history.html", {"programme": programme, "page": page})


# --- Checklist ----------------------------------------------------------------------------------------


@login_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.step_get_for_editor(user=request.user, step_id=pk)
    form = forms.StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        services.checklist_step_update(actor=request.user, step=step, values=form.cleaned_data)
        messages.success(request, _("The checklist step was saved."))
        return _detail(step.programme, "checklist")
    return render(
        request, "planning/step_form.html", {"form": form, "step": step, "programme": step.programme}
    )


# --- Content ------------------------------------------------------------------------------------------


def _content_form(
    request: HttpRequest, *, programme: Programme, obj: Any, form: Any, save: Any, kind: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, programme=programme, values=form.values(), **{kind: obj})
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _detail(programme, f"{kind}s")
    context = {"form": form, "programme": programme, "object": obj, "kind": kind}
    return render(request, "planning/content_form.html", context)


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.GoalForm(request.POST or None)
    return _content_form(
        request, programme=programme, obj=None, form=form, save=services.goal_save, kind="goal"
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get_for_editor(user=request.user, goal_id=pk)
    form = forms.GoalForm(request.POST or None, goal=goal)
    return _content_form(
        request, programme=goal.programme, obj=goal, form=form, save=services.goal_save, kind="goal"
    )


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.MeasureForm(request.POST or None, programme=programme)
    return _content_form(
        request, programme=programme, obj=None, form=form, save=services.measure_save, kind="measure"
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get_for_editor(user=request.user, measure_id=pk)
    form = forms.MeasureForm(request.POST or None, programme=measure.programme, measure=measure)
    return _content_form(
        request,
        programme=measure.programme,
        obj=measure,
        form=form,
        save=services.measure_save,
        kind="measure",
    )


@login_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.IndicatorForm(request.POST or None, programme=programme)
    return _content_form(
        request, programme=programme, obj=None, form=form, save=services.indicator_save, kind="indicator"
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_editor(user=request.user, indicator_id=pk)
    form = forms.IndicatorForm(request.POST or None, programme=indicator.programme, indicator=indicator)
    return _content_form(
        request,
        programme=indicator.programme,
        obj=indicator,
        form=form,
        save=services.indicator_save,
        kind="indicator",
    )


def _delete(request: HttpRequest, obj: Any, anchor: str) -> HttpResponse:
    try:
        services.content_delete(actor=request.user, obj=obj)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed."))
    return _detail(obj.programme, anchor)


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, selectors.goal_get_for_editor(user=request.user, goal_id=pk), "goals")


@login_required
@require_POST
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, selectors.measure_get_for_editor(user=request.user, measure_id=pk), "measures")


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(
        request, selectors.indicator_get_for_editor(user=request.user, indicator_id=pk), "indicators"
    )


@login_required
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_editor(user=request.user, indicator_id=pk)
    form = forms.MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_add(actor=request.user, indicator=indicator, data=form.measurement_data())
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The value was recorded."))
            return _detail(indicator.programme, "indicators")
    context = {"form": form, "indicator": indicator, "programme": indicator.programme}
    return render(request, "planning/measurement_form.html", context)


@login_required
@require_POST
def indicator_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_editor(user=request.user, indicator_id=pk)
    if services.indicator_refresh(indicator=indicator, force=True):
        messages.success(request, _("The indicator was computed again from its data."))
    else:
        messages.error(request, _("The indicator's data is not available."))
    return _detail(indicator.programme, "indicators")


# --- Monitoring ---------------------------------------------------------------------------------------


@login_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_editor(user=request.user, programme_id=pk)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_round = services.round_create(
                actor=request.user, programme=programme, data=form.round_data()
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The monitoring round was opened."))
            return redirect("planning:round_detail", pk=monitoring_round.pk)
    return render(request, "planning/round_form.html", {"form": form, "programme": programme})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = selectors.round_get_for_user(user=request.user, round_id=pk)
    programme = monitoring_round.programme
    context = {
        "programme": programme,
        "monitoring_round": monitoring_round,
        "rows": selectors.measure_rows(programme, monitoring_round, user=request.user),
        "can_compile": monitoring_round.is_open and policies.can_edit_programme(request.user, programme),
        "compile_form": forms.CompileForm(),
    }
    return render(request, "planning/round_detail.html", context)


@login_required
def measure_report(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    monitoring_round = selectors.round_get_for_user(user=request.user, round_id=pk)
    measure = selectors.measure_get_for_reporter(
        user=request.user, monitoring_round=monitoring_round, measure_id=measure_pk
    )
    existing = monitoring_round.updates.filter(measure=measure).first()
    initial = (
        {"status": existing.status, "comment": existing.comment} if existing else {"status": measure.status}
    )
    form = forms.ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_report(
                actor=request.user, monitoring_round=monitoring_round, measure=measure, **form.cleaned_data
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The status of the measure was saved."))
            return redirect("planning:round_detail", pk=monitoring_round.pk)
    context = {
        "form": form,
        "monitoring_round": monitoring_round,
        "measure": measure,
        "programme": monitoring_round.programme,
    }
    return render(request, "planning/report_form.html", context)


@login_required
@require_POST
def round_compile(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring_round = selectors.round_get_for_user(user=request.user, round_id=pk)
    if not policies.can_edit_programme(request.user, monitoring_round.programme):
        raise PermissionDenied
    form = forms.CompileForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        services.round_compile(actor=request.user, monitoring_round=monitoring_round, summary=summary)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The monitoring round was compiled."))
    return redirect("planning:round_detail", pk=monitoring_round.pk)


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_monitoring(user=request.user, programme_id=pk)
    services.indicators_refresh(programme=programme)
    rounds = selectors.rounds_of(programme)
    chosen = next((r for r in rounds if str(r.pk) == request.GET.get("round")), rounds[0] if rounds else None)
    board = selectors.dashboard(programme=programme, monitoring_round=chosen, user=request.user)
    context = {
        "programme": programme,
        "board": board,
        "rounds": rounds,
        "chosen": chosen,
        "charts": [(item, charts.indicator_chart(item.indicator)) for item in board.indicators],
    }
    return render(request, "planning/dashboard.html", context)


# --- Checklist templates (platform admin) ---------------------------------------------------------------


def _require_checklist_admin(request: HttpRequest) -> None:
    if not policies.can_manage_checklists(request.user):
        raise PermissionDenied


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    _require_checklist_admin(request)
    templates = ChecklistTemplate.objects.prefetch_related("steps__legal_provisions")
    return render(request, "planning/checklists.html", {"templates": templates})


@login_required
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_checklist_admin(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    form = forms.TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        services.checklist_template_update(actor=request.user, template=template, values=form.values())
        messages.success(request, _("The checklist was saved."))
        return redirect("planning:checklists")
    return render(request, "planning/checklist_form.html", {"form": form, "template": template})


@login_required
def checklist_step_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_checklist_admin(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    return _template_step_form(request, template=template, step=None)


@login_required
def checklist_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_checklist_admin(request)
    step = get_object_or_404(ChecklistStepTemplate.objects.select_related("template"), pk=pk)
    return _template_step_form(request, template=step.template, step=step)


def _template_step_form(
    request: HttpRequest, *, template: ChecklistTemplate, step: ChecklistStepTemplate | None
) -> HttpResponse:
    form = forms.TemplateStepForm(request.POST or None, step=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_template_step_save(
                actor=request.user,
                template=template,
                step=step,
                key=form.cleaned_data.get("key") or "",
                values=form.values(),
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The checklist step was saved."))
            return redirect("planning:checklists")
    return render(
        request, "planning/checklist_step_form.html", {"form": form, "template": template, "step": step}
    )

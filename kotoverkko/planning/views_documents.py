"""Document downloads (programme, monitoring round, kotoutumisohjelma description as DOCX/PDF) and
the pages where the coordinator writes the kotoutumisohjelma description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kotoverkko.core.errors import ApplicationError, PermissionDeniedError
from kotoverkko.core.forms import add_application_error

from .documents import access, builder, docx_renderer, pdf_renderer
from .documents import initial_phase as initial_phase_services
from .documents.model import Document
from .models import InitialPhaseElement, InitialPhasePlan, InitialPhasePlanStatus, MonitoringRound

RENDERERS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "docx": (docx_renderer.render_docx, docx_renderer.CONTENT_TYPE),
    "pdf": (pdf_renderer.render_pdf, pdf_renderer.CONTENT_TYPE),
}


def _download(content: Document, file_format: str, *, public: bool) -> HttpResponse:
    render_bytes, content_type = RENDERERS[file_format]
    response = HttpResponse(render_bytes(content), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{content.filename_stem}.{file_format}"
    )
    if not public:
        patch_cache_control(response, private=True, no_store=True)
    return response


# --- Programme and monitoring round --------------------------------------------------------------------


@require_safe
def document_programme(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    programme = get_object_or_404(access.programmes_readable_by(request.user).select_related("owner"), pk=pk)
    language = builder.document_language(request.GET.get("language"))
    content = builder.programme_document(programme, language=language)
    return _download(content, file_format, public=programme.is_public)


@require_safe
def document_round(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.select_related("programme__owner"),
        pk=pk,
        programme__in=access.programmes_readable_by(request.user),
    )
    if not access.can_read_round(request.user, monitoring_round):
        raise Http404
    language = builder.document_language(request.GET.get("language"))
    content = builder.round_document(monitoring_round, language=language)
    return _download(content, file_format, public=not monitoring_round.is_open)


# --- The kotoutumisohjelma description -----------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _plan_for_editor(request: HttpRequest, pk: int) -> InitialPhasePlan:
    plan = initial_phase_services.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.can_edit_initial_phase_plan(request.user, plan):
        raise PermissionDenied
    return plan


@require_safe
def document_initial_phase_list(request: HttpRequest) -> HttpResponse:
    context = {
        "plans": initial_phase_services.plans_for_user(request.user),
        "can_create": access.can_create_initial_phase_plan(request.user),
    }
    return render(request, "planning/documents/initial_phase/list.html", context)


@require_safe
def document_initial_phase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = initial_phase_services.plan_get_for_user(user=request.user, plan_id=pk)
    matrix = initial_phase_services.plan_matrix(plan)
    context = {
        "plan": plan,
        "matrix": matrix,
        "missing": initial_phase_services.missing_cells(matrix),
        "can_edit": access.can_edit_initial_phase_plan(request.user, plan),
        "municipalities": plan.municipalities.order_by("name_fi"),
    }
    response = render(request, "planning/documents/initial_phase/detail.html", context)
    return response if plan.is_published else _private(response)


def _plan_values(form: initial_phase_services.PlanForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "introduction": data["introduction"],
        "municipalities": data["municipalities"],
        "valid_from": data["valid_from"],
        "valid_until": data["valid_until"],
    }


@login_required
def document_initial_phase_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_initial_phase_plan(request.user):
        raise PermissionDenied
    owners = access.owners_for_initial_phase_plans(request.user)
    form = initial_phase_services.PlanForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            plan = initial_phase_services.plan_create(
                owner=form.cleaned_data["owner"], actor=request.user, **_plan_values(form)
            )
        except PermissionDeniedError as error:
            raise PermissionDenied from error
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The description was created as a draft. Fill in the organisers."))
            return redirect("planning:document_initial_phase_detail", pk=plan.pk)
    return _private(
        render(request, "planning/documents/initial_phase/form.html", {"form": form, "plan": None})
    )


@login_required
def document_initial_phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_editor(request, pk)
    form = initial_phase_services.PlanForm(
        request.POST or None, owners=access.owners_for_initial_phase_plans(request.user), plan=plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            initial_phase_services.plan_update(plan=plan, actor=request.user, **_plan_values(form))
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The description was saved."))
            return redirect("planning:document_initial_phase_detail", pk=plan.pk)
    return _private(
        render(request, "planning/documents/initial_phase/form.html", {"form": form, "plan": plan})
    )


@login_required
def document_initial_phase_cell(request: HttpRequest, pk: int, element: int, group: int) -> HttpResponse:
    plan = _plan_for_editor(request, pk)
    element_obj = get_object_or_404(InitialPhaseElement, pk=element)
    group_obj = initial_phase_services.client_group_get(group)
    existing = plan.responsibilities.filter(element=element_obj, client_group=group_obj).first()
    organisations = initial_phase_services.organiser_choices(plan, request.user)
    form = initial_phase_services.ResponsibilityForm(
        request.POST or None, organisations=organisations, responsibility=existing
    )
    if request.method == "POST" and form.is_valid():
        try:
            initial_phase_services.responsibility_set(
                plan=plan,
                element=element_obj,
                client_group=group_obj,
                actor=request.user,
                organiser=form.cleaned_data["organiser"],
                partners=form.cleaned_data["partners"],
                delivery=form.cleaned_data["delivery"],
                notes=form.cleaned_data["notes"],
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The responsibility was saved."))
            return redirect(f"{plan_url(plan)}#element-{element_obj.pk}")
    context = {"plan": plan, "element": element_obj, "group": group_obj, "form": form}
    return _private(render(request, "planning/documents/initial_phase/cell.html", context))


def plan_url(plan: InitialPhasePlan) -> str:
    return reverse("planning:document_initial_phase_detail", kwargs={"pk": plan.pk})


@require_POST
@login_required
def document_initial_phase_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_editor(request, pk)
    status = request.POST.get("status", "")
    if status not in InitialPhasePlanStatus.values:
        messages.error(request, _("Choose a status."))
        return redirect("planning:document_initial_phase_detail", pk=plan.pk)
    initial_phase_services.plan_set_status(plan=plan, actor=request.user, status=status)
    messages.success(request, _("The status is now: %(status)s.") % {"status": plan.get_status_display()})
    return redirect("planning:document_initial_phase_detail", pk=plan.pk)


@require_safe
def document_initial_phase_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    plan = initial_phase_services.plan_get_for_user(user=request.user, plan_id=pk)
    language = builder.document_language(request.GET.get("language"))
    content = builder.initial_phase_document(plan, language=language)
    return _download(content, file_format, public=plan.is_published)

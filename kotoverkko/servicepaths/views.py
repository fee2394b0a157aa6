"""HTML views of service paths (thin: parse → selector/policy → service → render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.reference.models import Municipality

from . import policies, selectors, services
from .forms import ClientGroupForm, PathCreateForm, PathForm, StepDetailsForm, StepForm
from .models import ClientGroup, ServicePath, ServiceStep


def path_index(request: HttpRequest) -> HttpResponse:
    paths = selectors.path_list_for_user(user=request.user)
    codes = {path.municipality_id for path in paths} | {
        m.code for path in paths for m in path.municipalities.all()
    }
    context = {
        "paths": paths,
        "areas": Municipality.objects.filter(code__in=codes).order_by("name_fi"),
        "can_create": policies.can_create_path(request.user),
        "can_manage_groups": policies.can_manage_client_groups(request.user),
    }
    return render(request, "servicepaths/path_index.html", context)


def _matrix_context(request: HttpRequest, code: str) -> dict:
    municipality = get_object_or_404(Municipality, code=code)
    return {"matrix": selectors.who_does_what(user=request.user, municipality=municipality)}


def who_does_what(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "servicepaths/who_does_what.html", _matrix_context(request, code))


def who_does_what_print(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "servicepaths/who_does_what_print.html", _matrix_context(request, code))


@login_required
def gap_overview(request: HttpRequest) -> HttpResponse:
    if not policies.can_create_path(request.user):
        raise PermissionDenied
    summaries = selectors.gap_overview_for_editor(user=request.user)
    return render(request, "servicepaths/gap_overview.html", {"summaries": summaries})


def _path_context(request: HttpRequest, path: ServicePath) -> dict:
    steps = selectors.path_step_views(path, user=request.user)
    return {
        "path": path,
        "steps": steps,
        "gaps": [gap for view in steps for gap in view.gaps],
        "area": selectors.area_municipalities(path),
        "reference_date": selectors.path_reference_date(path),
        "can_edit": policies.can_edit_path(request.user, path),
    }


def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_get_for_user(user=request.user, path_id=pk)
    return render(request, "servicepaths/path_detail.html", _path_context(request, path))


def path_print(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_get_for_user(user=request.user, path_id=pk)
    return render(request, "servicepaths/path_print.html", _path_context(request, path))


@login_required
def path_create(request: HttpRequest) -> HttpResponse:
    codes = policies.municipality_codes_editable_by(request.user)
    if codes is not None and not codes:
        raise PermissionDenied
    municipalities = Municipality.objects.current().order_by("name_fi")
    if codes is not None:
        municipalities = municipalities.filter(code__in=codes)
    form = PathCreateForm(
        request.POST or None, municipalities=municipalities, groups=selectors.client_groups()
    )
    if request.method == "POST" and form.is_valid():
        try:
            path = services.path_create(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                client_group=form.cleaned_data["client_group"],
                template_key=form.template_key(on=timezone.localdate()),
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The service path was created."))
            return redirect("servicepaths:detail", pk=path.pk)
    return render(request, "servicepaths/path_create.html", {"form": form})


@login_required
def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_get_for_editor(user=request.user, path_id=pk)
    form = PathForm(request.POST or None, path=path)
    if request.method == "POST" and form.is_valid():
        try:
            services.path_update(path=path, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("servicepaths:detail", pk=path.pk)
    return render(request, "servicepaths/path_form.html", {"form": form, "path": path})


@login_required
def path_delete(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_get_for_editor(user=request.user, path_id=pk)
    if request.method == "POST":
        services.path_delete(path=path, actor=request.user)
        messages.success(request, _("The service path was removed."))
        return redirect("servicepaths:index")
    return render(request, "servicepaths/confirm_delete.html", {"path": path, "step": None})


def _step_form(request: HttpRequest, path: ServicePath, step: ServiceStep | None) -> StepForm:
    return StepForm(
        request.POST or None,
        path=path,
        step=step,
        organisations=selectors.organisations_for_area(user=request.user, path=path),
        provisions=selectors.legal_provisions(),
    )


@login_required
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_get_for_editor(user=request.user, path_id=pk)
    form = _step_form(request, path, None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_create(path=path, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The step was added."))
            return redirect("servicepaths:detail", pk=path.pk)
    return render(request, "servicepaths/step_form.html", {"form": form, "path": path, "step": None})


def _editable_step(request: HttpRequest, pk: int) -> ServiceStep:
    step = selectors.step_get_for_user(user=request.user, step_id=pk)
    if not policies.can_edit_step_details(request.user, step):
        raise Http404
    return step


@login_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = _editable_step(request, pk)
    full = policies.can_edit_path(request.user, step.path)
    form = _step_form(request, step.path, step) if full else StepDetailsForm(request.POST or None, step=step)
    if request.method == "POST" and form.is_valid():
        try:
            if full:
                services.step_update(step=step, data=form.to_data(), actor=request.user)
            else:
                data = form.cleaned_data
                services.step_update_details(
                    step=step,
                    description=data["description"],
                    contact_point=data["contact_point"],
                    actor=request.user,
                )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(f"{step.path.get_absolute_url()}#step-{step.pk}")
    context = {"form": form, "path": step.path, "step": step, "full": full}
    return render(request, "servicepaths/step_form.html", context)


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.step_get_for_user(user=request.user, step_id=pk)
    if not policies.can_edit_path(request.user, step.path):
        raise Http404
    services.step_move(step=step, up=request.POST.get("direction") == "up", actor=request.user)
    return redirect(f"{step.path.get_absolute_url()}#step-{step.pk}")


@login_required
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.step_get_for_user(user=request.user, step_id=pk)
    if not policies.can_edit_path(request.user, step.path):
        raise Http404
    if request.method == "POST":
        services.step_delete(step=step, actor=request.user)
        messages.success(request, _("The step was removed."))
        return redirect("servicepaths:detail", pk=step.path_id)
    return render(request, "servicepaths/confirm_delete.html", {"path": step.path, "step": step})


@login_required
def client_group_list(request: HttpRequest) -> HttpResponse:
    if not policies.can_manage_client_groups(request.user):
        raise PermissionDenied
    groups = ClientGroup.objects.order_by("position", "slug")
    return render(request, "servicepaths/client_group_list.html", {"groups": groups})


@login_required
def client_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.can_manage_client_groups(request.user):
        raise PermissionDenied
    group = get_object_or_404(ClientGroup, pk=pk)
    form = ClientGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_group_update(group=group, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("servicepaths:client_groups")
    return render(request, "servicepaths/client_group_form.html", {"form": form, "group": group})

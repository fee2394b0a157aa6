from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.accounts import services as account_services
from kotoverkko.accounts.policies import grantable_roles
from kotoverkko.accounts.roles import Permission
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.htmx import render_page_or_fragment
from kotoverkko.core.pagination import paginate

from . import policies, selectors, services
from .forms import AuditFilterForm, InvitationForm, OrganisationForm, OrganisationSearchForm, RoleChangeForm


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = selectors.organisation_list_public(filters=form.filters())
    context = {
        "form": form,
        "page": paginate(request, organisations),
        "can_create": _can_create(request.user),
    }
    return render_page_or_fragment(request, "organisations/organisation_list.html", context)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    context = {
        "organisation": organisation,
        "can_edit": policies.can_edit_organisation(request.user, organisation),
        "can_view_members": policies.can_view_members(request.user, organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)


def _can_create(user: Any) -> bool:
    """Platform admins add any organisation; an organisation's admins add its units."""
    if not user.is_authenticated:
        return False
    return (
        policies.can_create_organisation(user)
        or policies.organisations_with(user, Permission.EDIT_ORGANISATION).exists()
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    parents = policies.organisations_with(request.user, Permission.EDIT_ORGANISATION)
    if not _can_create(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_editor(user=request.user, organisation_id=pk)
    parents = policies.organisations_with(request.user, Permission.EDIT_ORGANISATION)
    form = OrganisationForm(request.POST or None, parents=parents, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request, "organisations/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_member(user=request.user, organisation_id=pk)
    roles = grantable_roles(request.user, organisation)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST":
        if not roles:
            raise PermissionDenied
        if form.is_valid():
            try:
                account_services.invitation_create(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                add_application_error(form, error)
            else:
                messages.success(request, _("The invitation was sent."))
                return redirect("organisations:members", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.member_list(organisation=organisation),
        "invitations": selectors.invitation_list_pending(organisation=organisation),
        "can_manage": bool(roles),
        "roles": roles,
        "form": form,
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    return render(request, "organisations/organisation_members.html", context)


def _membership_for_manager(request: HttpRequest, pk: int, membership_id: int):  # noqa: ANN202
    organisation = selectors.organisation_get_for_member(user=request.user, organisation_id=pk)
    if not policies.can_manage_members(request.user, organisation):
        raise PermissionDenied
    return get_object_or_404(
        organisation.memberships.select_related("user", "organisation"), pk=membership_id
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = _membership_for_manager(request, pk, membership_id)
    form = RoleChangeForm(request.POST, roles=grantable_roles(request.user, membership.organisation))
    try:
        if not form.is_valid():
            raise ApplicationError("invalid_role", _("Choose a role from the list."))
        account_services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role was changed."))
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = _membership_for_manager(request, pk, membership_id)
    try:
        account_services.membership_remove(membership=membership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member was removed from the organisation."))
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_member(user=request.user, organisation_id=pk)
    if not policies.can_manage_members(request.user, organisation):
        raise PermissionDenied
    invitation = get_object_or_404(organisation.invitations.pending(), pk=invitation_id)
    try:
        account_services.invitation_revoke(invitation=invitation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("organisations:members", pk=pk)


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    if not policies.can_view_audit_trail(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(user=request.user, action=form.selected_action())
    page = paginate(request, events, per_page=50)
    names = selectors.organisation_names({e.organisation_id for e in page if e.organisation_id})
    rows = [(event, names.get(event.organisation_id, "")) for event in page]
    context = {"page": page, "rows": rows, "form": form}
    return render_page_or_fragment(request, "organisations/audit_trail.html", context)

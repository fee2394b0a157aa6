from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error

from . import selectors, services
from .forms import DeleteAccountForm, NewAccountForm, ProfileForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        return redirect("accounts:profile")
    context = {"form": form, "memberships": selectors.memberships_of_user(user=user)}
    return render(request, "accounts/profile.html", context)


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"kotoverkko-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data were deleted."))
            return redirect("core:home")
    return render(request, "accounts/delete_account.html", {"form": form})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except ApplicationError as error:
        return render(request, "accounts/invitation_invalid.html", {"message": error.message}, status=410)
    if request.user.is_authenticated:
        return _accept_as_signed_in(request, invitation)
    has_account = selectors.account_exists(email=invitation.email)
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and not has_account and form.is_valid():
        try:
            services.invitation_accept_with_new_account(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                preferred_language=(get_language() or "fi")[:2],
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            user = selectors.user_by_email(email=invitation.email)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! You are now a member of %(organisation)s.")
                % {"organisation": invitation.organisation},
            )
            return redirect("organisations:detail", pk=invitation.organisation_id)
    sign_in_url = f"{reverse('accounts:login')}?next={request.path}"
    context = {"invitation": invitation, "form": form, "has_account": has_account, "sign_in_url": sign_in_url}
    return render(request, "accounts/invitation.html", context)


def _accept_as_signed_in(request: HttpRequest, invitation) -> HttpResponse:  # noqa: ANN001
    if request.method != "POST":
        return render(request, "accounts/invitation.html", {"invitation": invitation, "signed_in": True})
    try:
        services.invitation_accept(invitation=invitation, user=request.user)
    except ApplicationError as error:
        return render(
            request,
            "accounts/invitation.html",
            {"invitation": invitation, "signed_in": True, "error": error.message},
            status=400,
        )
    messages.success(
        request, _("You are now a member of %(organisation)s.") % {"organisation": invitation.organisation}
    )
    return redirect("organisations:detail", pk=invitation.organisation_id)

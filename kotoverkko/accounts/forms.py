from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttling


class SignInForm(AuthenticationForm):
    """E-mail and password, refused without checking the password while the account is locked."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is not in use."),
        "locked": _(
            "Too many failed sign-in attempts. Sign-in to this account is locked for %(minutes)s minutes. "
            "You can also reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        email = (self.cleaned_data.get("username") or "").lower()
        if email and throttling.is_locked(email):
            # Guesses made while locked restart the window, so a steady stream stays locked.
            throttling.record_failure(email)
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": throttling.lockout_minutes()}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                throttling.record_failure(email)
            raise
        if email:
            throttling.reset(email)
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)


class NewAccountForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Avoid common words and passwords you use elsewhere."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The passwords do not match."))
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."))
        return password

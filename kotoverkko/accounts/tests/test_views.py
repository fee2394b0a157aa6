from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kotoverkko.accounts.errors import AccountErrorCode
from kotoverkko.accounts.models import Invitation, Membership, User
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.services import invitation_token
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "Kotoverkko-testi-2026!"


def _in(language: str, text: object) -> str:
    """The text as the page shows it in `language` (translated and HTML-escaped)."""
    with translation.override(language):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


@pytest.fixture
def invitation():
    organisation = OrganisationFactory(name={"fi": "Kutsuva yhdistys"})
    admin = member(Role.ORG_ADMIN, organisation)
    return Invitation.objects.create(
        organisation=organisation, email="kutsuttu@example.fi", role=Role.EDITOR, invited_by=admin
    )


def test_login__right_password__signed_in_and_sent_to_account_page(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_login__wrong_password__error_shown_in_finnish(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert _in("fi", "The e-mail address or the password is wrong.") in response.content.decode()


def test_logout__post__signed_out(client):
    client.force_login(UserFactory())
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_profile__update_name__saved_and_audited_without_the_name(client):
    user = UserFactory(full_name="Vanha Nimi")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Uusi Nimi", "preferred_language": "sv"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Uusi Nimi", "sv")
    event = AuditEvent.objects.get(action="user.updated")
    assert "Uusi Nimi" not in json.dumps(event.changes) + event.object_repr
    assert "Vanha Nimi" not in json.dumps(event.changes) + event.object_repr


def test_export__signed_in__json_download_of_own_data(client):
    organisation = OrganisationFactory(name={"fi": "Oma yhdistys"})
    user = member(Role.EDITOR, organisation, full_name="Eeva Esimerkki")
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["memberships"] == [
        {"organisation": "Oma yhdistys", "organisation_id": organisation.pk, "role": "editor"}
    ]


def test_delete_account__right_password__account_gone_trail_kept_anonymous(client):
    organisation = OrganisationFactory()
    user = member(Role.EDITOR, organisation, full_name="Poistuva Henkilö")
    AuditEvent.objects.create(actor=user, action="test.action", object_type="x", object_repr="thing")
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert AuditEvent.objects.get(action="test.action").actor is None
    assert not AuditEvent.objects.filter(object_repr__contains="Poistuva").exists()


def test_delete_account__wrong_password__nothing_deleted(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()


def test_invitation__new_person__account_and_membership_created_and_signed_in(client, invitation):
    url = reverse("accounts:invitation", args=[invitation_token(invitation)])
    response = client.post(
        url, {"full_name": "Kutsuttu Henkilö", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="kutsuttu@example.fi")
    assert Membership.objects.get(user=user).role == Role.EDITOR
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_invitation__weak_password__error_and_nothing_saved(client, invitation):
    url = reverse("accounts:invitation", args=[invitation_token(invitation)])
    response = client.post(url, {"full_name": "Kutsuttu", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="kutsuttu@example.fi").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation__expired_link__clear_message_in_finnish_and_nothing_saved(client, invitation):
    token = invitation_token(invitation)
    url = reverse("accounts:invitation", args=[token])
    eight_days = 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=signing.time.time() + eight_days):
        response = client.post(
            url, {"full_name": "Myöhässä", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
    assert response.status_code == 410
    assert _in("fi", AccountErrorCode.INVITATION_EXPIRED.label) in response.content.decode()
    assert not User.objects.filter(email="kutsuttu@example.fi").exists()


def test_invitation__expired_link_in_swedish__swedish_message(client, invitation):
    url = f"/sv/accounts/invitations/{invitation_token(invitation)}/"
    eight_days = 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=signing.time.time() + eight_days):
        response = client.get(url)
    assert _in("sv", AccountErrorCode.INVITATION_EXPIRED.label) in response.content.decode()


def test_invitation__tampered_token__invalid_message(client, invitation):
    token = invitation_token(invitation)[:-2] + "xx"
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 410
    assert _in("fi", AccountErrorCode.INVITATION_INVALID.label) in response.content.decode()


def test_invitation__existing_account_signed_in__accepts_with_one_click(client, invitation):
    user = UserFactory(email="kutsuttu@example.fi")
    client.force_login(user)
    response = client.post(reverse("accounts:invitation", args=[invitation_token(invitation)]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organisation=invitation.organisation).exists()


def test_invitation__signed_in_as_someone_else__refused(client, invitation):
    client.force_login(UserFactory(email="joku.muu@example.fi"))
    response = client.post(reverse("accounts:invitation", args=[invitation_token(invitation)]))
    assert response.status_code == 400
    assert _in("fi", AccountErrorCode.INVITATION_OTHER_ACCOUNT.label) in response.content.decode()
    assert not Membership.objects.filter(organisation=invitation.organisation, role=Role.EDITOR).exists()


def test_invitation__used_twice__second_time_refused(client, invitation):
    url = reverse("accounts:invitation", args=[invitation_token(invitation)])
    client.post(url, {"full_name": "Kutsuttu", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert _in("fi", AccountErrorCode.INVITATION_USED.label) in response.content.decode()


def test_password_reset__known_address__email_with_working_link(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.context["validlink"] is True


def test_password_reset__unknown_address__same_answer_no_email(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "ei.ole@example.fi"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_session_cookie__settings__http_only_and_lax(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.PASSWORD_HASHERS  # test settings use MD5 for speed; production is Argon2 first


def test_production_settings__argon2_first():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

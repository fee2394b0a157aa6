"""Account, membership and invitation use-cases, and sign-in throttling."""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from kotoverkko.accounts import services
from kotoverkko.accounts.errors import AccountErrorCode
from kotoverkko.accounts.forms import SignInForm
from kotoverkko.accounts.models import Invitation, Membership, User
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.throttling import lockout_minutes
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's password
NEW_PASSWORD = "kielikahvila-torstaisin-42"


def _invite(
    *, actor: User | None = None, organisation=None, email: str = "new.person@example.fi", role=Role.EDITOR
):
    organisation = organisation or OrganisationFactory()
    actor = actor or member(Role.ORG_ADMIN, organisation)
    return services.invitation_create(organisation=organisation, email=email, role=role, actor=actor)


def _token_made_days_ago(invitation: Invitation, days: float) -> str:
    with mock.patch("django.core.signing.time") as fake_time:
        fake_time.time.return_value = time.time() - datetime.timedelta(days=days).total_seconds()
        return services.invitation_token(invitation)


def _accept_new(invitation: Invitation, *, password: str = NEW_PASSWORD, full_name: str = "Uusi Ihminen"):
    return services.invitation_accept_with_new_account(
        invitation=invitation, full_name=full_name, password=password, preferred_language="fi"
    )


# --- invitation_create -------------------------------------------------------------------------


def test_invitation_create__by_org_admin__audit_event_written():
    invitation = _invite()

    event = AuditEvent.objects.get(action="invitation.created")
    assert event.object_type == "accounts.invitation"
    assert event.object_id == str(invitation.pk)
    assert event.organisation_id == invitation.organisation_id
    assert event.changes["role"] == {"from": None, "to": Role.EDITOR}


def test_invitation_create__audit_event__holds_no_email_address():
    _invite(email="Secret.Person@Example.fi")

    event = AuditEvent.objects.get(action="invitation.created")
    recorded = (event.object_repr + json.dumps(event.changes)).lower()
    assert "secret.person" not in recorded
    assert "@" not in recorded


def test_invitation_create__committed__email_sent_to_invitee(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(email="new.person@example.fi")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.fi"]


def test_invitation_create__before_commit__no_email_sent(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite()

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_invitation_create__email_link__opens_invitation_page(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite()

    url = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    assert url.startswith(settings.SITE_URL.rstrip("/") + "/")
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response.context["invitation"] == invitation


def test_invitation_create__address_of_existing_member__already_member_and_nothing_saved():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=UserFactory(email="old.member@example.fi"))

    with pytest.raises(ApplicationError) as raised:
        _invite(organisation=organisation, email="Old.Member@example.fi")

    assert raised.value.code == AccountErrorCode.ALREADY_MEMBER
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation.created").exists()


def test_invitation_create__second_pending_to_same_address__already_invited():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    _invite(actor=admin, organisation=organisation, email="twice@example.fi")

    with pytest.raises(ApplicationError) as raised:
        _invite(actor=admin, organisation=organisation, email="TWICE@example.fi")

    assert raised.value.code == AccountErrorCode.ALREADY_INVITED
    assert Invitation.objects.count() == 1


def test_invitation_create__org_admin_offers_platform_admin__role_not_grantable():
    with pytest.raises(ApplicationError) as raised:
        _invite(role=Role.PLATFORM_ADMIN)

    assert raised.value.code == AccountErrorCode.ROLE_NOT_GRANTABLE
    assert not Invitation.objects.exists()


def test_invitation_create__platform_admin_offers_platform_admin__created():
    invitation = _invite(actor=member(Role.PLATFORM_ADMIN), role=Role.PLATFORM_ADMIN)

    assert invitation.role == Role.PLATFORM_ADMIN


def test_invitation_create__coordinator_in_ngo__role_needs_municipality():
    with pytest.raises(ApplicationError) as raised:
        _invite(role=Role.COORDINATOR)

    assert raised.value.code == AccountErrorCode.ROLE_NEEDS_MUNICIPALITY
    assert not Invitation.objects.exists()


def test_invitation_create__coordinator_in_municipality__created():
    municipality = OrganisationFactory.municipality("257")

    invitation = _invite(organisation=municipality, role=Role.COORDINATOR)

    assert invitation.role == Role.COORDINATOR


def test_invitation_create__by_viewer__not_allowed():
    organisation = OrganisationFactory()

    with pytest.raises(ApplicationError) as raised:
        _invite(actor=member(Role.VIEWER, organisation), organisation=organisation)

    assert raised.value.code == AccountErrorCode.NOT_ALLOWED
    assert not Invitation.objects.exists()


def test_invitation_create__by_admin_of_another_organisation__not_allowed():
    with pytest.raises(ApplicationError) as raised:
        _invite(actor=member(Role.ORG_ADMIN), organisation=OrganisationFactory())

    assert raised.value.code == AccountErrorCode.NOT_ALLOWED


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_invitation_create__refused__message_in_active_language(language):
    with translation.override(language), pytest.raises(ApplicationError) as raised:
        _invite(role=Role.PLATFORM_ADMIN)

    with translation.override(language):
        expected = str(AccountErrorCode.ROLE_NOT_GRANTABLE.label)
    assert raised.value.message == expected
    assert raised.value.fields == {"role": [expected]}


# --- invitation tokens -------------------------------------------------------------------------


def test_invitation_from_token__fresh_token__returns_invitation():
    invitation = _invite()

    assert services.invitation_from_token(services.invitation_token(invitation)) == invitation


def test_invitation_from_token__just_under_max_age__returns_invitation():
    invitation = _invite()
    token = _token_made_days_ago(invitation, settings.INVITATION_MAX_AGE_DAYS - 0.01)

    assert services.invitation_from_token(token) == invitation


def test_invitation_from_token__older_than_max_age__invitation_expired():
    invitation = _invite()
    token = _token_made_days_ago(invitation, settings.INVITATION_MAX_AGE_DAYS + 0.01)

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(token)

    assert raised.value.code == AccountErrorCode.INVITATION_EXPIRED


def test_invitation_from_token__expired_in_finnish__message_in_finnish():
    invitation = _invite()
    token = _token_made_days_ago(invitation, settings.INVITATION_MAX_AGE_DAYS + 1)

    with translation.override("fi"):
        with pytest.raises(ApplicationError) as raised:
            services.invitation_from_token(token)
        expected = str(AccountErrorCode.INVITATION_EXPIRED.label)

    assert raised.value.message == expected


def test_invitation_from_token__tampered__invitation_invalid():
    token = services.invitation_token(_invite())
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(tampered)

    assert raised.value.code == AccountErrorCode.INVITATION_INVALID


def test_invitation_from_token__signed_with_other_salt__invitation_invalid():
    invitation = _invite()
    token = signing.dumps({"invitation": invitation.pk}, salt="some.other.salt", compress=True)

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(token)

    assert raised.value.code == AccountErrorCode.INVITATION_INVALID


def test_invitation_from_token__invitation_deleted__invitation_invalid():
    invitation = _invite()
    token = services.invitation_token(invitation)
    invitation.delete()

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(token)

    assert raised.value.code == AccountErrorCode.INVITATION_INVALID


def test_invitation_from_token__accepted__invitation_used():
    invitation = _invite()
    token = services.invitation_token(invitation)
    _accept_new(invitation)

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(token)

    assert raised.value.code == AccountErrorCode.INVITATION_USED


def test_invitation_from_token__revoked__invitation_used():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    invitation = _invite(actor=admin, organisation=organisation)
    services.invitation_revoke(invitation=invitation, actor=admin)

    with pytest.raises(ApplicationError) as raised:
        services.invitation_from_token(services.invitation_token(invitation))

    assert raised.value.code == AccountErrorCode.INVITATION_USED


# --- invitation_accept_with_new_account --------------------------------------------------------


def test_invitation_accept_with_new_account__valid__creates_user_and_membership():
    invitation = _invite(email="new.person@example.fi", role=Role.COUNSELLOR)

    membership = _accept_new(invitation, full_name="  Uusi Ihminen ")

    user = User.objects.get(email="new.person@example.fi")
    assert user.full_name == "Uusi Ihminen"
    assert user.check_password(NEW_PASSWORD)
    assert membership.user == user
    assert membership.organisation == invitation.organisation
    assert membership.role == Role.COUNSELLOR


def test_invitation_accept_with_new_account__valid__invitation_marked_accepted():
    invitation = _invite()

    membership = _accept_new(invitation)

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == membership.user
    assert not invitation.is_pending


def test_invitation_accept_with_new_account__valid__audit_events_recorded():
    invitation = _invite()

    membership = _accept_new(invitation)

    actions = set(AuditEvent.objects.filter(actor=membership.user).values_list("action", flat=True))
    assert actions == {"user.created", "membership.created"}


def test_invitation_accept_with_new_account__too_short_password__refused_and_nothing_created():
    invitation = _invite(email="new.person@example.fi")

    with pytest.raises(ApplicationError) as raised:
        _accept_new(invitation, password="short-1")

    assert "password1" in raised.value.fields
    assert not User.objects.filter(email="new.person@example.fi").exists()
    assert not Membership.objects.filter(organisation=invitation.organisation, role=Role.EDITOR).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation_accept_with_new_account__membership_fails__user_rolled_back():
    invitation = _invite(email="new.person@example.fi")

    with (
        mock.patch.object(Membership.objects, "create", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        _accept_new(invitation)

    assert not User.objects.filter(email="new.person@example.fi").exists()
    assert not AuditEvent.objects.filter(action="user.created").exists()


def test_invitation_accept_with_new_account__address_has_account__email_taken():
    UserFactory(email="new.person@example.fi")
    invitation = _invite(email="new.person@example.fi")

    with pytest.raises(ApplicationError) as raised:
        _accept_new(invitation)

    assert raised.value.code == AccountErrorCode.EMAIL_TAKEN


def test_invitation_accept_with_new_account__already_accepted__invitation_used():
    invitation = _invite()
    _accept_new(invitation)

    with pytest.raises(ApplicationError) as raised:
        _accept_new(invitation)

    assert raised.value.code == AccountErrorCode.INVITATION_USED


def test_invitation_accept__other_account__invitation_other_account():
    invitation = _invite(email="invited@example.fi")

    with pytest.raises(ApplicationError) as raised:
        services.invitation_accept(invitation=invitation, user=UserFactory(email="someone.else@example.fi"))

    assert raised.value.code == AccountErrorCode.INVITATION_OTHER_ACCOUNT
    assert not Membership.objects.filter(organisation=invitation.organisation, role=Role.EDITOR).exists()


# --- memberships -------------------------------------------------------------------------------


def test_membership_change_role__last_org_admin_demoted__last_admin():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    membership = admin.memberships.get()

    with pytest.raises(ApplicationError) as raised:
        services.membership_change_role(membership=membership, role=Role.EDITOR, actor=admin)

    assert raised.value.code == AccountErrorCode.LAST_ADMIN
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN


def test_membership_change_role__another_admin_remains__role_changed():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    other = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)

    services.membership_change_role(membership=other, role=Role.EDITOR, actor=admin)

    other.refresh_from_db()
    assert other.role == Role.EDITOR


def test_membership_change_role__changed__audit_event_records_old_and_new_role():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    editor = MembershipFactory(organisation=organisation, role=Role.EDITOR)

    services.membership_change_role(membership=editor, role=Role.COUNSELLOR, actor=admin)

    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.actor == admin
    assert event.organisation_id == organisation.pk
    assert event.object_id == str(editor.pk)
    assert event.changes == {"role": {"from": Role.EDITOR, "to": Role.COUNSELLOR}}


def test_membership_change_role__by_editor__not_allowed():
    organisation = OrganisationFactory()
    editor = member(Role.EDITOR, organisation)
    viewer = MembershipFactory(organisation=organisation, role=Role.VIEWER)

    with pytest.raises(ApplicationError) as raised:
        services.membership_change_role(membership=viewer, role=Role.EDITOR, actor=editor)

    assert raised.value.code == AccountErrorCode.NOT_ALLOWED


def test_membership_change_role__org_admin_demotes_platform_admin__refused():
    organisation = OrganisationFactory()
    org_admin = member(Role.ORG_ADMIN, organisation)
    platform_admin = MembershipFactory(organisation=organisation, role=Role.PLATFORM_ADMIN)

    with pytest.raises(ApplicationError) as raised:
        services.membership_change_role(membership=platform_admin, role=Role.VIEWER, actor=org_admin)

    assert raised.value.code in {AccountErrorCode.NOT_ALLOWED, AccountErrorCode.ROLE_NOT_GRANTABLE}
    platform_admin.refresh_from_db()
    assert platform_admin.role == Role.PLATFORM_ADMIN


def test_membership_remove__last_org_admin__last_admin():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    MembershipFactory(organisation=organisation, role=Role.EDITOR)

    with pytest.raises(ApplicationError) as raised:
        services.membership_remove(membership=admin.memberships.get(), actor=admin)

    assert raised.value.code == AccountErrorCode.LAST_ADMIN
    assert Membership.objects.filter(user=admin, organisation=organisation).exists()
    assert not AuditEvent.objects.filter(action="membership.removed").exists()


def test_membership_remove__member__removed_and_audit_event_recorded():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    editor = MembershipFactory(organisation=organisation, role=Role.EDITOR)

    services.membership_remove(membership=editor, actor=admin)

    assert not Membership.objects.filter(pk=editor.pk).exists()
    event = AuditEvent.objects.get(action="membership.removed")
    assert event.actor == admin
    assert event.organisation_id == organisation.pk
    assert event.changes == {"role": {"from": Role.EDITOR, "to": None}}


def test_membership_remove__audit_event__names_no_person():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    editor = MembershipFactory(
        organisation=organisation, role=Role.EDITOR, user=UserFactory(full_name="Eeva Esimerkki")
    )

    services.membership_remove(membership=editor, actor=admin)

    event = AuditEvent.objects.get(action="membership.removed")
    assert "Eeva" not in event.object_repr
    assert editor.user.email not in event.object_repr


# --- the user's own data -----------------------------------------------------------------------


def test_user_export_data__member_who_acted__contains_memberships_and_actions():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    _invite(actor=admin, organisation=organisation)

    data = services.user_export_data(user=admin)

    assert data["account"]["email"] == admin.email
    assert data["memberships"] == [
        {"organisation": str(organisation), "organisation_id": organisation.pk, "role": Role.ORG_ADMIN}
    ]
    assert [action["action"] for action in data["actions"]] == ["invitation.created"]


def test_user_export_data__result__serialisable_as_json():
    admin = member(Role.ORG_ADMIN)
    _invite(actor=admin, organisation=admin.memberships.get().organisation)

    json.dumps(services.user_export_data(user=admin))


def test_user_delete__own_account__user_and_memberships_removed():
    user = member(Role.EDITOR)

    services.user_delete(user=user, actor=user)

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()


def test_user_delete__actor_of_audit_events__events_kept_without_actor():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)
    _invite(actor=admin, organisation=organisation)
    event = AuditEvent.objects.get(action="invitation.created")

    services.user_delete(user=admin, actor=admin)

    event.refresh_from_db()
    assert event.actor_id is None


def test_user_delete__audit_trail__names_neither_name_nor_email():
    invitation = _invite(email="poistuva@example.fi")
    user = _accept_new(invitation, full_name="Paula Poistuva").user
    services.user_update_profile(user=user, full_name="Paula Poistuva-Uusi", preferred_language="sv")
    other = OrganisationFactory()
    _invite(actor=member(Role.ORG_ADMIN, other), organisation=other, email="poistuva@example.fi")

    user_id = user.pk

    services.user_delete(user=user, actor=user)

    assert AuditEvent.objects.filter(action="user.deleted", object_id=str(user_id)).exists()
    for event in AuditEvent.objects.all():
        recorded = (event.object_repr + json.dumps(event.changes, ensure_ascii=False)).lower()
        assert "poistuva" not in recorded, event.action
        assert "paula" not in recorded, event.action


def test_user_delete__pending_invitations__revoked():
    organisation = OrganisationFactory()
    user = member(Role.EDITOR, email="leaving@example.fi")
    invitation = _invite(organisation=organisation, email="leaving@example.fi")

    services.user_delete(user=user, actor=user)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_user_delete__someone_else_by_non_admin__not_allowed():
    organisation = OrganisationFactory()
    victim = member(Role.EDITOR, organisation)

    with pytest.raises(ApplicationError) as raised:
        services.user_delete(user=victim, actor=member(Role.ORG_ADMIN, organisation))

    assert raised.value.code == AccountErrorCode.NOT_ALLOWED
    assert User.objects.filter(pk=victim.pk).exists()


def test_user_delete__last_admin_with_other_members__last_admin():
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    MembershipFactory(organisation=organisation, role=Role.EDITOR)

    with pytest.raises(ApplicationError) as raised:
        services.user_delete(user=admin, actor=admin)

    assert raised.value.code == AccountErrorCode.LAST_ADMIN
    assert User.objects.filter(pk=admin.pk).exists()


# --- sign-in throttling ------------------------------------------------------------------------


def _sign_in(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


@contextlib.contextmanager
def _cache_clock(at: float):
    """Move the cache's clock (expiry and new timeouts) to `at`, leaving every other clock alone."""
    with (
        mock.patch("django.core.cache.backends.locmem.time") as locmem_time,
        mock.patch("django.core.cache.backends.base.time") as base_time,
    ):
        locmem_time.time.return_value = base_time.time.return_value = at
        yield


def _error_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get("__all__", [])]


def test_sign_in__right_password__signed_in(client):
    user = UserFactory()

    response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in__wrong_password__invalid_login(client):
    user = UserFactory()

    response = _sign_in(client, user.email, "wrong password")

    assert response.status_code == 200
    assert _error_codes(response) == ["invalid_login"]


def test_sign_in__after_limit_of_failures__right_password_refused_as_locked(client):
    user = UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        assert _error_codes(_sign_in(client, user.email, "wrong password")) == ["invalid_login"]

    response = _sign_in(client, user.email, PASSWORD)

    assert _error_codes(response) == ["locked"]
    assert "_auth_user_id" not in client.session


def test_sign_in__locked__message_says_locked(client):
    user = UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong password")

    response = _sign_in(client, user.email.upper(), PASSWORD)

    with translation.override(settings.LANGUAGE_CODE):
        expected = str(SignInForm.error_messages["locked"]) % {"minutes": lockout_minutes()}
    assert response.context["form"].non_field_errors() == [expected]


def test_sign_in__one_failure_short_of_limit__right_password_accepted(client):
    user = UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT - 1):
        _sign_in(client, user.email, "wrong password")

    response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302


def test_sign_in__success_before_limit__failure_count_reset(client):
    user = UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT - 1):
        _sign_in(client, user.email, "wrong password")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT - 1):
        _sign_in(client, user.email, "wrong password")

    response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302


def test_sign_in__other_account_locked__this_account_unaffected(client):
    locked, unaffected = UserFactory(), UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        _sign_in(client, locked.email, "wrong password")

    response = _sign_in(client, unaffected.email, PASSWORD)

    assert response.status_code == 302


def test_sign_in__lock_window_passed__right_password_accepted(client):
    user = UserFactory()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong password")
    later = time.time() + settings.SIGNIN_LOCKOUT_SECONDS + 1

    with _cache_clock(later):
        response = _sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302


def test_sign_in__guess_while_locked__lock_window_restarts(client):
    user = UserFactory()
    start = time.time()
    for _attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong password")
    window = settings.SIGNIN_LOCKOUT_SECONDS
    with _cache_clock(start + window - 60):
        assert _error_codes(_sign_in(client, user.email, "wrong password")) == ["locked"]

    with _cache_clock(start + window + 60):
        _sign_in(client, user.email, PASSWORD)

    assert "_auth_user_id" not in client.session


def test_sign_in__last_login__updated(client):
    user = UserFactory()
    before = timezone.now()

    _sign_in(client, user.email, PASSWORD)

    user.refresh_from_db()
    assert user.last_login >= before


def test_export__lists_cooperation_seats_and_signals_the_person_sent():
    from kotoverkko.cooperation.enums import BodyKind
    from kotoverkko.cooperation.models import BodyMember, CooperationBody
    from kotoverkko.organisations.tests.factories import OrganisationFactory, member

    organisation = OrganisationFactory.municipality("257")
    user = member(Role.COORDINATOR, organisation)
    body = CooperationBody.objects.create(
        owner=organisation, name={"fi": "Maahanmuuttoasiain neuvottelukunta"}, kind=BodyKind.ADVISORY_BOARD
    )
    BodyMember.objects.create(body=body, organisation=organisation, user=user, role="chair")

    exported = services.user_export_data(user=user)

    assert exported["cooperation_body_seats"] == [
        {"body": str(body), "organisation": str(organisation), "role": "chair"}
    ]
    assert exported["signals"] == []

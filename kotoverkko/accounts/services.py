"""Write use-cases for accounts, memberships and invitations."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError

from . import personal_data, policies, tasks
from .errors import AccountErrorCode
from .models import Invitation, Membership, User
from .roles import role_grants, role_requires_municipal_organisation

INVITATION_SALT = "kotoverkko.accounts.invitation"


def _fail(code: AccountErrorCode, *, field: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field)


def _user_repr(user: User) -> str:
    return f"user #{user.pk}"


def _membership_repr(membership: Membership) -> str:
    return f"user #{membership.user_id} – {membership.get_role_display()}"


def _invitation_repr(invitation: Invitation) -> str:
    return f"invitation #{invitation.pk} – {invitation.get_role_display()}"


def _audit_scope(organisation: Any) -> dict[str, Any]:
    return {"organisation_id": organisation.pk, "municipality_code": organisation.home_municipality_id or ""}


# --- Invitations -------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link points at. Raises ApplicationError(INVITATION_*)."""
    max_age = datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise _fail(AccountErrorCode.INVITATION_EXPIRED) from error
    except signing.BadSignature as error:
        raise _fail(AccountErrorCode.INVITATION_INVALID) from error
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=payload.get("invitation"))
        .first()
    )
    if invitation is None:
        raise _fail(AccountErrorCode.INVITATION_INVALID)
    if not invitation.is_pending:
        raise _fail(AccountErrorCode.INVITATION_USED)
    return invitation


def _check_role_allowed(*, actor: User, organisation: Any, role: str) -> None:
    if not policies.can_manage_members(actor, organisation):
        raise _fail(AccountErrorCode.NOT_ALLOWED)
    if role not in policies.grantable_roles(actor, organisation):
        raise _fail(AccountErrorCode.ROLE_NOT_GRANTABLE, field="role")
    if role_requires_municipal_organisation(role) and not organisation.is_municipal:
        raise _fail(AccountErrorCode.ROLE_NEEDS_MUNICIPALITY, field="role")


@transaction.atomic
def invitation_create(*, organisation: Any, email: str, role: str, actor: User) -> Invitation:
    """Invite a person by e-mail. Raises ApplicationError(NOT_ALLOWED | ROLE_* | ALREADY_*)."""
    email = User.objects.normalize_email(email).strip().lower()
    _check_role_allowed(actor=actor, organisation=organisation, role=role)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise _fail(AccountErrorCode.ALREADY_MEMBER, field="email")
    if Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).exists():
        raise _fail(AccountErrorCode.ALREADY_INVITED, field="email")
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.created",
        obj=invitation,
        object_repr=_invitation_repr(invitation),
        changes={"role": {"from": None, "to": role}, "email": {"from": None, "to": audit.REDACTED}},
        **_audit_scope(organisation),
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: tasks.send_invitation_email.enqueue(invitation_id=invitation.pk, language=language)
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw a pending invitation. Raises ApplicationError(NOT_ALLOWED | INVITATION_USED)."""
    if not policies.can_manage_members(actor, invitation.organisation):
        raise _fail(AccountErrorCode.NOT_ALLOWED)
    if not invitation.is_pending:
        raise _fail(AccountErrorCode.INVITATION_USED)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        actor=actor,
        action="invitation.revoked",
        obj=invitation,
        object_repr=_invitation_repr(invitation),
        **_audit_scope(invitation.organisation),
    )
    return invitation


def _create_membership_from(invitation: Invitation, user: User) -> Membership:
    if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        raise _fail(AccountErrorCode.ALREADY_MEMBER)
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record(
        actor=user,
        action="membership.created",
        obj=membership,
        object_repr=_membership_repr(membership),
        changes={"role": {"from": None, "to": membership.role}},
        **_audit_scope(invitation.organisation),
    )
    policies.forget_memberships(user)
    return membership


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """A signed-in user takes up an invitation sent to their address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise _fail(AccountErrorCode.INVITATION_USED)
    if user.email.lower() != invitation.email.lower():
        raise _fail(AccountErrorCode.INVITATION_OTHER_ACCOUNT)
    return _create_membership_from(invitation, user)


@transaction.atomic
def invitation_accept_with_new_account(
    *, invitation: Invitation, full_name: str, password: str, preferred_language: str
) -> Membership:
    """Create the invited person's account and membership together. Raises ApplicationError."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise _fail(AccountErrorCode.INVITATION_USED)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise _fail(AccountErrorCode.EMAIL_TAKEN)
    user = User(email=invitation.email, full_name=full_name.strip(), preferred_language=preferred_language)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(
            "invalid_password", error.messages[0], fields={"password1": error.messages}
        ) from error
    user.set_password(password)
    user.full_clean()
    try:
        user.save()
    except IntegrityError as error:
        raise _fail(AccountErrorCode.EMAIL_TAKEN) from error
    audit.record(actor=user, action="user.created", obj=user, object_repr=_user_repr(user))
    return _create_membership_from(invitation, user)


# --- Memberships -------------------------------------------------------------------------------


def _is_last_admin(membership: Membership) -> bool:
    if not role_grants(membership.role, policies.Permission.MANAGE_MEMBERS):
        return False
    others = Membership.objects.filter(organisation=membership.organisation).exclude(pk=membership.pk)
    return not any(role_grants(other.role, policies.Permission.MANAGE_MEMBERS) for other in others)


def _check_may_touch(*, actor: User, membership: Membership) -> None:
    """Nobody changes or removes a role they could not have given (e.g. a platform admin's)."""
    if membership.role not in policies.grantable_roles(actor, membership.organisation):
        raise _fail(AccountErrorCode.ROLE_NOT_GRANTABLE, field="role")


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Give a member another role. Raises ApplicationError(NOT_ALLOWED | ROLE_* | LAST_ADMIN)."""
    _check_role_allowed(actor=actor, organisation=membership.organisation, role=role)
    _check_may_touch(actor=actor, membership=membership)
    if role == membership.role:
        return membership
    if _is_last_admin(membership) and not role_grants(role, policies.Permission.MANAGE_MEMBERS):
        raise _fail(AccountErrorCode.LAST_ADMIN, field="role")
    old_role = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit.record(
        actor=actor,
        action="membership.role_changed",
        obj=membership,
        object_repr=_membership_repr(membership),
        changes={"role": {"from": old_role, "to": role}},
        **_audit_scope(membership.organisation),
    )
    policies.forget_memberships(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member from an organisation. Raises ApplicationError(NOT_ALLOWED | LAST_ADMIN)."""
    if not policies.can_manage_members(actor, membership.organisation):
        raise _fail(AccountErrorCode.NOT_ALLOWED)
    _check_may_touch(actor=actor, membership=membership)
    if _is_last_admin(membership) and not policies.is_platform_admin(actor):
        raise _fail(AccountErrorCode.LAST_ADMIN)
    audit.record(
        actor=actor,
        action="membership.removed",
        obj=membership,
        object_repr=_membership_repr(membership),
        changes={"role": {"from": membership.role, "to": None}},
        **_audit_scope(membership.organisation),
    )
    membership.delete()


@transaction.atomic
def membership_grant(*, user: User, organisation: Any, role: str, actor: User | None) -> Membership:
    """Grant a role directly (used by seeding and platform admins). Idempotent for the same role."""
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        if existing.role == role:
            return existing
        raise _fail(AccountErrorCode.ALREADY_MEMBER)
    if actor is not None and not policies.is_platform_admin(actor):
        raise _fail(AccountErrorCode.NOT_ALLOWED)
    if role_requires_municipal_organisation(role) and not organisation.is_municipal:
        raise _fail(AccountErrorCode.ROLE_NEEDS_MUNICIPALITY, field="role")
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="membership.created",
        obj=membership,
        object_repr=_membership_repr(membership),
        changes={"role": {"from": None, "to": role}},
        **_audit_scope(organisation),
    )
    policies.forget_memberships(user)
    return membership


# --- The user's own data ---------------------------------------------------------------------


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    before = audit.snapshot(user, ["full_name", "preferred_language"])
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["full_name", "preferred_language"])
    changes = audit.changes_between(
        before, audit.snapshot(user, ["full_name", "preferred_language"]), personal={"full_name"}
    )
    if changes:
        audit.record(
            actor=user, action="user.updated", obj=user, object_repr=_user_repr(user), changes=changes
        )
    return user


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about a staff user, for their own download."""
    from kotoverkko.core.models import AuditEvent

    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {"organisation": str(m.organisation), "organisation_id": m.organisation_id, "role": m.role}
            for m in user.memberships.select_related("organisation")
        ],
        "invitations_received": [
            {
                "organisation": str(i.organisation),
                "role": i.role,
                "sent_at": i.created_at.isoformat(),
                "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("organisation")
        ],
        "actions": [
            {
                "time": event.occurred_at.isoformat(),
                "action": event.action,
                "object_type": event.object_type,
                "object": event.object_repr,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("occurred_at")
        ],
        **personal_data.exported_sections(user),
    }


@transaction.atomic
def user_delete(*, user: User, actor: User) -> None:
    """Delete an account: memberships go, the audit trail stays with the actor made anonymous."""
    if actor.pk != user.pk and not policies.is_platform_admin(actor):
        raise _fail(AccountErrorCode.NOT_ALLOWED)
    for membership in user.memberships.select_related("organisation"):
        if _is_last_admin(membership) and membership.organisation.memberships.count() > 1:
            raise ApplicationError(
                AccountErrorCode.LAST_ADMIN.value,
                AccountErrorCode.LAST_ADMIN.label,
            )
    Invitation.objects.pending().filter(email__iexact=user.email).update(revoked_at=timezone.now())
    audit.record(actor=None, action="user.deleted", obj=user, object_repr=_user_repr(user))
    user.delete()

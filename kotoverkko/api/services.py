"""Write use-cases of the API app: issuing and revoking tokens, and listing writes by token.

Listing writes go through the activities services (the same validation, moderation workflow and
audit trail as the editor in the UI); the actor is the token's service account.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.accounts.models import Membership, User
from kotoverkko.accounts.policies import act_with_memberships
from kotoverkko.accounts.roles import Role
from kotoverkko.activities import services as listing_services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing
from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError, ErrorCode
from kotoverkko.organisations.models import Organisation

from . import policies
from .models import ApiToken

TOKEN_PREFIX = "kv_"  # noqa: S105 (a public marker that tells tokens apart in logs, not a secret)
# How often last_used_at is written: once a minute is enough to see whether a token is in use.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# The role a token acts with in its own organisation: it may write listings and nothing else.
TOKEN_ROLE = Role.EDITOR


class ApiTokenErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    NAME_REQUIRED = "name_required", _("Give the token a name that tells what it is used for.")
    ALREADY_REVOKED = "already_revoked", _("The token has already been revoked.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the admin once, never stored


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, actor: Any) -> IssuedToken:
    """Issue a token for the organisation. Raises ApplicationError(NOT_ALLOWED | NAME_REQUIRED)."""
    if not policies.can_manage_api_tokens(actor, organisation):
        raise ApplicationError.from_code(ApiTokenErrorCode.NOT_ALLOWED)
    name = " ".join(name.split())[:100]
    if not name:
        raise ApplicationError.from_code(ApiTokenErrorCode.NAME_REQUIRED, field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    service_user = User.objects.create_user(
        email=f"api-token-{uuid.uuid4().hex}@api-tokens.invalid", full_name="API token"
    )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=secret[:10],
        secret_hash=hash_secret(secret),
        service_user=service_user,
        created_by=actor,
    )
    # The service account's name is what the audit trail shows as the actor of API writes.
    service_user.full_name = f"API token #{token.pk} of organisation #{organisation.pk}"
    service_user.save(update_fields=["full_name"])
    audit.record(
        actor=actor,
        action="api_token.created",
        obj=token,
        organisation_id=organisation.pk,
        municipality_code=organisation.home_municipality_id or "",
        changes={"name": {"from": None, "to": name}},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke a token for good. Raises ApplicationError(NOT_ALLOWED | ALREADY_REVOKED)."""
    if not policies.can_manage_api_tokens(actor, token.organisation):
        raise ApplicationError.from_code(ApiTokenErrorCode.NOT_ALLOWED)
    if token.revoked_at is not None:
        raise ApplicationError.from_code(ApiTokenErrorCode.ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    # Defence in depth: an inactive account holds no permissions even if the token were accepted.
    User.objects.filter(pk=token.service_user_id).update(is_active=False)
    audit.record(
        actor=actor,
        action="api_token.revoked",
        obj=token,
        organisation_id=token.organisation_id,
        municipality_code=token.organisation.home_municipality_id or "",
        changes={"revoked_at": {"from": None, "to": token.revoked_at.isoformat()}},
    )
    return token


def api_token_authenticate(*, secret: str, now: datetime.datetime | None = None) -> ApiToken | None:
    """The active token with this secret, or None. Notes the time of use (once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("organisation", "service_user")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.service_user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_actor(token: ApiToken) -> User:
    """The token's service account, holding the token role in the token's organisation only.

    The role is not stored as a membership (the account must not appear among the organisation's
    people or receive their e-mails); it is given to this request's copy of the account, which
    accounts.policies reads like fetched memberships.
    """
    user = token.service_user
    membership = Membership(user=user, organisation=token.organisation, role=TOKEN_ROLE)
    return act_with_memberships(user, [membership] if token.is_active and user.is_active else [])


# --- Listings written by a token ---------------------------------------------------------------


@transaction.atomic
def api_listing_create(
    *, token: ApiToken, data: listing_services.ListingData, submit: bool = False
) -> Listing:
    """Create the token organisation's listing as a draft, and send it to moderation if asked."""
    data.organisation = token.organisation
    actor = token_actor(token)
    listing = listing_services.listing_create(data=data, actor=actor)
    if submit:
        listing = listing_services.listing_submit(listing=listing, actor=actor)
    return listing


@transaction.atomic
def api_listing_update(
    *, token: ApiToken, listing: Listing, data: listing_services.ListingData, submit: bool = False
) -> Listing:
    """Change the token organisation's listing as the editor in the UI would (published stays published)."""
    if listing.organisation_id != token.organisation_id:
        raise ApplicationError.from_code(ApiTokenErrorCode.NOT_ALLOWED)
    data.organisation = token.organisation
    actor = token_actor(token)
    listing = listing_services.listing_update(listing=listing, data=data, actor=actor)
    if submit and listing.status in (ListingStatus.DRAFT, ListingStatus.RETURNED):
        listing = listing_services.listing_submit(listing=listing, actor=actor)
    return listing

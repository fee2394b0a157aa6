"""Who may manage an organisation's API tokens (built on accounts.policies)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations.models import Organisation

from .models import ApiToken


def can_manage_api_tokens(user: Any, organisation: Organisation) -> bool:
    """Organisation admins (and platform admins) create and revoke the organisation's tokens."""
    return account_policies.has_permission(user, Permission.MANAGE_API_TOKENS, organisation)


def api_tokens_visible_to(user: Any, organisation: Organisation) -> QuerySet[ApiToken]:
    if not can_manage_api_tokens(user, organisation):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(organisation=organisation)

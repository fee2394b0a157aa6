"""The one place that maps roles to permissions. Nothing else in the code base compares roles."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    COORDINATOR = "coordinator", _("Municipal integration coordinator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    EDITOR = "editor", _("Editor")
    COUNSELLOR = "counsellor", _("Counsellor")
    VIEWER = "viewer", _("Viewer")


class Permission(StrEnum):
    # Within the member's organisation and its units.
    VIEW_ORGANISATION_INTERNAL = "view_organisation_internal"
    EDIT_ORGANISATION = "edit_organisation"
    MANAGE_MEMBERS = "manage_members"
    VIEW_ORGANISATION_AUDIT = "view_organisation_audit"
    EDIT_LISTINGS = "edit_listings"
    HAND_OUT_LISTINGS = "hand_out_listings"
    MANAGE_API_TOKENS = "manage_api_tokens"
    # Cooperation network: bodies, meetings and agreements the organisation runs or is a party to.
    MANAGE_COOPERATION = "manage_cooperation"
    # Signals from the field: sending them, and answering those routed to the organisation.
    SEND_SIGNALS = "send_signals"
    HANDLE_SIGNALS = "handle_signals"
    # Integration programme: status and comments of the measures the organisation is responsible for.
    UPDATE_OWN_MEASURES = "update_own_measures"
    # Service paths: description and contact point of the steps the organisation is responsible for.
    UPDATE_OWN_SERVICE_STEPS = "update_own_service_steps"
    # Within the municipality of the member's (municipal) organisation.
    VIEW_MUNICIPALITY_AUDIT = "view_municipality_audit"
    VIEW_DIRECTORY_STATISTICS = "view_directory_statistics"
    EDIT_SERVICE_PATHS = "edit_service_paths"
    EDIT_PROGRAMME = "edit_programme"
    MODERATE_CONSULTATION = "moderate_consultation"
    # Signals of the municipality: the routing table, oversight of every signal and their statistics.
    COORDINATE_SIGNALS = "coordinate_signals"
    # Everywhere.
    MANAGE_PLATFORM = "manage_platform"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PLATFORM_ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset(
        {
            Permission.VIEW_ORGANISATION_INTERNAL,
            Permission.VIEW_ORGANISATION_AUDIT,
            Permission.VIEW_MUNICIPALITY_AUDIT,
            Permission.VIEW_DIRECTORY_STATISTICS,
            Permission.HAND_OUT_LISTINGS,
            Permission.MANAGE_COOPERATION,
            Permission.SEND_SIGNALS,
            Permission.HANDLE_SIGNALS,
            Permission.UPDATE_OWN_MEASURES,
            Permission.UPDATE_OWN_SERVICE_STEPS,
            Permission.EDIT_SERVICE_PATHS,
            Permission.EDIT_PROGRAMME,
            Permission.MODERATE_CONSULTATION,
            Permission.COORDINATE_SIGNALS,
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {
            Permission.VIEW_ORGANISATION_INTERNAL,
            Permission.EDIT_ORGANISATION,
            Permission.MANAGE_MEMBERS,
            Permission.VIEW_ORGANISATION_AUDIT,
            Permission.EDIT_LISTINGS,
            Permission.HAND_OUT_LISTINGS,
            Permission.MANAGE_API_TOKENS,
            Permission.MANAGE_COOPERATION,
            Permission.SEND_SIGNALS,
            Permission.HANDLE_SIGNALS,
            Permission.UPDATE_OWN_MEASURES,
            Permission.UPDATE_OWN_SERVICE_STEPS,
        }
    ),
    Role.EDITOR: frozenset(
        {
            Permission.VIEW_ORGANISATION_INTERNAL,
            Permission.EDIT_LISTINGS,
            Permission.SEND_SIGNALS,
            Permission.UPDATE_OWN_MEASURES,
            Permission.UPDATE_OWN_SERVICE_STEPS,
        }
    ),
    Role.COUNSELLOR: frozenset(
        {Permission.VIEW_ORGANISATION_INTERNAL, Permission.HAND_OUT_LISTINGS, Permission.SEND_SIGNALS}
    ),
    Role.VIEWER: frozenset({Permission.VIEW_ORGANISATION_INTERNAL, Permission.SEND_SIGNALS}),
}

# Roles whose permissions hold on every organisation, not just the one the membership is in.
GLOBAL_ROLES: frozenset[Role] = frozenset({Role.PLATFORM_ADMIN})

# Roles that only make sense in a municipality's own organisation (or one of its units).
MUNICIPAL_ROLES: frozenset[Role] = frozenset({Role.COORDINATOR})


def role_grants(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def role_is_global(role: str) -> bool:
    return Role(role) in GLOBAL_ROLES


def role_requires_municipal_organisation(role: str) -> bool:
    return Role(role) in MUNICIPAL_ROLES


def roles_grantable(*, by_platform_admin: bool) -> list[Role]:
    """Roles an organisation admin may hand out; only platform admins create other platform admins."""
    return [role for role in Role if by_platform_admin or role not in GLOBAL_ROLES]

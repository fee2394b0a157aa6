"""Who may do what. Every permission question in the code base is answered here.

Organisation-scoped permissions also hold in the organisation's units (the hierarchy below it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .roles import Permission, Role, role_grants, role_is_global, roles_grantable

if TYPE_CHECKING:
    from .models import Membership


class OrganisationLike(Protocol):
    pk: Any

    def lineage_ids(self) -> list[int]: ...


_CACHE_ATTR = "_kotoverkko_memberships"


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships, fetched once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.memberships.select_related("organisation"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def act_with_memberships(user: Any, memberships: list[Membership]) -> Any:
    """Let `user` act with exactly these (unsaved) memberships for the rest of this request.

    For service identities such as API tokens: the role holds for the request only, so the
    account never shows among an organisation's people or receives their e-mails.
    """
    setattr(user, _CACHE_ATTR, list(memberships))
    return user


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_global_permission(user: Any, permission: Permission) -> bool:
    return any(role_is_global(m.role) and role_grants(m.role, permission) for m in memberships_of(user))


def has_permission(user: Any, permission: Permission, organisation: OrganisationLike | None = None) -> bool:
    """True when the user holds `permission` globally or in the organisation (or a parent of it)."""
    if has_global_permission(user, permission):
        return True
    if organisation is None:
        return any(role_grants(m.role, permission) for m in memberships_of(user))
    lineage = set(organisation.lineage_ids())
    return any(m.organisation_id in lineage and role_grants(m.role, permission) for m in memberships_of(user))


def organisation_ids_with(user: Any, permission: Permission) -> set[int] | None:
    """Organisations where the user's own memberships grant `permission`; None means every one.

    Units below these organisations are added by the organisations app, which owns the hierarchy.
    """
    if has_global_permission(user, permission):
        return None
    return {m.organisation_id for m in memberships_of(user) if role_grants(m.role, permission)}


def municipality_codes_with(user: Any, permission: Permission) -> set[str] | None:
    """Municipalities where the user holds a municipality-wide permission; None means all."""
    if has_global_permission(user, permission):
        return None
    return {
        m.organisation.home_municipality_id
        for m in memberships_of(user)
        if role_grants(m.role, permission) and m.organisation.home_municipality_id
    }


def is_platform_admin(user: Any) -> bool:
    return has_global_permission(user, Permission.MANAGE_PLATFORM)


def can_manage_members(user: Any, organisation: OrganisationLike) -> bool:
    return has_permission(user, Permission.MANAGE_MEMBERS, organisation)


def can_view_organisation_internal(user: Any, organisation: OrganisationLike) -> bool:
    return has_permission(user, Permission.VIEW_ORGANISATION_INTERNAL, organisation)


def can_edit_organisation(user: Any, organisation: OrganisationLike) -> bool:
    return has_permission(user, Permission.EDIT_ORGANISATION, organisation)


def can_create_organisation(user: Any) -> bool:
    return has_global_permission(user, Permission.MANAGE_PLATFORM)


def can_view_audit_trail(user: Any) -> bool:
    return any(
        has_permission(user, permission)
        for permission in (Permission.VIEW_ORGANISATION_AUDIT, Permission.VIEW_MUNICIPALITY_AUDIT)
    )


def grantable_roles(user: Any, organisation: OrganisationLike) -> list[Role]:
    """Roles this user may offer in this organisation; empty if they may not manage its members."""
    if not can_manage_members(user, organisation):
        return []
    return roles_grantable(by_platform_admin=is_platform_admin(user))

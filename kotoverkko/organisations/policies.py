"""Who may see and change organisations and their audit trail (built on accounts.policies)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.core.models import AuditEvent

from .models import Organisation


def with_units(organisation_ids: set[int]) -> set[int]:
    """The given organisations and every unit below them."""
    found = set(organisation_ids)
    frontier = set(organisation_ids)
    while frontier:
        frontier = (
            set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def organisation_ids_with(user: Any, permission: Permission) -> set[int] | None:
    """Organisations (with their units) where the user holds `permission`; None means all."""
    direct = account_policies.organisation_ids_with(user, permission)
    return None if direct is None else with_units(direct)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Public organisations, plus the hidden ones the user belongs to (all for platform admins)."""
    visible = organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)
    if visible is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(is_public=True) | Q(pk__in=visible))


def organisations_with(user: Any, permission: Permission) -> QuerySet[Organisation]:
    ids = organisation_ids_with(user, permission)
    return Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)


def can_create_organisation(user: Any, *, parent: Organisation | None = None) -> bool:
    """Platform admins create any organisation; an organisation's admins create its units."""
    if account_policies.can_create_organisation(user):
        return True
    return parent is not None and account_policies.can_edit_organisation(user, parent)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return account_policies.can_edit_organisation(user, organisation)


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    return account_policies.can_manage_members(user, organisation)


def can_view_members(user: Any, organisation: Organisation) -> bool:
    return account_policies.can_view_organisation_internal(user, organisation)


def can_view_audit_trail(user: Any) -> bool:
    return account_policies.can_view_audit_trail(user)


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events of the user's own organisations (admins) and of their municipality (coordinators)."""
    organisation_ids = organisation_ids_with(user, Permission.VIEW_ORGANISATION_AUDIT)
    municipality_codes = account_policies.municipality_codes_with(user, Permission.VIEW_MUNICIPALITY_AUDIT)
    if organisation_ids is None or municipality_codes is None:
        return AuditEvent.objects.all()
    in_municipality = set(
        Organisation.objects.filter(
            Q(home_municipality_id__in=municipality_codes)
            | Q(municipalities_served__code__in=municipality_codes)
        ).values_list("pk", flat=True)
    )
    return AuditEvent.objects.filter(
        Q(organisation_id__in=organisation_ids | in_municipality)
        | Q(municipality_code__in=municipality_codes)
    )

"""Who may see and change service paths.

Paths are working material for professionals: members of organisations working in the path's
area (or named in its steps) see them; a published path is shown to everyone. The coordinator
of a municipality the path covers edits its structure; members of a step's responsible
organisation edit that step's description and contact point.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation

from .models import ServicePath, ServiceStep


def _member_organisation_ids(user: Any) -> set[int] | None:
    return organisation_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)


def _area_codes_of(organisation_ids: set[int]) -> set[str]:
    organisations = Organisation.objects.filter(pk__in=organisation_ids)
    homes = set(organisations.exclude(home_municipality=None).values_list("home_municipality_id", flat=True))
    served = set(organisations.values_list("municipalities_served__code", flat=True))
    return {code for code in homes | served if code}


def paths_visible_to(user: Any) -> QuerySet[ServicePath]:
    """Published paths, plus those in the area of the user's organisations or naming them in a step."""
    organisation_ids = _member_organisation_ids(user)
    if organisation_ids is None:
        return ServicePath.objects.all()
    if not organisation_ids:
        return ServicePath.objects.filter(is_public=True)
    codes = _area_codes_of(organisation_ids)
    return ServicePath.objects.filter(
        Q(is_public=True)
        | Q(municipality_id__in=codes)
        | Q(municipalities__code__in=codes)
        | Q(steps__responsible_id__in=organisation_ids)
        | Q(steps__partners__id__in=organisation_ids)
    ).distinct()


def municipality_codes_editable_by(user: Any) -> set[str] | None:
    """Municipalities whose paths the user may create and restructure; None means all."""
    return account_policies.municipality_codes_with(user, Permission.EDIT_SERVICE_PATHS)


def can_create_path(user: Any) -> bool:
    codes = municipality_codes_editable_by(user)
    return codes is None or bool(codes)


def can_edit_path(user: Any, path: ServicePath) -> bool:
    """The coordinator of the owning municipality, or of any municipality a joint path covers."""
    codes = municipality_codes_editable_by(user)
    if codes is None:
        return True
    if not codes:
        return False
    return path.municipality_id in codes or path.municipalities.filter(code__in=codes).exists()


def paths_editable_by(user: Any) -> QuerySet[ServicePath]:
    codes = municipality_codes_editable_by(user)
    if codes is None:
        return ServicePath.objects.all()
    return ServicePath.objects.filter(
        Q(municipality_id__in=codes) | Q(municipalities__code__in=codes)
    ).distinct()


def organisation_ids_editing_own_steps(user: Any) -> set[int] | None:
    """Organisations (with units) whose steps the user may describe; None means all."""
    return organisation_policies.organisation_ids_with(user, Permission.UPDATE_OWN_SERVICE_STEPS)


def can_manage_client_groups(user: Any) -> bool:
    return account_policies.is_platform_admin(user)


def can_edit_step_details(user: Any, step: ServiceStep) -> bool:
    """The path's editors, and editors of the step's responsible organisation (its own step only)."""
    if can_edit_path(user, step.path):
        return True
    return step.responsible is not None and account_policies.has_permission(
        user, Permission.UPDATE_OWN_SERVICE_STEPS, step.responsible
    )

"""Who may see and change programmes (built on accounts.policies and the roles table).

Decisions:
- The coordinators (EDIT_PROGRAMME) of the owner municipality edit the programme; in a joint
  programme the coordinators of every municipality involved edit it too, because a joint programme
  is prepared together and the law lets municipalities plan together (domain.md §3.2 step 1).
- Organisations (UPDATE_OWN_MEASURES) report only on the measures they are responsible for.
- Adopted programmes (and their later statuses) are public; drafts are seen by their editors and
  by the owner municipality's members (e.g. decision makers with a viewer account).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation, OrganisationKind

from .enums import PUBLIC_STATUSES
from .errors import PlanningErrorCode
from .models import Measure, MonitoringRound, Programme


def require(allowed: bool) -> None:  # noqa: FBT001 - reads as a guard: require(can_x(...))
    """Raise NOT_ALLOWED unless `allowed` (services re-check the policy with this)."""
    if not allowed:
        raise ApplicationError.from_code(PlanningErrorCode.NOT_ALLOWED)


def _editing_municipalities(user: Any) -> set[str] | None:
    return account_policies.municipality_codes_with(user, Permission.EDIT_PROGRAMME)


def can_create_programme(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.EDIT_PROGRAMME)


def owner_choices(user: Any) -> QuerySet[Organisation]:
    """Municipalities the user may make a programme for."""
    municipalities = Organisation.objects.of_kind(OrganisationKind.MUNICIPALITY)
    codes = _editing_municipalities(user)
    return municipalities if codes is None else municipalities.filter(home_municipality_id__in=codes)


def programmes_editable_by(user: Any) -> QuerySet[Programme]:
    codes = _editing_municipalities(user)
    if codes is None:
        return Programme.objects.all()
    if not codes:
        return Programme.objects.none()
    return Programme.objects.filter(
        Q(owner__home_municipality_id__in=codes) | Q(municipalities__code__in=codes)
    ).distinct()


def can_edit_programme(user: Any, programme: Programme) -> bool:
    codes = _editing_municipalities(user)
    if codes is None:
        return True
    if not codes:
        return False
    if programme.owner.home_municipality_id in codes:
        return True
    return programme.municipalities.filter(code__in=codes).exists()


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """Public programmes, the ones the user edits, and the drafts of the user's own municipality."""
    internal = organisation_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)
    if internal is None:
        return Programme.objects.all()
    editable = programmes_editable_by(user).values("pk")
    return Programme.objects.filter(
        Q(status__in=PUBLIC_STATUSES) | Q(pk__in=editable) | Q(owner_id__in=internal)
    ).distinct()


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.filter(status__in=PUBLIC_STATUSES)


def responsible_organisation_ids(user: Any) -> set[int] | None:
    """Organisations (and their units) whose measures the user reports on; None means all."""
    return organisation_policies.organisation_ids_with(user, Permission.UPDATE_OWN_MEASURES)


def can_update_measure(user: Any, measure: Measure) -> bool:
    """The responsible organisation's members report on a measure; the programme's editors too."""
    if account_policies.has_permission(
        user, Permission.UPDATE_OWN_MEASURES, measure.responsible_organisation
    ):
        return True
    return can_edit_programme(user, measure.programme)


def measures_updatable_by(user: Any, programme: Programme) -> QuerySet[Measure]:
    measures = programme.measures.all()
    if can_edit_programme(user, programme):
        return measures
    ids = responsible_organisation_ids(user)
    return measures if ids is None else measures.filter(responsible_organisation_id__in=ids)


def can_view_monitoring(user: Any, programme: Programme) -> bool:
    """Editors, the responsible organisations and the owner municipality's members follow monitoring."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_edit_programme(user, programme):
        return True
    if account_policies.has_permission(user, Permission.VIEW_ORGANISATION_INTERNAL, programme.owner):
        return True
    return measures_updatable_by(user, programme).exists()


def can_view_round(user: Any, monitoring_round: MonitoringRound) -> bool:
    return can_view_monitoring(user, monitoring_round.programme)


def can_manage_checklists(user: Any) -> bool:
    """The platform admin keeps the checklist templates in line with the current guidance."""
    return account_policies.has_global_permission(user, Permission.MANAGE_PLATFORM)

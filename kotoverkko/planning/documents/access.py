"""Who may read and write the documents and consultations of a programme, and the kotoutumisohjelma
description. Programme-level answers come from `planning.policies` (the core's single source);
this module adds what documents and consultations need on top.

Adopted programmes are decisions of the municipality: everyone may read them and their
documents. A draft is read by the programme's editors, the owner municipality's members and the
members of the organisations involved in it (responsible organisations and partners of
measures, organisations invited to its consultations). Nothing here compares roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import MUNICIPAL_KINDS, Organisation
from kotoverkko.planning import policies as planning_policies
from kotoverkko.planning.enums import PUBLIC_STATUSES
from kotoverkko.planning.models import InitialPhasePlan, InitialPhasePlanStatus, MonitoringRound, Programme

if TYPE_CHECKING:
    from kotoverkko.planning.models import Consultation


def _member_organisation_ids(user: Any) -> set[int] | None:
    """Organisations (with units) the user is a member of; None for platform admins (all)."""
    return organisation_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)


def _in_municipalities(codes: set[str] | None, programme: Programme) -> bool:
    if codes is None:
        return True
    if not codes:
        return False
    if programme.owner.home_municipality_id in codes:
        return True
    return programme.municipalities.filter(code__in=codes).exists()


def can_edit_programme(user: Any, programme: Programme) -> bool:
    return planning_policies.can_edit_programme(user, programme)


def can_moderate_consultation(user: Any, consultation: Consultation) -> bool:
    """MODERATE_CONSULTATION holds municipality-wide, like EDIT_PROGRAMME."""
    codes = account_policies.municipality_codes_with(user, Permission.MODERATE_CONSULTATION)
    return _in_municipalities(codes, consultation.programme)


def moderated_programmes(user: Any) -> QuerySet[Programme]:
    codes = account_policies.municipality_codes_with(user, Permission.MODERATE_CONSULTATION)
    if codes is None:
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(owner__home_municipality_id__in=codes) | Q(municipalities__code__in=codes)
    ).distinct()


def programmes_readable_by(user: Any) -> QuerySet[Programme]:
    """What `planning.policies.programmes_visible_to` shows, plus drafts the user's organisations
    are involved in (as responsible organisation, partner or invited consultee)."""
    visible = planning_policies.programmes_visible_to(user).values("pk")
    members = _member_organisation_ids(user)
    if members is None:
        return Programme.objects.all()
    query = Q(pk__in=visible)
    if members:
        involved = Programme.objects.filter(
            Q(measures__responsible_organisation_id__in=members)
            | Q(measures__partners__in=members)
            | Q(consultations__invited_organisations__in=members)
        ).values("pk")
        query |= Q(pk__in=involved)
    return Programme.objects.filter(query)


def can_read_programme(user: Any, programme: Programme) -> bool:
    if programme.status in PUBLIC_STATUSES:
        return True
    return programmes_readable_by(user).filter(pk=programme.pk).exists()


def can_read_round(user: Any, monitoring_round: MonitoringRound) -> bool:
    """A compiled round of a public programme is a public report; otherwise monitoring's readers."""
    if monitoring_round.programme.status in PUBLIC_STATUSES and not monitoring_round.is_open:
        return True
    return planning_policies.can_view_round(user, monitoring_round)


# --- The kotoutumisohjelma description ------------------------------------------------------------


def owners_for_initial_phase_plans(user: Any) -> QuerySet[Organisation]:
    """Municipal organisations of the municipalities where the user edits plans."""
    codes = account_policies.municipality_codes_with(user, Permission.EDIT_PROGRAMME)
    municipal = Organisation.objects.filter(kind__in=MUNICIPAL_KINDS, home_municipality__isnull=False)
    return municipal if codes is None else municipal.filter(home_municipality_id__in=codes)


def can_create_initial_phase_plan(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.EDIT_PROGRAMME)


def can_write_initial_phase_for(user: Any, owner: Organisation) -> bool:
    codes = account_policies.municipality_codes_with(user, Permission.EDIT_PROGRAMME)
    return codes is None or (bool(owner.home_municipality_id) and owner.home_municipality_id in codes)


def can_edit_initial_phase_plan(user: Any, plan: InitialPhasePlan) -> bool:
    return can_write_initial_phase_for(user, plan.owner)


def initial_phase_plans_readable_by(user: Any) -> QuerySet[InitialPhasePlan]:
    """Published descriptions for everyone; drafts for the owner's members and the editors."""
    published = Q(status=InitialPhasePlanStatus.PUBLISHED)
    members = _member_organisation_ids(user)
    codes = account_policies.municipality_codes_with(user, Permission.EDIT_PROGRAMME)
    if members is None or codes is None:
        return InitialPhasePlan.objects.all()
    return InitialPhasePlan.objects.filter(
        published | Q(owner_id__in=members) | Q(owner__home_municipality_id__in=codes)
    )

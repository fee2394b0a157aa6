"""Who may see and change cooperation bodies, meetings, action items and agreements.

Managing (creating bodies and agreements, editing them, their members and meetings) needs
MANAGE_COOPERATION in the owning organisation. A body's "inside" (agendas, attachments, minutes,
member persons) is seen by the members of its member organisations and by the persons in its
seats. A body's chair and secretary may also record meetings and update action items.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation

from .enums import OFFICER_ROLES
from .models import ActionItem, Agreement, CooperationBody, Meeting


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _member_organisation_ids(user: Any) -> set[int] | None:
    """Organisations the user belongs to (with their units); None for platform admins."""
    return organisation_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)


def _managed_organisation_ids(user: Any) -> set[int] | None:
    return organisation_policies.organisation_ids_with(user, Permission.MANAGE_COOPERATION)


def _own_lineages(user: Any) -> set[int]:
    """The user's organisations, every organisation above them and every unit below them: a unit's
    staff belong to a body whose seat the parent holds, and the other way round."""
    ids: set[int] = set()
    for membership in account_policies.memberships_of(user):
        ids |= set(membership.organisation.lineage_ids())
    return ids | organisation_policies.with_units(
        {m.organisation_id for m in account_policies.memberships_of(user)}
    )


# --- Bodies ---------------------------------------------------------------------------------------


def organisations_for_cooperation(user: Any) -> QuerySet[Organisation]:
    """Organisations on whose behalf the user may run bodies and keep agreements."""
    return organisation_policies.organisations_with(user, Permission.MANAGE_COOPERATION)


def can_create_body(user: Any) -> bool:
    return _signed_in(user) and account_policies.has_permission(user, Permission.MANAGE_COOPERATION)


def can_manage_body(user: Any, body: CooperationBody) -> bool:
    return account_policies.has_permission(user, Permission.MANAGE_COOPERATION, body.owner)


def is_body_insider(user: Any, body: CooperationBody) -> bool:
    """Managers, the members of member organisations and the persons holding seats."""
    if not _signed_in(user):
        return False
    if account_policies.is_platform_admin(user) or can_manage_body(user, body):
        return True
    if body.members.filter(user=user).exists():
        return True
    return body.members.filter(organisation_id__in=_own_lineages(user)).exists()


def can_record_meeting(user: Any, body: CooperationBody) -> bool:
    if can_manage_body(user, body):
        return True
    return _signed_in(user) and body.members.filter(user=user, role__in=OFFICER_ROLES).exists()


def bodies_visible_to(user: Any) -> QuerySet[CooperationBody]:
    """Public bodies, plus the hidden ones the user manages or is a member of."""
    if not _signed_in(user):
        return CooperationBody.objects.filter(is_public=True)
    managed = _managed_organisation_ids(user)
    if managed is None:
        return CooperationBody.objects.all()
    inside = (
        Q(owner_id__in=managed) | Q(members__user=user) | Q(members__organisation_id__in=_own_lineages(user))
    )
    ids = CooperationBody.objects.filter(Q(is_public=True) | inside).values("pk")
    return CooperationBody.objects.filter(pk__in=ids)


def bodies_managed_by(user: Any) -> QuerySet[CooperationBody]:
    managed = _managed_organisation_ids(user)
    if managed is None:
        return CooperationBody.objects.all()
    return CooperationBody.objects.filter(owner_id__in=managed)


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=bodies_visible_to(user).values("pk"))


def can_view_meeting_papers(user: Any, meeting: Meeting) -> bool:
    """Agendas, attachments and the online link: insiders only."""
    return is_body_insider(user, meeting.body)


def can_view_minutes(user: Any, meeting: Meeting) -> bool:
    return meeting.body.minutes_public or is_body_insider(user, meeting.body)


# --- Action items ---------------------------------------------------------------------------------


def can_update_action_item(user: Any, item: ActionItem) -> bool:
    """The responsible organisation's managers, and whoever may record the body's meetings."""
    if account_policies.has_permission(user, Permission.MANAGE_COOPERATION, item.owner):
        return True
    return can_record_meeting(user, item.body)


def can_view_action_items(user: Any) -> bool:
    return _signed_in(user) and bool(account_policies.memberships_of(user))


def action_items_visible_to(user: Any) -> QuerySet[ActionItem]:
    """Items of the user's organisations, and of the bodies the user may see inside."""
    if not _signed_in(user):
        return ActionItem.objects.none()
    own = _member_organisation_ids(user)
    if own is None:
        return ActionItem.objects.all()
    inside = Q(body__owner_id__in=_managed_organisation_ids(user) or set()) | Q(body__members__user=user)
    ids = ActionItem.objects.filter(Q(owner_id__in=own) | inside).values("pk")
    return ActionItem.objects.filter(pk__in=ids)


# --- Agreements -----------------------------------------------------------------------------------


def can_create_agreement(user: Any) -> bool:
    return can_create_body(user)


def can_manage_agreement(user: Any, agreement: Agreement) -> bool:
    return account_policies.has_permission(user, Permission.MANAGE_COOPERATION, agreement.owner)


def is_agreement_insider(user: Any, agreement: Agreement) -> bool:
    """The managing organisation's and the parties' members see the whole agreement."""
    if not _signed_in(user):
        return False
    if account_policies.is_platform_admin(user) or can_manage_agreement(user, agreement):
        return True
    lineages = _own_lineages(user)
    return agreement.owner_id in lineages or agreement.parties.filter(organisation_id__in=lineages).exists()


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    """Agreements with a public summary, plus those of the user's organisations."""
    if not _signed_in(user):
        return Agreement.objects.filter(is_public=True)
    if account_policies.is_platform_admin(user):
        return Agreement.objects.all()
    lineages = _own_lineages(user)
    inside = Q(owner_id__in=lineages) | Q(parties__organisation_id__in=lineages)
    ids = Agreement.objects.filter(Q(is_public=True) | inside).values("pk")
    return Agreement.objects.filter(pk__in=ids)

"""Read use-cases for organisations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kotoverkko.accounts.models import Invitation, Membership
from kotoverkko.core.models import AuditEvent

from . import policies
from .models import Organisation


@dataclass(frozen=True)
class OrganisationFilters:
    text: str = ""
    kind: str = ""
    municipality: str = ""
    language: str = ""


def organisation_list_public(*, filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Public organisations matching the filters, in name order."""
    organisations = Organisation.objects.public().select_related("home_municipality", "parent")
    if filters.text:
        organisations = organisations.matching(filters.text)
    if filters.kind:
        organisations = organisations.of_kind(filters.kind)
    if filters.municipality:
        organisations = organisations.serving(filters.municipality)
    if filters.language:
        organisations = organisations.filter(languages_served__code=filters.language).distinct()
    return organisations


def organisation_get_for_user(*, user: Any, organisation_id: int) -> Organisation:
    """A public organisation, or a hidden one the user belongs to; 404 otherwise."""
    organisations = policies.organisations_visible_to(user).select_related("home_municipality", "parent")
    organisations = organisations.prefetch_related(
        "municipalities_served",
        "languages_served",
        Prefetch("units", queryset=Organisation.objects.public().order_by("sort_name")),
    )
    return get_object_or_404(organisations, pk=organisation_id)


def organisation_get_for_member(*, user: Any, organisation_id: int) -> Organisation:
    """An organisation whose internal pages the user may see; 404 otherwise (also when it exists)."""
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=organisation_id)
    if not policies.can_view_members(user, organisation):
        raise Http404
    return organisation


def organisation_get_for_editor(*, user: Any, organisation_id: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=organisation_id)
    if not policies.can_edit_organisation(user, organisation):
        raise Http404
    return organisation


def member_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__full_name", "user__email")


def invitation_list_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.pending().select_related("invited_by")


def organisations_of_user(*, user: Any) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation").order_by("organisation__sort_name")


def audit_event_list(
    *, user: Any, organisation_id: int | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    events = policies.audit_events_visible_to(user).select_related("actor")
    if organisation_id:
        events = events.filter(organisation_id=organisation_id)
    if action:
        events = events.filter(action__startswith=action)
    return events


def organisation_names(ids: set[int]) -> dict[int, str]:
    return {org.pk: str(org) for org in Organisation.objects.filter(pk__in=ids)}

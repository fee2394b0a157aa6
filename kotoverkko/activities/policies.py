"""Who may do what in the activity directory (built on accounts.policies)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation

from .models import Handout, Listing


def organisations_for_listings(user: Any) -> QuerySet[Organisation]:
    """Organisations whose listings the user may write (their own and their units)."""
    return organisation_policies.organisations_with(user, Permission.EDIT_LISTINGS)


def listings_editable_by(user: Any) -> QuerySet[Listing]:
    ids = organisation_policies.organisation_ids_with(user, Permission.EDIT_LISTINGS)
    return Listing.objects.of_organisations(ids)


def can_edit_listing(user: Any, listing: Listing) -> bool:
    return account_policies.has_permission(user, Permission.EDIT_LISTINGS, listing.organisation)


def can_publish_for(user: Any, organisation: Organisation) -> bool:
    return account_policies.has_permission(user, Permission.EDIT_LISTINGS, organisation)


def can_moderate(user: Any) -> bool:
    """Platform editors (the platform admin role) run the moderation queue."""
    return account_policies.has_global_permission(user, Permission.MANAGE_PLATFORM)


def can_manage_vocabularies(user: Any) -> bool:
    return account_policies.has_global_permission(user, Permission.MANAGE_PLATFORM)


def can_hand_out(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.HAND_OUT_LISTINGS)


def organisations_for_handouts(user: Any) -> QuerySet[Organisation]:
    return organisation_policies.organisations_with(user, Permission.HAND_OUT_LISTINGS)


def handouts_visible_to(user: Any) -> QuerySet[Handout]:
    """A counsellor's own handouts (handouts hold no client data, but they are working papers)."""
    if not getattr(user, "is_authenticated", False):
        return Handout.objects.none()
    return Handout.objects.filter(created_by=user)


def can_view_directory_statistics(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.VIEW_DIRECTORY_STATISTICS)

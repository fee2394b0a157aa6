"""Who may see and do what with signals (built on accounts.policies and organisations.policies).

* Senders: members of an organisation with SEND_SIGNALS send on its behalf; every such member of the
  sending organisation sees the signal, its status and its answer.
* Handlers: members with HANDLE_SIGNALS of the organisation the signal is routed to receive, answer
  and re-route it.
* Coordinators: COORDINATE_SIGNALS holds in the municipality of the member's municipal
  organisation: they see every signal of that municipality, re-route them, keep its routing table
  and see its statistics.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation

from . import workflow
from .models import Signal


def organisations_for_sending(user: Any) -> QuerySet[Organisation]:
    """Organisations on whose behalf the user may send signals."""
    return organisation_policies.organisations_with(user, Permission.SEND_SIGNALS)


def can_send_signals(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.SEND_SIGNALS)


def can_send_for(user: Any, organisation: Organisation) -> bool:
    return account_policies.has_permission(user, Permission.SEND_SIGNALS, organisation)


def coordinated_municipalities(user: Any) -> set[str] | None:
    """Municipalities whose signals the user oversees; None means every municipality."""
    return account_policies.municipality_codes_with(user, Permission.COORDINATE_SIGNALS)


def can_coordinate_signals(user: Any) -> bool:
    codes = coordinated_municipalities(user)
    return codes is None or bool(codes)


def can_coordinate_municipality(user: Any, municipality_code: str) -> bool:
    codes = coordinated_municipalities(user)
    return codes is None or municipality_code in codes


def can_use_inbox(user: Any) -> bool:
    return account_policies.has_permission(user, Permission.HANDLE_SIGNALS) or can_coordinate_signals(user)


def signals_sent_visible_to(user: Any) -> QuerySet[Signal]:
    """Signals of the organisations the user sends for (and their units)."""
    ids = organisation_policies.organisation_ids_with(user, Permission.SEND_SIGNALS)
    return Signal.objects.all() if ids is None else Signal.objects.filter(sender_organisation_id__in=ids)


def signals_in_inbox_of(user: Any) -> QuerySet[Signal]:
    """Signals routed to the user's organisations, plus every signal of the municipalities they oversee."""
    ids = organisation_policies.organisation_ids_with(user, Permission.HANDLE_SIGNALS)
    codes = coordinated_municipalities(user)
    if ids is None or codes is None:
        return Signal.objects.all()
    return Signal.objects.filter(Q(routed_organisation_id__in=ids) | Q(municipality_id__in=codes))


def signals_visible_to(user: Any) -> QuerySet[Signal]:
    """Every signal the user may open: sent by, routed to or overseen by them."""
    if not getattr(user, "is_authenticated", False):
        return Signal.objects.none()
    return (signals_sent_visible_to(user) | signals_in_inbox_of(user)).distinct()


def can_handle_signal(user: Any, signal: Signal) -> bool:
    """Receive, answer and change the status: the handlers of the organisation it is routed to."""
    return account_policies.has_permission(user, Permission.HANDLE_SIGNALS, signal.routed_organisation)


def can_reroute_signal(user: Any, signal: Signal) -> bool:
    if signal.status not in workflow.REROUTABLE:
        return False
    return can_handle_signal(user, signal) or can_coordinate_municipality(user, signal.municipality_id)


def can_see_handling(user: Any, signal: Signal) -> bool:
    """The handlers' view (history, sending organisation's details) rather than only the sender's."""
    return can_handle_signal(user, signal) or can_coordinate_municipality(user, signal.municipality_id)

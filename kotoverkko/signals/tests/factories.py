"""Test helpers for signals: themes come from the data migration, signals from the service."""

from __future__ import annotations

from typing import Any

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.tests.factories import MembershipFactory
from kotoverkko.reference.models import Municipality
from kotoverkko.signals import services
from kotoverkko.signals.enums import SignalTargetGroup, SignalUrgency
from kotoverkko.signals.models import Signal, SignalTheme

DESCRIPTION = "Kielikahvilan osallistujat eivät löydä tietoa iltaisin järjestettävistä kursseista."


def theme(slug: str = "housing") -> SignalTheme:
    return SignalTheme.objects.get(slug=slug)


def signal_data(
    *,
    sender: Organisation,
    municipality: str = "257",
    theme_slug: str = "housing",
    description: str = DESCRIPTION,
    **overrides: Any,
) -> services.SignalData:
    values: dict[str, Any] = {
        "sender_organisation": sender,
        "theme": theme(theme_slug),
        "municipality": Municipality.objects.get(code=municipality),
        "target_group": SignalTargetGroup.FAMILIES,
        "description": description,
        "urgency": SignalUrgency.NORMAL,
        **overrides,
    }
    return services.SignalData(**values)


def send_signal(*, sender: Organisation, actor: Any = None, **kwargs: Any) -> Signal:
    """A signal sent by a viewer of `sender` (any member may send), without e-mails."""
    if actor is None:
        actor = MembershipFactory(organisation=sender, role=Role.VIEWER).user
    return services.signal_send(data=signal_data(sender=sender, **kwargs), actor=actor, notify=False)

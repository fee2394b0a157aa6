"""Allowed signal status transitions, as data. Services refuse anything else.

Answering is its own operation (it needs the answer text); the plain status change offers only the
transitions that do not need one.
"""

from __future__ import annotations

from .enums import SignalStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.RECEIVED, S.IN_PROGRESS, S.ANSWERED, S.CLOSED}),
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.ANSWERED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.RECEIVED, S.ANSWERED, S.CLOSED}),
    S.ANSWERED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset({S.IN_PROGRESS}),
}

# Statuses in which the answer may be written or corrected.
ANSWERABLE: frozenset[str] = frozenset({S.NEW, S.RECEIVED, S.IN_PROGRESS, S.ANSWERED})

# Statuses in which the signal may still be sent on to another organisation.
REROUTABLE: frozenset[str] = frozenset({S.NEW, S.RECEIVED, S.IN_PROGRESS})


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def manual_targets(current: str) -> list[str]:
    """Statuses a handler may pick by hand (answering goes through the answer form)."""
    return [status for status in S.values if can_transition(current, status) and status != S.ANSWERED]

"""Allowed programme status transitions, as data. Services refuse anything else.

`revised` is set by the service when a revision of the programme is adopted, never by hand.
"""

from __future__ import annotations

from .enums import ProgrammeStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.CONSULTATION, S.ADOPTED, S.ARCHIVED}),
    S.CONSULTATION: frozenset({S.DRAFT, S.ADOPTED, S.ARCHIVED}),
    S.ADOPTED: frozenset({S.MONITORING, S.ARCHIVED}),
    S.MONITORING: frozenset({S.ARCHIVED}),
    S.REVISED: frozenset({S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
}

# Statuses in which the content (goals, measures, indicators) may still change.
EDITABLE_CONTENT = frozenset({S.DRAFT, S.CONSULTATION})
# Statuses a revision may start from: the adopted version and the one being monitored.
REVISABLE = frozenset({S.ADOPTED, S.MONITORING})
# Statuses in which monitoring rounds run.
MONITORABLE = frozenset({S.ADOPTED, S.MONITORING})


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def next_statuses(current: str) -> list[str]:
    return [status for status in S.values if can_transition(current, status)]

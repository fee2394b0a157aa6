"""Allowed listing status transitions, as data. Services refuse anything else."""

from __future__ import annotations

from .enums import ListingStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.ARCHIVED}),
    S.SUBMITTED: frozenset({S.PUBLISHED, S.RETURNED, S.DRAFT, S.ARCHIVED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.DRAFT, S.ARCHIVED}),
    S.PUBLISHED: frozenset({S.ARCHIVED, S.SUBMITTED}),
    S.ARCHIVED: frozenset({S.DRAFT}),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())

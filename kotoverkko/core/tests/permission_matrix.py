"""Shared pieces of the permission-matrix tests: who asks, and what each of them should get.

Principals are an anonymous visitor and every role both in the organisation concerned ("own")
and the same role in another organisation ("other"). Each area's test module builds its own
world and list of `Case`s; the route-coverage test in organisations reads those lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kotoverkko.accounts.roles import Role

ANON = "anonymous"
PRINCIPALS = [ANON] + [f"{role.value}:own" for role in Role] + [f"{role.value}:other" for role in Role]


@dataclass(frozen=True)
class Case:
    route: str
    url: Callable[[Any], str]
    expected: dict[str, int]
    method: str = "get"
    data: Callable[[Any], dict] | None = None


def expect(*, anonymous: int, default: int, **by_principal: int) -> dict[str, int]:
    """Expected status per principal: `default` unless named (role__scope=status)."""
    table = dict.fromkeys(PRINCIPALS, default)
    table[ANON] = anonymous
    for key, status in by_principal.items():
        role, _, scope = key.rpartition("__")
        table[f"{role}:{scope}"] = status
    return table


def everyone(status: int) -> dict[str, int]:
    return expect(anonymous=status, default=status)

"""Templates of service paths built from the law, read from data/path_templates.json.

A template is dated data: it names the organisations by kind and the legal bases by act and
section, so a new law adds a template with a new `valid_from` instead of changing code.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "path_templates.json"


@dataclass(frozen=True)
class TemplateStep:
    key: str
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    responsible_kind: str
    partner_kinds: tuple[str, ...]
    legal: tuple[tuple[str, str], ...]
    deadline: dict[str, Any] | None


@dataclass(frozen=True)
class PathTemplate:
    key: str
    client_group: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    legal_regime: str
    steps: tuple[TemplateStep, ...]

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _step(row: dict[str, Any]) -> TemplateStep:
    return TemplateStep(
        key=row["key"],
        kind=row["kind"],
        title=row["title"],
        description=row.get("description", {}),
        responsible_kind=row.get("responsible", ""),
        partner_kinds=tuple(row.get("partners", ())),
        legal=tuple((act, section) for act, section in row.get("legal", ())),
        deadline=row.get("deadline"),
    )


@cache
def all_templates() -> tuple[PathTemplate, ...]:
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["templates"]
    return tuple(
        PathTemplate(
            key=row["key"],
            client_group=row["client_group"],
            valid_from=datetime.date.fromisoformat(row["valid_from"]),
            valid_to=datetime.date.fromisoformat(row["valid_to"]) if row.get("valid_to") else None,
            legal_regime=row.get("legal_regime", ""),
            steps=tuple(_step(step) for step in row["steps"]),
        )
        for row in rows
    )


def templates_for(client_group_slug: str, *, on: datetime.date) -> list[PathTemplate]:
    """The templates of a client group valid on the given day."""
    return [t for t in all_templates() if t.client_group == client_group_slug and t.is_valid_on(on)]


def template_get(key: str) -> PathTemplate | None:
    return next((t for t in all_templates() if t.key == key), None)

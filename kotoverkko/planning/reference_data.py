"""Loads the planning reference data (checklist templates, VALKO) from `data/*.json`.

Idempotent and additive: rows that exist are left alone, so edits the platform admin made through
the checklist pages survive. It takes an app registry so that a data migration can call it with the
historical models.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_checklists(apps: Any = global_apps) -> int:
    """Create missing checklist templates and steps; returns how many steps were created."""
    provision_model = apps.get_model("reference", "LegalProvision")
    template_model = apps.get_model("planning", "ChecklistTemplate")
    step_model = apps.get_model("planning", "ChecklistStepTemplate")
    data = _read("checklists.json")
    provisions = {}
    for row in data["provisions"]:
        valid_from = _date(row["valid_from"])
        # The reference loader owns these rows and upserts them by the same key later.
        provision, _created = provision_model.objects.get_or_create(
            act_number=row["act"],
            section=row["section"],
            valid_from=valid_from,
            defaults={"title_fi": row["fi"], "title_sv": row["sv"], "title_en": row["en"], "url": row["url"]},
        )
        provisions[(row["act"], row["section"], row["valid_from"])] = provision
    created = 0
    for template_row in data["templates"]:
        template, _created = template_model.objects.get_or_create(
            key=template_row["key"],
            version=template_row["version"],
            defaults={
                "name": template_row["name"],
                "source_url": template_row["source_url"],
                "valid_from": _date(template_row["valid_from"]),
                "valid_until": _date(template_row["valid_until"]),
            },
        )
        for position, row in enumerate(template_row["steps"], start=1):
            step, was_created = step_model.objects.get_or_create(
                template=template,
                key=row["key"],
                defaults={
                    "position": position,
                    "title": row["title"],
                    "guidance": row["guidance"],
                    "guiding_questions": row["questions"],
                    "link_target": row["link"],
                },
            )
            if was_created:
                created += 1
                step.legal_provisions.set([provisions[tuple(key)] for key in row["provisions"]])
    return created


def load_valko(apps: Any = global_apps) -> int:
    """Create missing VALKO goals and measure areas; returns how many were created."""
    valko_model = apps.get_model("planning", "ValkoGoal")
    created = 0
    for programme in _read("valko.json")["programmes"]:
        for position, row in enumerate(programme["items"], start=1):
            _goal, was_created = valko_model.objects.get_or_create(
                version=programme["version"],
                kind=row["kind"],
                code=row["code"],
                defaults={
                    "title": row["title"],
                    "is_summary": row["summary"],
                    "source_url": programme["source_url"],
                    "valid_from": _date(programme["valid_from"]),
                    "valid_until": _date(programme["valid_until"]),
                    "position": position,
                },
            )
            created += int(was_created)
    return created

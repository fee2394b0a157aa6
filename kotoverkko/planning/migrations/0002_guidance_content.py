"""Dated guidance content: the KOTO24 planning checklist, the VALKO 2024–2027 goals and the mandatory
elements of the kotoutumisohjelma, from the app's JSON files (the loaders only add what is missing,
so the platform admin's edits survive)."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "initial_phase_elements.json"


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def load_elements(apps, schema_editor):
    element_model = apps.get_model("planning", "InitialPhaseElement")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["elements"]:
        element_model.objects.update_or_create(
            slug=row["slug"],
            valid_from=_day(row["valid_from"]),
            defaults={
                "position": row["position"],
                "valid_until": _day(row.get("valid_until")),
                "name": row["name"],
                "description": row.get("description") or {},
                "legal_act": row.get("legal_act", ""),
                "legal_section": row.get("legal_section", ""),
                "legal_note": row.get("legal_note") or {},
            },
        )


def load_checklists_and_valko(apps, schema_editor):
    # The loader takes the historical registry, so it works with the models as of this migration.
    from kotoverkko.planning import reference_data

    reference_data.load_checklists(apps)
    reference_data.load_valko(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_checklists_and_valko, migrations.RunPython.noop),
        migrations.RunPython(load_elements, migrations.RunPython.noop),
    ]

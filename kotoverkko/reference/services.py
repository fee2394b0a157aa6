"""Loading reference data: idempotent, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from . import sources
from .models import Country, Language, LegalProvision, Municipality, Region, WellbeingCounty


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        parts = [
            f"{name}: {self.created.get(name, 0)} created, {self.updated.get(name, 0)} updated"
            for name in self.created
        ]
        return "; ".join(parts)


def _upsert(
    model: type[models.Model],
    *,
    key: Callable[[Any], Any],
    rows: Iterable[tuple[Any, dict[str, Any]]],
    report: LoadReport,
) -> dict[Any, Any]:
    """Create missing rows and update changed ones; returns key -> instance."""
    existing = {key(obj): obj for obj in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for row_key, values in rows:
        obj = existing.get(row_key)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
            existing[row_key] = obj
            continue
        differing = {name for name, value in values.items() if getattr(obj, name) != value}
        if differing:
            for name in differing:
                setattr(obj, name, values[name])
            changed_fields |= differing
            to_update.append(obj)
    for obj in to_create:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields | {"updated_at"}))
    label = model._meta.model_name
    report.created[label] = len(to_create)
    report.updated[label] = len(to_update)
    # Re-read so that rows created above carry primary keys on every database backend.
    return {key(obj): obj for obj in model.objects.all()}


def _names(record: sources.Named) -> dict[str, str]:
    return {f"name_{language}": record.names[language] for language in sources.LANGUAGES}


@transaction.atomic
def reference_data_load(*, data_dir: Path = sources.DATA_DIR) -> LoadReport:
    """Load regions, counties, municipalities, languages, countries and legal provisions.

    Running it again changes nothing unless the files changed. Raises ReferenceDataError.
    """
    data = sources.read_all(data_dir)
    report = LoadReport()

    regions = _upsert(
        Region,
        key=lambda obj: obj.code,
        rows=((r.code, {"code": r.code, **_names(r)}) for r in data.regions),
        report=report,
    )
    counties = _upsert(
        WellbeingCounty,
        key=lambda obj: obj.code,
        rows=(
            (
                c.code,
                {
                    "code": c.code,
                    **_names(c),
                    "region": regions[c.region_code],
                    "is_city": c.is_city,
                    "source_code": c.source_code,
                },
            )
            for c in data.counties
        ),
        report=report,
    )
    municipalities = _upsert(
        Municipality,
        key=lambda obj: obj.code,
        rows=(
            (
                m.code,
                {
                    "code": m.code,
                    **_names(m),
                    "region": regions[m.region_code],
                    "wellbeing_county": counties[m.county_code] if m.county_code else None,
                    "valid_from": m.valid_from,
                    "valid_to": m.valid_to,
                },
            )
            for m in data.municipalities
        ),
        report=report,
    )
    # Successors point at rows that may only now exist, so they are linked in a second pass.
    successors = []
    for m in data.municipalities:
        obj = municipalities[m.code]
        successor = municipalities[m.successor_code] if m.successor_code else None
        if obj.successor_id != (successor.pk if successor else None):
            obj.successor = successor
            successors.append(obj)
    if successors:
        Municipality.objects.bulk_update(successors, ["successor"])
        report.updated[Municipality._meta.model_name] += len(successors)

    _upsert(
        Language,
        key=lambda obj: obj.code,
        rows=(
            (
                lang.code,
                {
                    "code": lang.code,
                    **_names(lang),
                    "iso639_3": lang.iso639_3,
                    "native_name": lang.native_name,
                    "classification_name_fi": lang.classification_name_fi,
                },
            )
            for lang in data.languages
        ),
        report=report,
    )
    _upsert(
        Country,
        key=lambda obj: obj.code,
        rows=((c.code, {"code": c.code, **_names(c)}) for c in data.countries),
        report=report,
    )
    _upsert(
        LegalProvision,
        key=lambda obj: (obj.act_number, obj.section, obj.valid_from),
        rows=(
            (
                (p.act_number, p.section, p.valid_from),
                {
                    "act_number": p.act_number,
                    "section": p.section,
                    "valid_from": p.valid_from,
                    "valid_to": p.valid_to,
                    "url": p.url,
                    **{f"title_{language}": p.titles[language] for language in sources.LANGUAGES},
                },
            )
            for p in data.provisions
        ),
        report=report,
    )
    return report

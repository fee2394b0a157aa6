"""Compare two versions of a programme, item by item (goals, measures, indicators share `key`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n

from .models import Goal, Indicator, Measure, Programme


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ItemDiff:
    kind: str  # added | removed | changed
    title: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class SectionDiff:
    label: str
    items: list[ItemDiff]

    @property
    def counts(self) -> dict[str, int]:
        return {
            kind: sum(1 for item in self.items if item.kind == kind)
            for kind in ("added", "removed", "changed")
        }


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return i18n.localized(value)
    return "" if value is None else str(value)


def _names(items: Any) -> str:
    return ", ".join(sorted(str(item) for item in items))


GOAL_FIELDS: list[tuple[Any, Callable[[Goal], str]]] = [
    (_("Goal"), lambda g: _text(g.title)),
    (_("Description"), lambda g: _text(g.description)),
    (_("Goal of the municipal strategy"), lambda g: g.strategy_goal),
    (_("VALKO goals and measure areas"), lambda g: _names(g.valko_goals.all())),
]
MEASURE_FIELDS: list[tuple[Any, Callable[[Measure], str]]] = [
    (_("Measure"), lambda m: _text(m.title)),
    (_("Description"), lambda m: _text(m.description)),
    (_("Goal"), lambda m: _text(m.goal.title) if m.goal else ""),
    (_("Responsible organisation"), lambda m: str(m.responsible_organisation)),
    (_("Partners"), lambda m: _names(m.partners.all())),
    (_("Starts"), lambda m: _text(m.starts_on)),
    (_("Ends"), lambda m: _text(m.ends_on)),
    (_("Resources"), lambda m: m.resources),
    (_("Budget (€)"), lambda m: _text(m.budget_eur)),
    (_("Directory listings"), lambda m: _names(m.listings.all())),
]
INDICATOR_FIELDS: list[tuple[Any, Callable[[Indicator], str]]] = [
    (_("Name"), lambda i: _text(i.name)),
    (_("Unit"), lambda i: i.unit),
    (_("Direction"), lambda i: str(i.get_direction_display())),
    (_("Source"), lambda i: str(i.get_source_kind_display())),
    (_("Baseline"), lambda i: _text(i.baseline_value)),
    (_("Target"), lambda i: _text(i.target_value)),
    (_("Target date"), lambda i: _text(i.target_on)),
]


def _section(
    label: Any, before: list[Any], after: list[Any], fields: list[tuple[Any, Callable]]
) -> SectionDiff:
    old = {item.key: item for item in before}
    new = {item.key: item for item in after}
    items: list[ItemDiff] = []
    for key, item in new.items():
        if key not in old:
            items.append(
                ItemDiff(
                    "added",
                    fields[0][1](item),
                    [FieldChange(str(n), "", g(item)) for n, g in fields if g(item)],
                )
            )
            continue
        changes = []
        for name, getter in fields:
            was, now = getter(old[key]), getter(item)
            if was != now:
                changes.append(FieldChange(str(name), was, now))
        if changes:
            items.append(ItemDiff("changed", fields[0][1](item), changes))
    for key, item in old.items():
        if key not in new:
            items.append(
                ItemDiff(
                    "removed",
                    fields[0][1](item),
                    [FieldChange(str(n), g(item), "") for n, g in fields if g(item)],
                )
            )
    return SectionDiff(str(label), items)


def _content(programme: Programme) -> tuple[list[Goal], list[Measure], list[Indicator]]:
    goals = list(programme.goals.prefetch_related("valko_goals"))
    measures = list(
        programme.measures.select_related("goal", "responsible_organisation").prefetch_related(
            "partners", "listings"
        )
    )
    indicators = list(programme.indicators.all())
    return goals, measures, indicators


def programme_diff(*, before: Programme, after: Programme) -> list[SectionDiff]:
    """What changed from `before` to `after`, by section: added, removed and changed items with the
    old and new text of every changed field."""
    old_goals, old_measures, old_indicators = _content(before)
    new_goals, new_measures, new_indicators = _content(after)
    return [
        _section(_("Goals"), old_goals, new_goals, GOAL_FIELDS),
        _section(_("Measures"), old_measures, new_measures, MEASURE_FIELDS),
        _section(_("Indicators"), old_indicators, new_indicators, INDICATOR_FIELDS),
    ]

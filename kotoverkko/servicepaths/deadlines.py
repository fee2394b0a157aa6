"""A step's deadline rule (amount, unit, anchor) as a sentence in the reader's language.

Whole sentences with named placeholders, so each language can inflect the anchor its own way
(Finnish needs the elative after "kuluessa" and the genitive before "jälkeen").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext, npgettext, pgettext, pgettext_lazy

from .enums import DeadlineAnchor, DeadlineUnit

if TYPE_CHECKING:
    from .models import ServiceStep

# "within six months of …"
ANCHOR_FROM = {
    DeadlineAnchor.ARRIVAL: pgettext_lazy("deadline counted from", "arrival in the municipality"),
    DeadlineAnchor.RESIDENCE_REGISTERED: pgettext_lazy(
        "deadline counted from", "registration of the municipality of residence"
    ),
    DeadlineAnchor.FIRST_PERMIT: pgettext_lazy("deadline counted from", "the first residence permit"),
    DeadlineAnchor.PLAN_MADE: pgettext_lazy("deadline counted from", "the integration plan"),
    DeadlineAnchor.ADULTHOOD: pgettext_lazy("deadline counted from", "turning 18"),
}
# "without delay after …"
ANCHOR_AFTER = {
    DeadlineAnchor.ARRIVAL: pgettext_lazy("deadline after", "arrival in the municipality"),
    DeadlineAnchor.RESIDENCE_REGISTERED: pgettext_lazy(
        "deadline after", "registration of the municipality of residence"
    ),
    DeadlineAnchor.FIRST_PERMIT: pgettext_lazy("deadline after", "the first residence permit"),
    DeadlineAnchor.PLAN_MADE: pgettext_lazy("deadline after", "the integration plan"),
    DeadlineAnchor.ADULTHOOD: pgettext_lazy("deadline after", "turning 18"),
}


def _period(amount: int, unit: str) -> str:
    if unit == DeadlineUnit.DAYS:
        text = npgettext("deadline period", "%(count)s day", "%(count)s days", amount)
    elif unit == DeadlineUnit.WEEKS:
        text = npgettext("deadline period", "%(count)s week", "%(count)s weeks", amount)
    else:
        text = npgettext("deadline period", "%(count)s month", "%(count)s months", amount)
    return text % {"count": amount}


def deadline_sentence(step: ServiceStep) -> str:
    """For example "within 6 months of the step “Integration plan”"; empty without a deadline."""
    if not step.has_deadline:
        return ""
    amount = step.deadline_amount or 0
    if step.deadline_anchor == DeadlineAnchor.STEP:
        anchor = step.deadline_anchor_step
        if anchor is None or anchor.path_id != step.path_id:
            if amount == 0:
                return gettext("without delay after a step that is no longer in this path")
            return gettext("within %(period)s of a step that is no longer in this path") % {
                "period": _period(amount, step.deadline_unit)
            }
        if amount == 0:
            return gettext("without delay after the step “%(step)s”") % {"step": anchor.display_title}
        return gettext("within %(period)s of the step “%(step)s”") % {
            "period": _period(amount, step.deadline_unit),
            "step": anchor.display_title,
        }
    event = DeadlineAnchor(step.deadline_anchor)
    if amount == 0:
        return pgettext("deadline", "without delay after %(event)s") % {"event": ANCHOR_AFTER[event]}
    return pgettext("deadline", "within %(period)s of %(event)s") % {
        "period": _period(amount, step.deadline_unit),
        "event": ANCHOR_FROM[event],
    }

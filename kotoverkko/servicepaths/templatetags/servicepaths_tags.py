from __future__ import annotations

from django import template

from kotoverkko.servicepaths.deadlines import deadline_sentence
from kotoverkko.servicepaths.models import ServiceStep

register = template.Library()


@register.filter
def deadline(step: ServiceStep) -> str:
    """The step's deadline rule as a sentence in the active language."""
    return deadline_sentence(step)

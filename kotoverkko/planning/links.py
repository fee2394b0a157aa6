"""Where a checklist step is done in the platform: the allow-listed `StepLink` targets as URLs.

A step links only where the reader may go: the editing pages (consultation, decision) are for the
programme's editors; everyone else gets the programme page itself.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from kotoverkko.cooperation.selectors import planning_cooperation_group

from .enums import StepLink
from .models import Programme


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def cooperation_group_url(municipality_code: str) -> str:
    """The municipality's planning cooperation group, if it has one in the platform."""
    body = planning_cooperation_group(municipality_code)
    return _reverse("cooperation:body_detail", body.pk) if body is not None else ""


def step_url(programme: Programme, link_target: str, *, can_edit: bool = True) -> str:
    code = programme.owner.home_municipality_id or ""
    if link_target == StepLink.COOPERATION_GROUP:
        return cooperation_group_url(code)
    if link_target == StepLink.SITUATION:
        return _reverse("situation:area", code)
    if link_target == StepLink.GOALS:
        return _reverse("planning:detail", programme.pk) + "#goals"
    if link_target == StepLink.CONSULTATION:
        if can_edit:
            return _reverse("planning:consultation_manage", programme.pk)
        return _reverse("planning:consultation_list")
    if link_target == StepLink.DECISION:
        if can_edit:
            return _reverse("planning:adopt", programme.pk)
        return _reverse("planning:detail", programme.pk)
    if link_target == StepLink.MONITORING:
        return _reverse("planning:dashboard", programme.pk)
    return ""

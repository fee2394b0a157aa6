"""Where a checklist step is done in the platform: the allow-listed `StepLink` targets as URLs.

Other apps' routes are resolved defensively: an app that is not there (or has renamed a route)
leaves the step without a link instead of breaking the checklist.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.urls import NoReverseMatch, reverse

from .enums import StepLink
from .models import Programme


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def cooperation_group_url(municipality_code: str) -> str:
    """The municipality's planning cooperation group, if the cooperation app names one."""
    try:
        selectors = importlib.import_module("kotoverkko.cooperation.selectors")
    except ImportError:
        return ""
    finder = getattr(selectors, "planning_cooperation_group", None)
    body = finder(municipality_code) if finder else None
    return _reverse("cooperation:body_detail", body.pk) if body is not None else ""


def step_url(programme: Programme, link_target: str) -> str:
    code = programme.owner.home_municipality_id or ""
    if link_target == StepLink.COOPERATION_GROUP:
        return cooperation_group_url(code)
    if link_target == StepLink.SITUATION:
        return _reverse("situation:area", code)
    if link_target == StepLink.GOALS:
        return _reverse("planning:detail", programme.pk) + "#goals"
    if link_target == StepLink.CONSULTATION:
        return _reverse("planning:consultation_manage", programme.pk)
    if link_target == StepLink.DECISION:
        return _reverse("planning:adopt", programme.pk)
    if link_target == StepLink.MONITORING:
        return _reverse("planning:dashboard", programme.pk)
    return ""

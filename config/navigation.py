"""Which work tools the site navigation offers the signed-in user.

It lives with the project wiring because the navigation spans every area; each flag asks that
area's own policy, lazily, so a page pays only for what its template shows.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kotoverkko.cooperation import policies as cooperation_policies
from kotoverkko.planning import policies as planning_policies
from kotoverkko.servicepaths import policies as servicepath_policies
from kotoverkko.signals import policies as signal_policies


def work_navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_send_signals": SimpleLazyObject(lambda: signal_policies.can_send_signals(user)),
        "can_use_signal_inbox": SimpleLazyObject(lambda: signal_policies.can_use_inbox(user)),
        "can_coordinate_signals": SimpleLazyObject(lambda: signal_policies.can_coordinate_signals(user)),
        "can_view_action_items": SimpleLazyObject(lambda: cooperation_policies.can_view_action_items(user)),
        "can_create_service_path": SimpleLazyObject(lambda: servicepath_policies.can_create_path(user)),
        "can_manage_checklists": SimpleLazyObject(lambda: planning_policies.can_manage_checklists(user)),
    }

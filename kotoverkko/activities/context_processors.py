from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import policies


def directory_navigation(request: HttpRequest) -> dict[str, Any]:
    """Which directory tools the navigation offers; lazy, evaluated only where shown."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "can_edit_listings": SimpleLazyObject(lambda: policies.organisations_for_listings(user).exists()),
        "can_moderate_listings": SimpleLazyObject(lambda: policies.can_moderate(user)),
        "can_view_directory_statistics": SimpleLazyObject(
            lambda: policies.can_view_directory_statistics(user)
        ),
    }

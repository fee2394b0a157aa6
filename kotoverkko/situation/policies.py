"""Who may do what in the situation picture. Everyone may read the public pages."""

from __future__ import annotations

from typing import Any

from kotoverkko.accounts.policies import has_permission
from kotoverkko.accounts.roles import Permission


def can_import_statistics(user: Any) -> bool:
    """Coordinators (and platform admins): the holders of VIEW_DIRECTORY_STATISTICS."""
    if user is None or not user.is_authenticated:
        return False
    return has_permission(user, Permission.VIEW_DIRECTORY_STATISTICS)


def can_view_import(user: Any, job: Any) -> bool:
    """An import's status page: whoever may import statistics (the imported data is public)."""
    return can_import_statistics(user)

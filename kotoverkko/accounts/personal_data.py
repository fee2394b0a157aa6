"""Personal data that other areas keep about a staff user, for the account's own export.

The accounts app sits below the areas that hold such data (cooperation seats, signals sent), so
each area registers a provider in its AppConfig.ready(); the export then lists every area without
accounts importing any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ExportProvider = Callable[[Any], list[dict[str, Any]]]

_providers: dict[str, ExportProvider] = {}


def register_export(section: str, provider: ExportProvider) -> None:
    """Add `section` to every account export, filled in by `provider(user)`."""
    _providers[section] = provider


def exported_sections(user: Any) -> dict[str, list[dict[str, Any]]]:
    return {section: provider(user) for section, provider in sorted(_providers.items())}

"""Demo data of the API app: deliberately none.

A token's secret is shown once to the admin who creates it; a demo token with a secret known in
advance would be a working key wherever the demo data is loaded. Create one on an organisation's
"API tokens" page instead.
"""

from __future__ import annotations


def load_demo() -> None:
    """Nothing to load (idempotent by construction)."""

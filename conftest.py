"""Project-wide test fixtures."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from kotoverkko.reference.services import reference_data_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real reference data (municipalities, languages…)."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Sign-in throttling counts failures in the cache; tests must not see each other's counts.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /sv/ leaves Swedish active in the thread; reverse() would then add /sv/.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(django_db_blocker):
    """Reload reference data for transactional tests (they empty the tables when they end)."""
    from kotoverkko.reference.models import Municipality

    with django_db_blocker.unblock():
        if not Municipality.objects.exists():
            reference_data_load()

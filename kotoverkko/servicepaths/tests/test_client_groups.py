from __future__ import annotations

import pytest

from kotoverkko.servicepaths import selectors

pytestmark = pytest.mark.django_db


def test_client_groups__fresh_database__has_the_eight_groups_in_order():
    slugs = list(selectors.client_groups().values_list("slug", flat=True))
    assert slugs == [
        "quota-refugees",
        "international-protection",
        "family-members",
        "unaccompanied-minors",
        "temporary-protection",
        "work-based-migrants",
        "students",
        "others",
    ]


def test_client_groups__inactive_group__is_left_out():
    group = selectors.client_groups().get(slug="students")
    group.is_active = False
    group.save()
    assert "students" not in set(selectors.client_groups().values_list("slug", flat=True))


def test_client_groups__names__exist_in_three_languages():
    for group in selectors.client_groups():
        assert {"fi", "sv", "en"} <= set(group.name)

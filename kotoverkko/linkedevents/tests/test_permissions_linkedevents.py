"""The permission matrix of the Linked Events interface: it is public and read-only. Everyone,
signed in or not and whatever their role, gets public objects (200) and nobody gets anything that
is not public (404), not even the listing's own editors. Same structure as
activities/tests/test_permissions_public.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing
from kotoverkko.activities.tests.factories import ThemeFactory, create_listing
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone
from kotoverkko.linkedevents import selectors
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object
    other: object
    public: Listing
    draft: Listing

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        organisation = self.target if scope == "own" else self.other
        client.force_login(member(Role(role), organisation))
        return client


@pytest.fixture
def world() -> World:
    target = OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})
    other = OrganisationFactory.municipality("049", name={"fi": "Espoon kaupunki"})
    theme = ThemeFactory(slug="peer-support")
    public = create_listing(organisation=target, themes=[theme])
    draft = create_listing(
        organisation=target,
        status=ListingStatus.DRAFT,
        street_address="Piilokuja 1",
        place_name={"fi": "Piilo"},
    )
    return World(target=target, other=other, public=public, draft=draft)


def _event(listing: Listing) -> str:
    return reverse("linkedevents:event_detail", args=[f"kotoverkko:{listing.pk}"])


def _place(listing: Listing) -> str:
    return reverse("linkedevents:place_detail", args=[selectors.listing_place_id(listing)])


CASES = [
    Case("linkedevents:event_list", lambda w: reverse("linkedevents:event_list"), everyone(200)),
    Case("linkedevents:event_detail", lambda w: _event(w.public), everyone(200)),
    Case("linkedevents:event_detail[draft]", lambda w: _event(w.draft), everyone(404)),
    Case("linkedevents:place_list", lambda w: reverse("linkedevents:place_list"), everyone(200)),
    Case("linkedevents:place_detail", lambda w: _place(w.public), everyone(200)),
    Case("linkedevents:place_detail[draft]", lambda w: _place(w.draft), everyone(404)),
    Case("linkedevents:keyword_list", lambda w: reverse("linkedevents:keyword_list"), everyone(200)),
    Case(
        "linkedevents:keyword_detail",
        lambda w: reverse("linkedevents:keyword_detail", args=["kotoverkko:theme-peer-support"]),
        everyone(200),
    ),
    Case(
        "linkedevents:keyword_detail[unknown]",
        lambda w: reverse("linkedevents:keyword_detail", args=["kotoverkko:theme-secret"]),
        everyone(404),
    ),
    Case("linkedevents:language_list", lambda w: reverse("linkedevents:language_list"), everyone(200)),
    Case(
        "linkedevents:language_detail",
        lambda w: reverse("linkedevents:language_detail", args=["so"]),
        everyone(200),
    ),
    Case(
        "linkedevents:language_detail[unknown]",
        lambda w: reverse("linkedevents:language_detail", args=["xx"]),
        everyone(404),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_linkedevents_route__by_principal__expected_status(client, world, case, principal):
    response = world.client_for(client, principal).get(case.url(world))

    assert response.status_code == case.expected[principal]


def test_linkedevents_permission_matrix__covers_every_route():
    from kotoverkko.linkedevents import urls

    routes = {f"linkedevents:{pattern.name}" for pattern in urls.urlpatterns}
    assert routes - {case.route.split("[")[0] for case in CASES} == set()

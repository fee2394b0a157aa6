"""The permission matrix of the public directory: everyone, signed in or not and whatever their role,
sees public listings (200) and nobody sees a listing that is not public (404), not even its editors
(they use the preview). Same structure as organisations/tests/test_permission_matrix.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import urls_public
from kotoverkko.activities.enums import ListingStatus, ReportReason
from kotoverkko.activities.models import Listing
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object  # the organisation that publishes the listings
    other: object  # another organisation
    public: Listing  # a published, current listing of target
    draft: Listing  # a draft of target

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
    public = create_listing(organisation=target)
    draft = create_listing(organisation=target, status=ListingStatus.DRAFT, title={"fi": "Luonnos"})
    return World(target=target, other=other, public=public, draft=draft)


def _report(world: World) -> dict:
    return {"reason": ReportReason.OUTDATED, "message": ""}


CASES = [
    Case("activities:search", lambda w: reverse("activities:search"), everyone(200)),
    Case("activities:feed_ics", lambda w: reverse("activities:feed_ics"), everyone(200)),
    Case("activities:feed_atom", lambda w: reverse("activities:feed_atom"), everyone(200)),
    Case("activities:detail", lambda w: reverse("activities:detail", args=[w.public.pk]), everyone(200)),
    Case(
        "activities:detail[draft]", lambda w: reverse("activities:detail", args=[w.draft.pk]), everyone(404)
    ),
    Case("activities:ics", lambda w: reverse("activities:ics", args=[w.public.pk]), everyone(200)),
    Case("activities:ics[draft]", lambda w: reverse("activities:ics", args=[w.draft.pk]), everyone(404)),
    Case("activities:report", lambda w: reverse("activities:report", args=[w.public.pk]), everyone(200)),
    Case(
        "activities:report[send]",
        lambda w: reverse("activities:report", args=[w.public.pk]),
        everyone(302),
        "post",
        _report,
    ),
    Case(
        "activities:report[draft]",
        lambda w: reverse("activities:report", args=[w.draft.pk]),
        everyone(404),
        "post",
        _report,
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_public(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 404:
        assert "Luonnos" not in response.content.decode()


def test_permission_matrix_public__covers_every_public_route():
    routes = {f"activities:{p.name}" for p in urls_public.urlpatterns if isinstance(p, URLPattern)}
    covered = {case.route.split("[")[0] for case in CASES}
    assert routes - covered == set()


def test_search__signed_in_editor__does_not_see_own_draft(client, world):
    client.force_login(member(Role.EDITOR, world.target))
    html = client.get(reverse("activities:search")).content.decode()
    assert "Luonnos" not in html
    assert "Suomen kielen kerho" in html

"""The permission matrix of the bulk import routes: anonymous visitors and every role, both in the
organisation concerned ("own") and the same role in another organisation ("other").

Import is a page for editors of listings (a user who may publish for at least one organisation):
others get 403, anonymous visitors are sent to sign in (302). What a user may import is decided
row by row (see test_importing.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import urls_import
from kotoverkko.activities.models import Listing
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, expect
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object  # the organisation the imported rows are for
    other: object  # another organisation

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        organisation = self.target if scope == "own" else self.other
        client.force_login(member(Role(role), organisation))
        return client


@pytest.fixture
def world() -> World:
    return World(
        target=OrganisationFactory.municipality("257", is_public=False, name={"fi": "Kohdekunta"}),
        other=OrganisationFactory.municipality("049", name={"fi": "Toinen kunta"}),
    )


PUBLISHERS = [Role.PLATFORM_ADMIN, Role.ORG_ADMIN, Role.EDITOR]


def publishers(ok: int) -> dict[str, int]:
    """Whoever may publish listings for some organisation (their own or, for platform admins, any)."""
    allowed = {f"{role.value}__{scope}": ok for role in PUBLISHERS for scope in ("own", "other")}
    return expect(anonymous=302, default=403, **allowed)


def _empty_upload(world: World) -> dict:
    return {}


def _one_row_for_target(world: World) -> dict:
    header = "organisation;section;title_fi;start;end\r\n"
    row = f"{world.target.pk};activity;Kerho;2030-01-01 17:00;19:00\r\n"
    upload = io.BytesIO((header + row).encode("utf-8-sig"))
    upload.name = "listings.csv"
    return {"file": upload}


CASES = [
    Case("activities:import", lambda w: reverse("activities:import"), publishers(200)),
    Case(
        "activities:import[post-empty]",
        lambda w: reverse("activities:import"),
        publishers(200),
        "post",
        _empty_upload,
    ),
    Case(
        "activities:import[post-row-for-target]",
        lambda w: reverse("activities:import"),
        # Everyone who may publish for the target imports (302 to the result); editors of another
        # organisation get the page back with the row refused (200).
        expect(
            anonymous=302,
            default=403,
            platform_admin__own=302,
            platform_admin__other=302,
            org_admin__own=302,
            editor__own=302,
            org_admin__other=200,
            editor__other=200,
        ),
        "post",
        _one_row_for_target,
    ),
    Case(
        "activities:import_template",
        lambda w: reverse("activities:import_template") + "?format=csv",
        publishers(200),
    ),
    Case(
        "activities:import_template[xlsx]",
        lambda w: reverse("activities:import_template") + "?format=xlsx",
        publishers(200),
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_import(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if case.route == "activities:import[post-row-for-target]":
        imported = expected == 302 and principal != ANON
        assert Listing.objects.filter(organisation=world.target).count() == (1 if imported else 0)


def test_permission_matrix_import__covers_every_import_route():
    routes = {f"activities:{p.name}" for p in urls_import.urlpatterns if isinstance(p, URLPattern)}
    covered = {case.route.split("[")[0] for case in CASES}
    assert routes == covered

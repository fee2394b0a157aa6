"""The permission matrix of the statistics import routes: anonymous visitors and every role, both in a
municipality's organisation ("own") and the same role in another organisation ("other").

Importing statistics is for coordinators and platform admins (holders of VIEW_DIRECTORY_STATISTICS,
wherever their membership is): other roles get 403, anonymous visitors are sent to sign in (302).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, expect
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.situation import urls_import
from kotoverkko.situation.models import ImportJob

pytestmark = pytest.mark.django_db

ECKERO = Path(__file__).resolve().parents[1] / "data" / "statfin_px" / "statfin_tyonv_eckero.px"


@dataclass
class World:
    target: object  # a municipality's organisation
    other: object  # another organisation (an NGO)
    job: ImportJob  # an earlier import by a coordinator of the target

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        organisation = self.target if scope == "own" else self.other
        client.force_login(member(Role(role), organisation))
        return client


@pytest.fixture
def world() -> World:
    target = OrganisationFactory.municipality("257", name={"fi": "Kohdekunta"})
    other = OrganisationFactory(name={"fi": "Yhdistys ry"})
    job = ImportJob.objects.create(
        file_name="x.px", source="statfin", status="done", created_by=member(Role.COORDINATOR, target)
    )
    return World(target=target, other=other, job=job)


IMPORTERS = [Role.PLATFORM_ADMIN, Role.COORDINATOR]


def importers(ok: int) -> dict[str, int]:
    allowed = {f"{role.value}__{scope}": ok for role in IMPORTERS for scope in ("own", "other")}
    return expect(anonymous=302, default=403, **allowed)


def _upload(world: World) -> dict:
    upload = io.BytesIO(ECKERO.read_bytes())
    upload.name = ECKERO.name
    return {"file": upload, "source": "statfin", "table_id": "", "label_language": "fi"}


def _empty(world: World) -> dict:
    return {}


CASES = [
    Case("situation:import", lambda w: reverse("situation:import"), importers(200)),
    Case(
        "situation:import[post-empty]", lambda w: reverse("situation:import"), importers(200), "post", _empty
    ),
    Case(
        "situation:import[post-file]", lambda w: reverse("situation:import"), importers(302), "post", _upload
    ),
    Case(
        "situation:import_status",
        lambda w: reverse("situation:import_status", args=[w.job.pk]),
        importers(200),
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_situation_import(
    client, world, case, principal, django_capture_on_commit_callbacks
):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))


def test_permission_matrix_situation_import__covers_every_route():
    covered = {case.route.split("[")[0] for case in CASES}
    routes = {f"situation:{p.name}" for p in urls_import.urlpatterns if isinstance(p, URLPattern)}
    assert routes <= covered

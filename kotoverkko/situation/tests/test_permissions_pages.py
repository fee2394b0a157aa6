"""The permission matrix of the situation pages: anonymous visitors and every role, both in the
municipality concerned ("own", organisation in 257) and the same role elsewhere ("other", 049).

Reading is public. Findings are written by the municipality's coordinators and platform admins:
the form for a municipality answers 403 to other signed-in users; someone else's finding answers
404 like a missing one; anonymous visitors are sent to sign in (302).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.situation import urls_pages
from kotoverkko.situation.models import Finding

from . import factories

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object  # the municipal organisation of 257, whose findings are at stake
    other: object  # the municipal organisation of 049
    finding: Finding

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
    factories.demo_languages()
    return World(target=target, other=other, finding=factories.finding("257", target))


def writers(ok: int, *, others: int) -> dict[str, int]:
    """The municipality's coordinators and platform admins (everywhere)."""
    return expect(
        anonymous=302,
        default=others,
        coordinator__own=ok,
        platform_admin__own=ok,
        platform_admin__other=ok,
    )


def _finding_form(world: World) -> dict:
    return {"question": "who", "text_fi": "Havainto", "source": "Kysely", "observed_on": "2024-06-01"}


CASES = [
    Case("situation:index", lambda w: reverse("situation:index"), everyone(200)),
    Case("situation:area", lambda w: reverse("situation:area", args=["257"]), everyone(200)),
    Case("situation:area[group]", lambda w: reverse("situation:area", args=["049+257"]), everyone(200)),
    Case("situation:area[unknown]", lambda w: reverse("situation:area", args=["998"]), everyone(404)),
    Case(
        "situation:chart_csv", lambda w: reverse("situation:chart_csv", args=["257", "trend"]), everyone(200)
    ),
    Case(
        "situation:chart_svg",
        lambda w: reverse("situation:chart_svg", args=["257", "languages"]),
        everyone(200),
    ),
    Case(
        "situation:finding_create",
        lambda w: reverse("situation:finding_create", args=["257"]),
        writers(200, others=403),
    ),
    Case(
        "situation:finding_create[post]",
        lambda w: reverse("situation:finding_create", args=["257"]),
        writers(302, others=403),
        "post",
        _finding_form,
    ),
    Case(
        "situation:finding_edit",
        lambda w: reverse("situation:finding_edit", args=[w.finding.pk]),
        writers(200, others=404),
    ),
    Case(
        "situation:finding_edit[post]",
        lambda w: reverse("situation:finding_edit", args=[w.finding.pk]),
        writers(302, others=404),
        "post",
        _finding_form,
    ),
    Case(
        "situation:finding_delete",
        lambda w: reverse("situation:finding_delete", args=[w.finding.pk]),
        writers(302, others=404),
        "post",
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_situation_pages(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if case.route == "situation:finding_delete":
        assert Finding.objects.filter(pk=world.finding.pk).exists() == (expected != 302 or principal == ANON)


def test_finding_delete__get__405(client, world):
    client.force_login(member(Role.COORDINATOR, world.target))
    assert client.get(reverse("situation:finding_delete", args=[world.finding.pk])).status_code == 405


def test_permission_matrix_situation_pages__covers_every_route():
    routes = {f"situation:{p.name}" for p in urls_pages.urlpatterns if isinstance(p, URLPattern)}
    covered = {case.route.split("[")[0] for case in CASES}
    assert routes == covered

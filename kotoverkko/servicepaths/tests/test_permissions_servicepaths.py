"""The permission matrix of service paths: every route, anonymous and every role in the path's own
municipality organisation ("own") and in an organisation of another municipality ("other").

The path under test is unpublished: members of organisations in its area see it, nobody else does
(404). Only the coordinator of its municipality (and the platform admin) restructures it; members of
the responsible organisation who may edit (organisation admin, editor) write their step's details.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.servicepaths.models import ServicePath, ServiceStep
from kotoverkko.servicepaths.tests.factories import create_path, create_step

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object
    other: object
    private: ServicePath
    public: ServicePath
    step: ServiceStep
    second: ServiceStep

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
    other = OrganisationFactory.municipality("091", name={"fi": "Helsingin kaupunki"})
    private = create_path(municipality="257", group="unaccompanied-minors")
    public = create_path(municipality="257", group="quota-refugees", is_public=True)
    step = create_step(path=private, title="Salainen vaihe", responsible=target)
    second = create_step(path=private, title="Toinen vaihe", responsible=target)
    return World(target=target, other=other, private=private, public=public, step=step, second=second)


def editors(ok: int) -> dict[str, int]:
    """The path's editors get `ok`; other signed-in people 404; anonymous to sign-in."""
    return expect(
        anonymous=302,
        default=404,
        coordinator__own=ok,
        platform_admin__own=ok,
        platform_admin__other=ok,
    )


def coordinators(ok: int) -> dict[str, int]:
    """Pages for whoever coordinates some municipality's paths."""
    return expect(
        anonymous=302,
        default=403,
        coordinator__own=ok,
        coordinator__other=ok,
        platform_admin__own=ok,
        platform_admin__other=ok,
    )


def area_members(ok: int) -> dict[str, int]:
    """Every member of an organisation in the area sees an unpublished path; others get 404."""
    table = expect(anonymous=404, default=404, platform_admin__other=ok)
    for role in Role:
        table[f"{role.value}:own"] = ok
    return table


def _step_data(world: World) -> dict:
    return {
        "kind": "plan",
        "title_fi": "Uusi vaihe",
        "description_fi": "Kuvaus",
        "contact_point_fi": "Palveluosoite",
        "deadline_unit": "months",
    }


def _move(world: World) -> dict:
    return {"direction": "down"}


step_details_editors = editors(200) | {"org_admin:own": 200, "editor:own": 200}


def platform_admins(ok: int) -> dict[str, int]:
    return expect(anonymous=302, default=403, platform_admin__own=ok, platform_admin__other=ok)


def _client_group(world: World) -> dict:
    return {"name_fi": "Opiskelijat", "name_en": "Students", "position": "70", "is_active": "on"}


def _students_edit(world: World) -> str:
    from kotoverkko.servicepaths.models import ClientGroup

    return reverse("servicepaths:client_group_edit", args=[ClientGroup.objects.get(slug="students").pk])


CASES = [
    Case("servicepaths:client_groups", lambda w: reverse("servicepaths:client_groups"), platform_admins(200)),
    Case("servicepaths:client_group_edit", _students_edit, platform_admins(200)),
    Case("servicepaths:client_group_edit[post]", _students_edit, platform_admins(302), "post", _client_group),
    Case("servicepaths:index", lambda w: reverse("servicepaths:index"), everyone(200)),
    Case("servicepaths:create", lambda w: reverse("servicepaths:create"), coordinators(200)),
    Case("servicepaths:gaps", lambda w: reverse("servicepaths:gaps"), coordinators(200)),
    Case(
        "servicepaths:who_does_what",
        lambda w: reverse("servicepaths:who_does_what", args=["257"]),
        everyone(200),
    ),
    Case(
        "servicepaths:who_does_what[unknown]",
        lambda w: reverse("servicepaths:who_does_what", args=["999"]),
        everyone(404),
    ),
    Case(
        "servicepaths:who_does_what_print",
        lambda w: reverse("servicepaths:who_does_what_print", args=["257"]),
        everyone(200),
    ),
    Case(
        "servicepaths:detail",
        lambda w: reverse("servicepaths:detail", args=[w.private.pk]),
        area_members(200),
    ),
    Case(
        "servicepaths:detail[public]",
        lambda w: reverse("servicepaths:detail", args=[w.public.pk]),
        everyone(200),
    ),
    Case(
        "servicepaths:print", lambda w: reverse("servicepaths:print", args=[w.private.pk]), area_members(200)
    ),
    Case(
        "servicepaths:print[public]",
        lambda w: reverse("servicepaths:print", args=[w.public.pk]),
        everyone(200),
    ),
    Case("servicepaths:edit", lambda w: reverse("servicepaths:edit", args=[w.private.pk]), editors(200)),
    Case("servicepaths:delete", lambda w: reverse("servicepaths:delete", args=[w.private.pk]), editors(200)),
    Case(
        "servicepaths:delete[post]",
        lambda w: reverse("servicepaths:delete", args=[w.private.pk]),
        editors(302),
        "post",
    ),
    Case(
        "servicepaths:step_add", lambda w: reverse("servicepaths:step_add", args=[w.private.pk]), editors(200)
    ),
    Case(
        "servicepaths:step_add[post]",
        lambda w: reverse("servicepaths:step_add", args=[w.private.pk]),
        editors(302),
        "post",
        _step_data,
    ),
    Case(
        "servicepaths:step_edit",
        lambda w: reverse("servicepaths:step_edit", args=[w.step.pk]),
        step_details_editors,
    ),
    Case(
        "servicepaths:step_edit[post]",
        lambda w: reverse("servicepaths:step_edit", args=[w.step.pk]),
        editors(302) | {"org_admin:own": 302, "editor:own": 302},
        "post",
        _step_data,
    ),
    Case(
        "servicepaths:step_move",
        lambda w: reverse("servicepaths:step_move", args=[w.step.pk]),
        editors(302),
        "post",
        _move,
    ),
    Case(
        "servicepaths:step_delete",
        lambda w: reverse("servicepaths:step_delete", args=[w.step.pk]),
        editors(200),
    ),
    Case(
        "servicepaths:step_delete[post]",
        lambda w: reverse("servicepaths:step_delete", args=[w.step.pk]),
        editors(302),
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
def test_permission_matrix_servicepaths(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if expected == 404:
        assert "Salainen vaihe" not in response.content.decode()


def test_who_does_what__outsider__unpublished_steps_not_shown(client, world):
    client.force_login(member(Role.COORDINATOR, world.other))
    html = client.get(reverse("servicepaths:who_does_what", args=["257"])).content.decode()
    assert "Salainen vaihe" not in html


def test_step_edit__responsible_editor__gets_only_description_and_contact(client, world):
    client.force_login(member(Role.EDITOR, world.target))
    html = client.get(reverse("servicepaths:step_edit", args=[world.step.pk])).content.decode()
    assert 'name="contact_point_fi"' in html
    assert 'name="responsible"' not in html
    assert 'name="title_fi"' not in html

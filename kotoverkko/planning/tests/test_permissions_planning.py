"""The permission matrix of the programme routes (kotoverkko/core/tests/permission_matrix.py).

"own" is the owner municipality's organisation, "other" another municipality. Editors are the
coordinators of the owner municipality and platform admins; the owner's members see drafts and
follow monitoring; organisations report on their own measures; everyone reads adopted programmes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning.models import ChecklistTemplate, Programme

from .factories import add_manual_indicator, add_measure, adopt, create_programme, open_round

pytestmark = pytest.mark.django_db


@dataclass
class World:
    own: object
    other: object
    draft: Programme
    adopted: Programme
    data: dict

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        client.force_login(member(Role(role), self.own if scope == "own" else self.other))
        return client


@pytest.fixture
def world() -> World:
    own = OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})
    other = OrganisationFactory.municipality("049", name={"fi": "Espoon kaupunki"})
    coordinator = member(Role.COORDINATOR, own)
    draft = create_programme(own, coordinator=coordinator)
    from kotoverkko.planning import services

    goal = services.goal_save(actor=coordinator, programme=draft, goal=None, values={"title": {"fi": "Työ"}})
    draft_measure = add_measure(draft, organisation=own, actor=coordinator)
    draft_indicator = add_manual_indicator(draft, actor=coordinator)
    adopted = create_programme(own, coordinator=coordinator)
    measure = add_measure(adopted, organisation=own, actor=coordinator)
    adopt(adopted, actor=coordinator)
    monitoring_round = open_round(adopted, actor=coordinator)
    template = ChecklistTemplate.objects.first()
    data = {
        "step": draft.checklist_steps.first(),
        "goal": goal,
        "measure": draft_measure,
        "indicator": draft_indicator,
        "round": monitoring_round,
        "round_measure": measure,
        "template": template,
        "template_step": template.steps.first(),
    }
    return World(own=own, other=other, draft=draft, adopted=adopted, data=data)


def editors(ok: int, *, others: int = 404) -> dict[str, int]:
    return expect(
        anonymous=302, default=others, platform_admin__own=ok, platform_admin__other=ok, coordinator__own=ok
    )


def signed_in(ok: int) -> dict[str, int]:
    return expect(anonymous=302, default=ok)


def own_members(ok: int) -> dict[str, int]:
    """Everyone in the owner municipality's organisation, and platform admins."""
    return expect(
        anonymous=302, default=404, platform_admin__other=ok, **{f"{role.value}__own": ok for role in Role}
    )


def platform_admins(ok: int) -> dict[str, int]:
    return expect(anonymous=302, default=403, platform_admin__own=ok, platform_admin__other=ok)


def _url(name: str, attr: str = "draft", *, key: str | None = None):
    def build(w: World) -> str:
        obj = w.data[key] if key else getattr(w, attr)
        return reverse(f"planning:{name}", args=[obj.pk])

    return build


CASES = [
    Case("planning:public_list", lambda w: reverse("planning:public_list"), everyone(200)),
    Case("planning:public_detail", _url("public_detail", "adopted"), everyone(200)),
    Case("planning:public_detail[draft]", _url("public_detail"), everyone(404)),
    Case("planning:index", lambda w: reverse("planning:index"), signed_in(200)),
    Case(
        "planning:create",
        lambda w: reverse("planning:create"),
        expect(
            anonymous=302,
            default=403,
            platform_admin__own=200,
            platform_admin__other=200,
            coordinator__own=200,
            coordinator__other=200,
        ),
    ),
    Case("planning:detail[draft]", _url("detail"), own_members(200)),
    Case("planning:detail", _url("detail", "adopted"), signed_in(200)),
    Case("planning:edit", _url("edit"), editors(200)),
    Case(
        "planning:transition", _url("transition"), editors(302), "post", lambda w: {"status": "consultation"}
    ),
    Case("planning:adopt", _url("adopt"), editors(200)),
    Case("planning:revise", _url("revise", "adopted"), editors(302), "post"),
    Case("planning:compare", _url("compare", "adopted"), signed_in(200)),
    Case("planning:history", _url("history"), editors(200)),
    Case("planning:dashboard", _url("dashboard", "adopted"), own_members(200)),
    Case("planning:step_edit", _url("step_edit", key="step"), editors(200)),
    Case("planning:goal_create", _url("goal_create"), editors(200)),
    Case("planning:goal_edit", _url("goal_edit", key="goal"), editors(200)),
    Case("planning:goal_delete", _url("goal_delete", key="goal"), editors(302), "post"),
    Case("planning:measure_create", _url("measure_create"), editors(200)),
    Case("planning:measure_edit", _url("measure_edit", key="measure"), editors(200)),
    Case("planning:measure_delete", _url("measure_delete", key="measure"), editors(302), "post"),
    Case("planning:indicator_create", _url("indicator_create"), editors(200)),
    Case("planning:indicator_edit", _url("indicator_edit", key="indicator"), editors(200)),
    Case("planning:indicator_delete", _url("indicator_delete", key="indicator"), editors(302), "post"),
    Case("planning:measurement_create", _url("measurement_create", key="indicator"), editors(200)),
    Case("planning:indicator_refresh", _url("indicator_refresh", key="indicator"), editors(302), "post"),
    Case("planning:round_create", _url("round_create", "adopted"), editors(200)),
    Case("planning:round_detail", _url("round_detail", key="round"), own_members(200)),
    Case(
        "planning:measure_report",
        lambda w: reverse("planning:measure_report", args=[w.data["round"].pk, w.data["round_measure"].pk]),
        # Members of the responsible organisation who update measures; counsellors and viewers may
        # see the round but not report; other organisations do not see it at all.
        expect(
            anonymous=302,
            default=404,
            platform_admin__own=200,
            platform_admin__other=200,
            coordinator__own=200,
            org_admin__own=200,
            editor__own=200,
        ),
    ),
    Case(
        "planning:round_compile",
        _url("round_compile", key="round"),
        expect(
            anonymous=302,
            default=404,
            platform_admin__own=302,
            platform_admin__other=302,
            coordinator__own=302,
            org_admin__own=403,
            editor__own=403,
            counsellor__own=403,
            viewer__own=403,
        ),
        "post",
    ),
    Case("planning:checklists", lambda w: reverse("planning:checklists"), platform_admins(200)),
    Case("planning:checklist_edit", _url("checklist_edit", key="template"), platform_admins(200)),
    Case(
        "planning:checklist_step_create", _url("checklist_step_create", key="template"), platform_admins(200)
    ),
    Case(
        "planning:checklist_step_edit", _url("checklist_step_edit", key="template_step"), platform_admins(200)
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_planning(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))


def test_permission_matrix_planning__covers_every_route():
    covered = {case.route.split("[")[0] for case in CASES}
    mine = {f"planning:{pattern.name}" for pattern in own_patterns()}
    assert mine, "no routes found"
    assert not mine - covered, f"Routes without a case: {sorted(mine - covered)}"


def own_patterns():
    """Routes of views.py and views_public.py (consultation and documents have their own matrix)."""
    from django.urls import URLPattern

    from kotoverkko.planning import urls

    return [
        p
        for p in urls.urlpatterns
        if isinstance(p, URLPattern)
        and p.callback.__module__ in {"kotoverkko.planning.views", "kotoverkko.planning.views_public"}
    ]

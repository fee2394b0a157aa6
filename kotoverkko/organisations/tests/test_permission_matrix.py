"""The permission matrix: every view, for anonymous visitors and every role, both in the
organisation concerned ("own") and the same role in another organisation ("other").

A forbidden object answers 404 like a missing one; a page the role may never use answers 403;
an anonymous visitor is sent to sign in (302).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kotoverkko.accounts.models import Invitation, Membership
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.services import invitation_token
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object  # the (hidden) municipal organisation the request is about
    other: object  # another municipal organisation
    public: object  # a public NGO
    victim: Membership  # a member of target to change or remove
    invitation: Invitation  # a pending invitation to target

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        organisation = self.target if scope == "own" else self.other
        user = MembershipFactory(organisation=organisation, role=role).user
        client.force_login(user)
        return client


@pytest.fixture
def world() -> World:
    target = OrganisationFactory.municipality("257", is_public=False, name={"fi": "Kohdekunta"})
    other = OrganisationFactory.municipality("049", name={"fi": "Toinen kunta"})
    public = OrganisationFactory(name={"fi": "Julkinen yhdistys ry"})
    admin = MembershipFactory(organisation=target, role=Role.ORG_ADMIN)
    victim = MembershipFactory(organisation=target, role=Role.VIEWER)
    invitation = Invitation.objects.create(
        organisation=target, email="invitee@example.fi", role=Role.EDITOR, invited_by=admin.user
    )
    return World(target=target, other=other, public=public, victim=victim, invitation=invitation)


MEMBERS_OF_TARGET = expect(
    anonymous=302, default=404, **{f"{role.value}__own": 200 for role in Role}, platform_admin__other=200
)


def managers(ok: int) -> dict[str, int]:
    """Only platform admins and the organisation's admins; other members 403, outsiders 404."""
    own = {f"{role.value}__own": 403 for role in Role} | {"platform_admin__own": ok, "org_admin__own": ok}
    return expect(anonymous=302, default=404, **own, platform_admin__other=ok)


def _role_change(world: World) -> dict:
    return {"role": Role.EDITOR.value}


def _invite(world: World) -> dict:
    return {"email": "new.person@example.fi", "role": Role.EDITOR.value}


SIGNED_IN_PAGE = expect(anonymous=302, default=200)
AUDIT = expect(
    anonymous=302,
    default=403,
    platform_admin__own=200,
    platform_admin__other=200,
    coordinator__own=200,
    coordinator__other=200,
    org_admin__own=200,
    org_admin__other=200,
)

CASES = [
    Case("healthz", lambda w: reverse("healthz"), everyone(200)),
    Case(
        "set_language", lambda w: reverse("set_language"), everyone(302), "post", lambda w: {"language": "sv"}
    ),
    Case("core:home", lambda w: reverse("core:home"), everyone(200)),
    Case("core:accessibility", lambda w: reverse("core:accessibility"), everyone(200)),
    Case("organisations:list", lambda w: reverse("organisations:list"), everyone(200)),
    Case(
        "organisations:detail",
        lambda w: reverse("organisations:detail", args=[w.public.pk]),
        everyone(200),
    ),
    Case(
        "organisations:detail[hidden]",
        lambda w: reverse("organisations:detail", args=[w.target.pk]),
        {**MEMBERS_OF_TARGET, ANON: 404},
    ),
    Case(
        "organisations:create",
        lambda w: reverse("organisations:create"),
        expect(
            anonymous=302,
            default=403,
            platform_admin__own=200,
            platform_admin__other=200,
            org_admin__own=200,
            org_admin__other=200,
        ),
    ),
    Case(
        "organisations:edit",
        lambda w: reverse("organisations:edit", args=[w.target.pk]),
        expect(
            anonymous=302, default=404, platform_admin__own=200, org_admin__own=200, platform_admin__other=200
        ),
    ),
    Case(
        "organisations:members",
        lambda w: reverse("organisations:members", args=[w.target.pk]),
        MEMBERS_OF_TARGET,
    ),
    Case(
        "organisations:members[invite]",
        lambda w: reverse("organisations:members", args=[w.target.pk]),
        managers(302),
        "post",
        _invite,
    ),
    Case(
        "organisations:membership_role",
        lambda w: reverse("organisations:membership_role", args=[w.target.pk, w.victim.pk]),
        managers(302),
        "post",
        _role_change,
    ),
    Case(
        "organisations:membership_remove",
        lambda w: reverse("organisations:membership_remove", args=[w.target.pk, w.victim.pk]),
        managers(302),
        "post",
    ),
    Case(
        "organisations:invitation_revoke",
        lambda w: reverse("organisations:invitation_revoke", args=[w.target.pk, w.invitation.pk]),
        managers(302),
        "post",
    ),
    Case("organisations:audit", lambda w: reverse("organisations:audit"), AUDIT),
    Case(
        "accounts:login",
        lambda w: reverse("accounts:login"),
        expect(anonymous=200, default=302),
    ),
    Case("accounts:logout", lambda w: reverse("accounts:logout"), everyone(302), "post"),
    Case("accounts:password_reset", lambda w: reverse("accounts:password_reset"), everyone(200)),
    Case("accounts:password_reset_done", lambda w: reverse("accounts:password_reset_done"), everyone(200)),
    Case(
        "accounts:password_reset_confirm",
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]),
        everyone(200),
    ),
    Case(
        "accounts:password_reset_complete",
        lambda w: reverse("accounts:password_reset_complete"),
        everyone(200),
    ),
    Case("accounts:password_change", lambda w: reverse("accounts:password_change"), SIGNED_IN_PAGE),
    Case("accounts:password_change_done", lambda w: reverse("accounts:password_change_done"), SIGNED_IN_PAGE),
    Case("accounts:profile", lambda w: reverse("accounts:profile"), SIGNED_IN_PAGE),
    Case("accounts:export", lambda w: reverse("accounts:export"), SIGNED_IN_PAGE),
    Case("accounts:delete", lambda w: reverse("accounts:delete"), SIGNED_IN_PAGE),
    Case(
        "accounts:invitation",
        lambda w: reverse("accounts:invitation", args=[invitation_token(w.invitation)]),
        everyone(200),
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON and case.route not in {"set_language", "accounts:logout"}:
        assert response.url.startswith(reverse("accounts:login"))


def _named_routes(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# Each area keeps its routes' matrix in its own `tests/test_permission*.py` module with a CASES list
# like the one above; they are found here by name so a new area cannot forget to register.
def _area_matrices() -> list[str]:
    package = Path(importlib.import_module("kotoverkko").__file__).parent
    return sorted(
        f"kotoverkko.{path.parent.parent.name}.tests.{path.stem}"
        for path in package.glob("*/tests/test_permission*.py")
        if path.parent.parent.name != "organisations"
    )


AREA_MATRICES = _area_matrices()


def test_permission_matrix__covers_every_route():
    covered = {case.route.split("[")[0] for case in CASES}
    for module_name in AREA_MATRICES:
        module = importlib.import_module(module_name)
        covered |= {case.route.split("[")[0] for case in module.CASES}
    missing = _named_routes() - covered
    assert not missing, f"Routes without a permission-matrix case: {sorted(missing)}"


def test_members_page__other_organisation__does_not_leak_names(client, world):
    outsider = MembershipFactory(organisation=world.other, role=Role.ORG_ADMIN).user
    client.force_login(outsider)
    response = client.get(reverse("organisations:members", args=[world.target.pk]))
    assert response.status_code == 404
    assert world.victim.user.full_name not in response.content.decode()


def test_hidden_organisation__not_in_public_list(client, world):
    response = client.get(reverse("organisations:list"))
    assert "Kohdekunta" not in response.content.decode()
    assert "Julkinen yhdistys ry" in response.content.decode()


def test_user_factory_password_signs_in(client):
    user = UserFactory()
    assert client.login(username=user.email, password="correct horse battery staple")

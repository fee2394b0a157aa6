"""The permission matrix of the API: every route for anonymous clients and tokens (of the owning
organisation, of another organisation, revoked), and the token pages for every role.

API principals: anonymous, token:own, token:other, token:revoked. The HTML token pages use the
shared principals (anonymous and every role in the own and another organisation).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.api import services
from kotoverkko.api.selectors import place_list_public
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, expect
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db

API_PRINCIPALS = [ANON, "token:own", "token:other", "token:revoked"]


def api_expect(*, anonymous: int, own: int, other: int, revoked: int = 401) -> dict[str, int]:
    return {ANON: anonymous, "token:own": own, "token:other": other, "token:revoked": revoked}


READ = api_expect(anonymous=200, own=200, other=200)
WRITE_OWN = api_expect(anonymous=401, own=200, other=404)


@dataclass
class World:
    target: object
    other: object
    public: object  # a published listing of target
    draft: object  # a draft of target
    secrets: dict[str, str]
    token_id: int

    def api_headers(self, principal: str) -> dict[str, str]:
        if principal == ANON:
            return {}
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secrets[principal.split(':')[1]]}"}

    def client_for(self, client, principal: str):
        if principal != ANON:
            role, scope = principal.split(":")
            organisation = self.target if scope == "own" else self.other
            client.force_login(MembershipFactory(organisation=organisation, role=role).user)
        return client


@pytest.fixture
def world(settings) -> World:
    settings.API_ANON_RATE = "100000/60"
    target = OrganisationFactory(name={"fi": "Omistaja ry"})
    other = OrganisationFactory(name={"fi": "Toinen ry"})
    admin, other_admin = member(Role.ORG_ADMIN, target), member(Role.ORG_ADMIN, other)
    own = services.api_token_create(organisation=target, name="Own", actor=admin)
    foreign = services.api_token_create(organisation=other, name="Other", actor=other_admin)
    revoked = services.api_token_create(organisation=target, name="Revoked", actor=admin)
    services.api_token_revoke(token=revoked.token, actor=admin)
    return World(
        target=target,
        other=other,
        public=create_listing(organisation=target),
        draft=create_listing(organisation=target, status=ListingStatus.DRAFT, title={"fi": "Luonnos"}),
        secrets={"own": own.secret, "other": foreign.secret, "revoked": revoked.secret},
        token_id=own.token.pk,
    )


def _patch(world: World) -> dict:
    return {"summary": {"fi": "Uusi kuvaus."}}


def _create(world: World) -> dict:
    return {"section": "activity", "title": {"fi": "Uusi kerho"}}


def _place(world: World) -> str:
    return reverse("api:v1:place_detail", args=[place_list_public()[0].id])


API_CASES = [
    Case("api:v1:listing_list", lambda w: reverse("api:v1:listing_list"), READ),
    Case("api:v1:listing_detail", lambda w: reverse("api:v1:listing_detail", args=[w.public.pk]), READ),
    Case(
        "api:v1:listing_detail[draft]",
        lambda w: reverse("api:v1:listing_detail", args=[w.draft.pk]),
        api_expect(anonymous=404, own=200, other=404),
    ),
    Case(
        "api:v1:listing_create",
        lambda w: reverse("api:v1:listing_create"),
        api_expect(anonymous=401, own=201, other=201),
        "post",
        _create,
    ),
    Case(
        "api:v1:listing_update",
        lambda w: reverse("api:v1:listing_update", args=[w.public.pk]),
        WRITE_OWN,
        "patch",
        _patch,
    ),
    Case(
        "api:v1:listing_update[draft]",
        lambda w: reverse("api:v1:listing_update", args=[w.draft.pk]),
        WRITE_OWN,
        "patch",
        _patch,
    ),
    Case("api:v1:occurrence_list", lambda w: reverse("api:v1:occurrence_list"), READ),
    Case("api:v1:place_list", lambda w: reverse("api:v1:place_list"), READ),
    Case("api:v1:place_detail", _place, READ),
    Case("api:v1:organisation_list", lambda w: reverse("api:v1:organisation_list"), READ),
    Case(
        "api:v1:organisation_detail",
        lambda w: reverse("api:v1:organisation_detail", args=[w.target.pk]),
        READ,
    ),
    Case("api:v1:theme_list", lambda w: reverse("api:v1:theme_list"), READ),
    Case("api:v1:target_group_list", lambda w: reverse("api:v1:target_group_list"), READ),
    Case("api:v1:language_list", lambda w: reverse("api:v1:language_list"), READ),
    Case("api:v1:municipality_list", lambda w: reverse("api:v1:municipality_list"), READ),
    # The schema, the documentation page and exports are public documents: a token changes nothing.
    Case(
        "api:v1:openapi-json",
        lambda w: reverse("api:v1:openapi-json"),
        api_expect(anonymous=200, own=200, other=200, revoked=200),
    ),
    Case(
        "api:v1:api-root",
        lambda w: reverse("api:v1:api-root"),
        api_expect(anonymous=200, own=200, other=200, revoked=200),
    ),
    Case(
        "api_pages:docs",
        lambda w: reverse("api_pages:docs"),
        api_expect(anonymous=200, own=200, other=200, revoked=200),
    ),
    Case(
        "api:docs", lambda w: reverse("api:docs"), api_expect(anonymous=302, own=302, other=302, revoked=302)
    ),
    Case(
        "api:listing_export",
        lambda w: reverse("api:listing_export", args=["csv"]),
        api_expect(anonymous=200, own=200, other=200, revoked=200),
    ),
]


def managers(ok: int) -> dict[str, int]:
    """Organisation admins and platform admins; other members 403; outsiders 404; anonymous 302."""
    own = {f"{role.value}__own": 403 for role in Role} | {"platform_admin__own": ok, "org_admin__own": ok}
    return expect(anonymous=302, default=404, **own, platform_admin__other=ok)


PAGE_CASES = [
    Case("api_pages:tokens", lambda w: reverse("api_pages:tokens", args=[w.target.pk]), managers(200)),
    Case(
        "api_pages:token_create",
        lambda w: reverse("api_pages:token_create", args=[w.target.pk]),
        managers(200),
    ),
    Case(
        "api_pages:token_create[post]",
        lambda w: reverse("api_pages:token_create", args=[w.target.pk]),
        managers(200),
        "post",
        lambda w: {"name": "Sync"},
    ),
    Case(
        "api_pages:token_revoke",
        lambda w: reverse("api_pages:token_revoke", args=[w.target.pk, w.token_id]),
        managers(200),
    ),
    Case(
        "api_pages:token_revoke[post]",
        lambda w: reverse("api_pages:token_revoke", args=[w.target.pk, w.token_id]),
        managers(302),
        "post",
    ),
]

CASES = API_CASES + PAGE_CASES


@pytest.mark.parametrize(
    ("case", "principal"),
    [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in API_CASES
        for principal in API_PRINCIPALS
    ],
)
def test_api_permission_matrix(client, world, case, principal) -> None:
    url = case.url(world)
    headers = world.api_headers(principal)
    if case.method == "get":
        response = client.get(url, **headers)
    else:
        method = getattr(client, case.method)
        response = method(url, case.data(world), content_type="application/json", **headers)
    assert response.status_code == case.expected[principal], f"{case.method.upper()} {url} as {principal}"
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    ("case", "principal"),
    [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in PAGE_CASES
        for principal in PRINCIPALS
    ],
)
def test_token_pages_permission_matrix(client, world, case, principal) -> None:
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    assert response.status_code == case.expected[principal], f"{case.method.upper()} {url} as {principal}"
    if response.status_code == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))

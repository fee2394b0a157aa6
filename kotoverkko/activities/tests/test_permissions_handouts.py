"""The permission matrix of the handout routes, in the pattern of
kotoverkko/organisations/tests/test_permission_matrix.py: anonymous visitors and every role, both in
the counsellor's organisation ("own") and the same role in another organisation ("other").

The basket and making a handout are for people who may hand out listings (platform admins,
coordinators, organisation admins, counsellors): anonymous visitors are sent to sign in (302),
other roles get 403. A handout itself is public to whoever has its link: 200 while valid, 410
once expired, 404 for a token that does not exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from kotoverkko.accounts.roles import Permission, Role, role_grants
from kotoverkko.activities import handouts, services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Handout, Listing
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, everyone, expect
from kotoverkko.core.tests.permission_matrix import Case as MatrixCase
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

HANDING_OUT_ROLES = [role for role in Role if role_grants(role, Permission.HAND_OUT_LISTINGS)]


@dataclass
class World:
    own: object  # the counsellor's (municipal) organisation
    other: object  # another municipal organisation
    listing: Listing  # a public listing of an NGO
    draft: Listing  # a listing the public cannot see
    handout: Handout  # a valid handout made by a counsellor of `own`
    expired: Handout  # an expired one

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
    listing = create_listing(title={"fi": "Kielikahvila", "ar": "مقهى اللغة"})
    draft = create_listing(status=ListingStatus.DRAFT)
    counsellor = member(Role.COUNSELLOR, own)
    handout = services.handout_create(listings=[listing], language="ar", organisation=own, actor=counsellor)
    expired = services.handout_create(listings=[listing], language="so", organisation=own, actor=counsellor)
    Handout.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    return World(own=own, other=other, listing=listing, draft=draft, handout=handout, expired=expired)


def counsellors(ok: int) -> dict[str, int]:
    """Roles that may hand out listings get `ok` in either organisation; other roles 403."""
    allowed = {f"{role.value}__{scope}": ok for role in HANDING_OUT_ROLES for scope in ("own", "other")}
    return expect(anonymous=302, default=403, **allowed)


@dataclass(frozen=True)
class Case(MatrixCase):
    basket: bool = False  # put the public listing in the session's basket first


def _token(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"activities:{name}", args=[w.handout.token])


def _expired(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"activities:{name}", args=[w.expired.token])


CASES = [
    Case("activities:basket", lambda w: reverse("activities:basket"), counsellors(200)),
    Case(
        "activities:basket[with listings]",
        lambda w: reverse("activities:basket"),
        counsellors(200),
        basket=True,
    ),
    Case(
        "activities:basket_add",
        lambda w: reverse("activities:basket_add", args=[w.listing.pk]),
        counsellors(302),
        "post",
    ),
    Case(
        "activities:basket_add[draft]",
        lambda w: reverse("activities:basket_add", args=[w.draft.pk]),
        counsellors(404),
        "post",
    ),
    Case(
        "activities:basket_remove",
        lambda w: reverse("activities:basket_remove", args=[w.listing.pk]),
        counsellors(302),
        "post",
        basket=True,
    ),
    Case(
        "activities:handout_create",
        lambda w: reverse("activities:handout_create"),
        counsellors(302),
        "post",
        lambda w: {"language": "ar"},
        basket=True,
    ),
    Case(
        "activities:handout_create[empty basket]",
        lambda w: reverse("activities:handout_create"),
        counsellors(200),
        "post",
        lambda w: {"language": "ar"},
    ),
    Case("activities:handout", _token("handout"), everyone(200)),
    Case("activities:handout_print", _token("handout_print"), everyone(200)),
    Case("activities:handout_pdf", _token("handout_pdf"), everyone(200)),
    Case("activities:handout_qr", _token("handout_qr"), everyone(200)),
    Case("activities:handout[expired]", _expired("handout"), everyone(410)),
    Case("activities:handout_print[expired]", _expired("handout_print"), everyone(410)),
    Case("activities:handout_pdf[expired]", _expired("handout_pdf"), everyone(410)),
    Case("activities:handout_qr[expired]", _expired("handout_qr"), everyone(410)),
    Case(
        "activities:handout[unknown]",
        lambda w: reverse("activities:handout", args=["no-such-token"]),
        everyone(404),
    ),
    Case(
        "activities:basket[post]",
        lambda w: reverse("activities:basket"),
        expect(anonymous=405, default=405),
        "post",
    ),
]

# The PDF takes WeasyPrint a moment: every principal gets the same public answer, so check it once
# per kind of principal rather than for every role.
SLOW = {"activities:handout_pdf"}
PDF_PRINCIPALS = [ANON, f"{Role.COUNSELLOR.value}:own", f"{Role.VIEWER.value}:other"]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in (PDF_PRINCIPALS if case.route in SLOW else PRINCIPALS)
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_handouts(client, world, case, principal):
    client = world.client_for(client, principal)
    if case.basket:
        session = client.session
        session[handouts.BASKET_SESSION_KEY] = [world.listing.pk]
        session.save()
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))


def test_permission_matrix_handouts__roles_that_hand_out():
    """The matrix rests on this mapping; a change in roles.py must be a conscious one."""
    assert set(HANDING_OUT_ROLES) == {Role.PLATFORM_ADMIN, Role.COORDINATOR, Role.ORG_ADMIN, Role.COUNSELLOR}


HANDOUT_ROUTES = {
    "activities:basket",
    "activities:basket_add",
    "activities:basket_remove",
    "activities:handout_create",
    "activities:handout",
    "activities:handout_print",
    "activities:handout_pdf",
    "activities:handout_qr",
}


def test_permission_matrix_handouts__covers_every_handout_route():
    from kotoverkko.activities import urls_handouts

    names = {f"activities:{pattern.name}" for pattern in urls_handouts.urlpatterns}
    covered = {case.route.split("[")[0] for case in CASES}
    assert names == HANDOUT_ROUTES
    assert not names - covered, f"Handout routes without a case: {sorted(names - covered)}"


def test_handout_create__other_organisation_member__counts_for_their_own_organisation(client, world):
    """A counsellor of another organisation hands out for their own organisation, not the listing's."""
    counsellor = member(Role.COUNSELLOR, world.other)
    client.force_login(counsellor)
    session = client.session
    session[handouts.BASKET_SESSION_KEY] = [world.listing.pk]
    session.save()
    client.post(reverse("activities:handout_create"), {"language": "ar", "organisation": world.own.pk})
    assert not Handout.objects.filter(created_by=counsellor, organisation=world.own).exists()
    client.post(reverse("activities:handout_create"), {"language": "ar"})
    handout = Handout.objects.get(created_by=counsellor)
    assert handout.organisation == world.other
    assert handout.municipality_id == "049"

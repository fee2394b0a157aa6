"""The permission matrix of the signal routes: anonymous, every role in the organisation concerned
("own") and the same role in another organisation ("other").

The world: `target` is the municipality 257's own organisation, so signals of 257 are routed to it;
`other` is the municipality 049's. `routed` was sent by an NGO and routed to target; `sent` was sent
by target to 049 and is routed to other. A signal the user may not see answers 404 like a missing
one; a page or action the role may never use answers 403; an anonymous visitor signs in first (302).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, expect
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory
from kotoverkko.reference.models import Municipality
from kotoverkko.signals.models import Signal
from kotoverkko.signals.tests.factories import send_signal
from kotoverkko.signals.urls import urlpatterns

pytestmark = pytest.mark.django_db

SECRET = "Salainen havainto"


@dataclass
class World:
    target: Organisation
    other: Organisation
    ngo: Organisation
    routed: Signal
    sent: Signal

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        organisation = self.target if scope == "own" else self.other
        client.force_login(MembershipFactory(organisation=organisation, role=role).user)
        return client


@pytest.fixture
def world() -> World:
    target = OrganisationFactory.municipality("257", name={"fi": "Kohdekunta"})
    other = OrganisationFactory.municipality("049", name={"fi": "Toinen kunta"})
    ngo = OrganisationFactory(name={"fi": "Lähettäjä ry"}, home_municipality_id="257")
    ngo.municipalities_served.set(Municipality.objects.filter(code="257"))
    return World(
        target=target,
        other=other,
        ngo=ngo,
        routed=send_signal(sender=ngo, description=f"{SECRET}: reititetty."),
        sent=send_signal(sender=target, municipality="049", description=f"{SECRET}: lähetetty."),
    )


HANDLERS = ("platform_admin", "coordinator", "org_admin")


def handlers_of_target(ok: int, *, visible_to_own: int = 404) -> dict[str, int]:
    """Handlers in target and platform admins succeed; other own members get `visible_to_own`."""
    own = {f"{role.value}__own": visible_to_own for role in Role}
    own |= {f"{role}__own": ok for role in HANDLERS}
    return expect(anonymous=302, default=404, **own, platform_admin__other=ok)


def handlers_of_other(ok: int) -> dict[str, int]:
    """For `sent`: target's members see it (403 to act), other's handlers act on it."""
    own = {f"{role.value}__own": 403 for role in Role} | {"platform_admin__own": ok}
    return expect(anonymous=302, default=404, **own, **{f"{role}__other": ok for role in HANDLERS})


def page_for(roles: tuple[str, ...], ok: int) -> dict[str, int]:
    return expect(
        anonymous=302, default=403, **{f"{role}__{scope}": ok for role in roles for scope in ("own", "other")}
    )


def _new_signal(w: World) -> dict:
    return {
        "sender_organisation": w.target.pk,
        "theme": w.routed.theme_id,
        "municipality": "257",
        "target_group": "families",
        "urgency": "normal",
        "description": "Uusi havainto ilman henkilötietoja.",
    }


def _answer(w: World) -> dict:
    return {"answer": "Kiitos, asia on työn alla."}


def _status(w: World) -> dict:
    return {"status": "received"}


def _reroute_routed(w: World) -> dict:
    return {"organisation": w.ngo.pk}


def _reroute_sent(w: World) -> dict:
    return {"organisation": OrganisationFactory(home_municipality_id="049").pk}


def _routing(w: World) -> dict:
    return {"municipality": "257", "theme_housing": w.ngo.pk}


SENDERS_OWN = {f"{role.value}__own": 302 for role in Role}

CASES = [
    Case("signals:send", lambda w: reverse("signals:send"), expect(anonymous=302, default=200)),
    Case(
        "signals:send[post]",
        lambda w: reverse("signals:send"),
        expect(anonymous=302, default=200, **SENDERS_OWN, platform_admin__other=302),
        "post",
        _new_signal,
    ),
    Case("signals:sent", lambda w: reverse("signals:sent"), expect(anonymous=302, default=200)),
    Case("signals:inbox", lambda w: reverse("signals:inbox"), page_for(HANDLERS, 200)),
    Case("signals:detail", lambda w: reverse("signals:detail", args=[w.routed.pk]), handlers_of_target(200)),
    Case(
        "signals:detail[sent]",
        lambda w: reverse("signals:detail", args=[w.sent.pk]),
        expect(
            anonymous=302,
            default=404,
            **{f"{role.value}__own": 200 for role in Role},
            **{f"{role}__other": 200 for role in HANDLERS},
        ),
    ),
    Case(
        "signals:answer",
        lambda w: reverse("signals:answer", args=[w.routed.pk]),
        handlers_of_target(302),
        "post",
        _answer,
    ),
    Case(
        "signals:answer[sent]",
        lambda w: reverse("signals:answer", args=[w.sent.pk]),
        handlers_of_other(302),
        "post",
        _answer,
    ),
    Case(
        "signals:status",
        lambda w: reverse("signals:status", args=[w.routed.pk]),
        handlers_of_target(302),
        "post",
        _status,
    ),
    Case(
        "signals:status[sent]",
        lambda w: reverse("signals:status", args=[w.sent.pk]),
        handlers_of_other(302),
        "post",
        _status,
    ),
    Case(
        "signals:reroute",
        lambda w: reverse("signals:reroute", args=[w.routed.pk]),
        handlers_of_target(302),
        "post",
        _reroute_routed,
    ),
    Case(
        "signals:reroute[sent]",
        lambda w: reverse("signals:reroute", args=[w.sent.pk]),
        handlers_of_other(302),
        "post",
        _reroute_sent,
    ),
    Case(
        "signals:routing",
        lambda w: reverse("signals:routing"),
        page_for(("platform_admin", "coordinator"), 200),
    ),
    Case(
        "signals:routing[post]",
        lambda w: reverse("signals:routing"),
        {**page_for(("platform_admin", "coordinator"), 302), "coordinator:other": 404},
        "post",
        _routing,
    ),
    Case(
        "signals:statistics",
        lambda w: reverse("signals:statistics"),
        page_for(("platform_admin", "coordinator"), 200),
    ),
    Case(
        "signals:statistics_csv",
        lambda w: reverse("signals:statistics_csv"),
        page_for(("platform_admin", "coordinator"), 200),
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_signals(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if expected in (403, 404):
        assert SECRET not in response.content.decode()


def test_permission_matrix_signals__covers_every_route():
    covered = {case.route.split("[")[0] for case in CASES}
    routes = {f"signals:{pattern.name}" for pattern in urlpatterns}
    assert not routes - covered, f"Signal routes without a case: {sorted(routes - covered)}"


def test_forbidden_actions__change_nothing(client, world):
    """A refused answer, status change or re-routing leaves the signal as it was."""
    client.force_login(MembershipFactory(organisation=world.other, role=Role.ORG_ADMIN).user)
    client.post(reverse("signals:answer", args=[world.routed.pk]), {"answer": "Ei kuulu minulle."})
    client.post(reverse("signals:status", args=[world.routed.pk]), {"status": "closed"})
    client.post(reverse("signals:reroute", args=[world.routed.pk]), {"organisation": world.ngo.pk})
    world.routed.refresh_from_db()
    assert (world.routed.status, world.routed.answer) == ("new", "")
    assert world.routed.routed_organisation == world.target

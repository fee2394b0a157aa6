"""The permission matrix of the publishing routes: anonymous, every role in the organisation that
owns the listing ("own") and the same role in another organisation ("other").

As in the organisations' matrix: a listing the user may not edit answers 404 like a missing one; a
page the role may never use answers 403; an anonymous visitor is sent to sign in (302).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import services
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing, Report, Theme
from kotoverkko.activities.tests.factories import (
    TargetGroupFactory,
    ThemeFactory,
    create_listing,
    next_weekday,
)
from kotoverkko.activities.urls_publish import urlpatterns
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: Organisation  # owns the listings
    other: Organisation
    draft: Listing
    published: Listing
    submitted: Listing
    archived: Listing
    report: Report
    theme: Theme

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
    published = create_listing(organisation=target, title={"fi": "Salainen julkaistu kerho"})
    return World(
        target=target,
        other=other,
        draft=create_listing(
            organisation=target, status=ListingStatus.DRAFT, title={"fi": "Salainen luonnos"}
        ),
        published=published,
        submitted=create_listing(organisation=target, status=ListingStatus.SUBMITTED),
        archived=create_listing(organisation=target, status=ListingStatus.ARCHIVED),
        report=services.report_create(listing=published, reason="outdated", message=""),
        theme=ThemeFactory(slug="kielet"),
    )


def publishers(ok: int) -> dict[str, int]:
    """Anyone who may write listings somewhere (editors, organisation admins, platform admins)."""
    roles = (Role.PLATFORM_ADMIN, Role.ORG_ADMIN, Role.EDITOR)
    return expect(
        anonymous=302,
        default=403,
        **{f"{role.value}__{scope}": ok for role in roles for scope in ("own", "other")},
    )


def owners(ok: int) -> dict[str, int]:
    """The owning organisation's editors and admins, and platform admins; everyone else 404."""
    return expect(
        anonymous=302,
        default=404,
        platform_admin__own=ok,
        platform_admin__other=ok,
        org_admin__own=ok,
        editor__own=ok,
    )


def platform_admins(ok: int) -> dict[str, int]:
    return expect(anonymous=302, default=403, platform_admin__own=ok, platform_admin__other=ok)


STATISTICS = expect(
    anonymous=302,
    default=403,
    platform_admin__own=200,
    platform_admin__other=200,
    coordinator__own=200,
    coordinator__other=200,
)


def _listing_form(world: World) -> dict:
    first = next_weekday(1).date().isoformat()
    return {
        "section": "activity",
        "organisation": str(world.target.pk),
        "title_fi": "Muutettu kerho",
        "registration": "drop_in",
        "schedule-0-start_date": first,
        "schedule-0-start_time": "17:00",
        "schedule-0-end_time": "19:00",
        "schedule-0-repeat": "weekly",
    }


def _term(world: World) -> dict:
    return {"slug": "uusi-termi", "label_fi": "Uusi", "label_sv": "Ny", "label_en": "New", "position": "1"}


CASES = [
    Case("activities:mine", lambda w: reverse("activities:mine"), publishers(200)),
    Case("activities:create", lambda w: reverse("activities:create"), publishers(200)),
    Case("activities:edit", lambda w: reverse("activities:edit", args=[w.draft.pk]), owners(200)),
    Case(
        "activities:edit[post]",
        lambda w: reverse("activities:edit", args=[w.draft.pk]),
        owners(302),
        "post",
        _listing_form,
    ),
    Case("activities:preview", lambda w: reverse("activities:preview", args=[w.draft.pk]), owners(200)),
    Case("activities:history", lambda w: reverse("activities:history", args=[w.published.pk]), owners(200)),
    Case("activities:submit", lambda w: reverse("activities:submit", args=[w.draft.pk]), owners(302), "post"),
    Case(
        "activities:duplicate",
        lambda w: reverse("activities:duplicate", args=[w.published.pk]),
        owners(302),
        "post",
    ),
    Case(
        "activities:archive",
        lambda w: reverse("activities:archive", args=[w.published.pk]),
        owners(302),
        "post",
    ),
    Case(
        "activities:restore",
        lambda w: reverse("activities:restore", args=[w.archived.pk]),
        owners(302),
        "post",
    ),
    Case(
        "activities:confirm_now",
        lambda w: reverse("activities:confirm_now", args=[w.published.pk]),
        owners(302),
        "post",
    ),
    Case(
        "activities:confirm",
        lambda w: reverse("activities:confirm", args=[services.confirm_token(w.published)]),
        everyone(200),
    ),
    Case(
        "activities:confirm[invalid]",
        lambda w: reverse("activities:confirm", args=["expired"]),
        everyone(410),
    ),
    Case("activities:moderation", lambda w: reverse("activities:moderation"), platform_admins(200)),
    Case(
        "activities:moderate_publish",
        lambda w: reverse("activities:moderate_publish", args=[w.submitted.pk]),
        platform_admins(302),
        "post",
    ),
    Case(
        "activities:moderate_return",
        lambda w: reverse("activities:moderate_return", args=[w.submitted.pk]),
        platform_admins(302),
        "post",
        lambda w: {"reason": "Yksittäinen tapahtuma."},
    ),
    Case(
        "activities:report_handle",
        lambda w: reverse("activities:report_handle", args=[w.report.pk]),
        owners(302),
        "post",
    ),
    Case("activities:vocabularies", lambda w: reverse("activities:vocabularies"), platform_admins(200)),
    Case(
        "activities:vocabulary_create",
        lambda w: reverse("activities:vocabulary_create", args=["target-group"]),
        platform_admins(200),
    ),
    Case(
        "activities:vocabulary_create[post]",
        lambda w: reverse("activities:vocabulary_create", args=["theme"]),
        platform_admins(302),
        "post",
        _term,
    ),
    Case(
        "activities:vocabulary_edit",
        lambda w: reverse("activities:vocabulary_edit", args=["theme", w.theme.pk]),
        platform_admins(200),
    ),
    Case(
        "activities:vocabulary_edit[post]",
        lambda w: reverse("activities:vocabulary_edit", args=["theme", w.theme.pk]),
        platform_admins(302),
        "post",
        _term,
    ),
    Case("activities:statistics", lambda w: reverse("activities:statistics"), STATISTICS),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in PRINCIPALS
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_publish(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if expected in (403, 404):
        html = response.content.decode()
        assert "Salainen" not in html


def test_permission_matrix_publish__covers_every_publishing_route():
    covered = {case.route.split("[")[0] for case in CASES}
    routes = {f"activities:{pattern.name}" for pattern in urlpatterns}
    assert not routes - covered, f"Publishing routes without a case: {sorted(routes - covered)}"


def test_forbidden_actions__change_nothing(client, world):
    """A refused POST leaves the listings as they were (the 404 is not just a page)."""
    client.force_login(MembershipFactory(organisation=world.other, role=Role.EDITOR).user)
    for route, listing in [
        ("activities:submit", world.draft),
        ("activities:archive", world.published),
        ("activities:restore", world.archived),
    ]:
        client.post(reverse(route, args=[listing.pk]))
    client.post(reverse("activities:moderate_publish", args=[world.submitted.pk]))
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert statuses[world.draft.pk] == ListingStatus.DRAFT
    assert statuses[world.published.pk] == ListingStatus.PUBLISHED
    assert statuses[world.archived.pk] == ListingStatus.ARCHIVED
    assert statuses[world.submitted.pk] == ListingStatus.SUBMITTED
    assert Listing.objects.count() == 4


def test_create__editor__offered_only_own_organisations(client, world):
    client.force_login(MembershipFactory(organisation=world.target, role=Role.EDITOR).user)
    form = client.get(reverse("activities:create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.target]


def test_vocabulary_edit__target_group_kind__uses_that_model(client, world):
    group = TargetGroupFactory()
    client.force_login(MembershipFactory(organisation=world.other, role=Role.PLATFORM_ADMIN).user)
    assert (
        client.get(reverse("activities:vocabulary_edit", args=["target-group", group.pk])).status_code == 200
    )
    # The theme's id under the target-group kind is not a target group.
    missing = client.get(reverse("activities:vocabulary_edit", args=["target-group", world.theme.pk + 1000]))
    assert missing.status_code == 404

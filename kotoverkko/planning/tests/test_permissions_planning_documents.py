"""The permission matrix of consultations, documents and the kotoutumisohjelma description.

"own" is the programme's owner municipality, "other" another municipality. Adopted programmes,
their compiled monitoring reports, public consultations and published descriptions are for
everyone; drafts are for the owner's members; writing is for the owner municipality's
coordinators (and platform admins). A forbidden object answers 404, a forbidden page 403.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.tests.factories import member
from kotoverkko.planning import consultation_spam as spam
from kotoverkko.planning.documents import charts
from kotoverkko.planning.enums import ProgrammeStatus, RoundStatus
from kotoverkko.planning.models import (
    Consultation,
    ConsultationComment,
    ConsultationCommentStatus,
    ConsultationStatus,
    InitialPhaseElement,
    InitialPhasePlan,
    InitialPhasePlanStatus,
    MonitoringRound,
    Programme,
)
from kotoverkko.servicepaths.models import ClientGroup

from .test_documents_fixtures import add_comment, make_consultation, make_programme

pytestmark = pytest.mark.django_db


@dataclass
class World:
    target: object
    other: object
    adopted: Programme
    draft: Programme
    consultation: Consultation  # public, open, on the draft
    draft_consultation: Consultation
    comment: ConsultationComment
    compiled_round: MonitoringRound
    open_round: MonitoringRound
    plan: InitialPhasePlan  # published
    draft_plan: InitialPhasePlan
    element: InitialPhaseElement
    group: ClientGroup

    def client_for(self, client, principal: str):
        if principal == ANON:
            return client
        role, scope = principal.split(":")
        client.force_login(member(Role(role), self.target if scope == "own" else self.other))
        return client


@pytest.fixture
def world(monkeypatch) -> World:
    monkeypatch.setattr(charts, "situation_charts_for", lambda codes: None)
    adopted_world = make_programme(status=ProgrammeStatus.ADOPTED)
    target, other = adopted_world.owner, adopted_world.other
    compiled = adopted_world.round
    compiled.status = RoundStatus.COMPILED
    compiled.save()
    open_round = MonitoringRound.objects.create(
        programme=adopted_world.programme, name="Seuranta 2026", period_end=datetime.date(2026, 12, 31)
    )
    draft = Programme.objects.create(
        title={"fi": "Luonnosohjelma"},
        owner=target,
        starts_year=2029,
        ends_year=2032,
        status=ProgrammeStatus.CONSULTATION,
    )
    draft.municipalities.set(["257"])
    consultation = make_consultation(draft)
    draft_consultation = make_consultation(draft, status=ConsultationStatus.DRAFT)
    comment = add_comment(consultation, "Odottaa", status=ConsultationCommentStatus.PENDING)
    plan = InitialPhasePlan.objects.create(
        owner=target,
        title={"fi": "Julkaistu kuvaus"},
        valid_from=datetime.date(2025, 1, 1),
        status=InitialPhasePlanStatus.PUBLISHED,
    )
    plan.municipalities.set(["257"])
    draft_plan = InitialPhasePlan.objects.create(
        owner=target, title={"fi": "Luonnoskuvaus"}, valid_from=datetime.date(2025, 1, 1)
    )
    draft_plan.municipalities.set(["257"])
    return World(
        target=target,
        other=other,
        adopted=adopted_world.programme,
        draft=draft,
        consultation=consultation,
        draft_consultation=draft_consultation,
        comment=comment,
        compiled_round=compiled,
        open_round=open_round,
        plan=plan,
        draft_plan=draft_plan,
        element=InitialPhaseElement.objects.get(slug="guidance"),
        group=ClientGroup.objects.filter(is_active=True).first(),
    )


def _comment(world: World) -> dict:
    return {
        "text": "Hyvä luonnos, kiitos.",
        "language": "fi",
        "section": "",
        "website": "",
        "token": spam.form_token(world.consultation.pk, now=time.time() - 30),
    }


def _moderation(world: World) -> dict:
    return {f"c{world.comment.pk}-decision": "publish", f"c{world.comment.pk}-answer": "Kiitos."}


def _publish(world: World) -> dict:
    return {"status": InitialPhasePlanStatus.DRAFT}


COORDINATORS_OF_TARGET = {"coordinator__own": 200, "platform_admin__own": 200, "platform_admin__other": 200}
# The draft programme: the owner's members read it (403 on write pages), outsiders get 404.
OWN_MEMBERS_403 = {f"{role.value}__own": 403 for role in Role}
MANAGE_DRAFT_PROGRAMME = expect(anonymous=302, default=404, **(OWN_MEMBERS_403 | COORDINATORS_OF_TARGET))
# A public object: everyone finds it; only the target's coordinators may write (others 404).
MODERATE = expect(anonymous=302, default=404, **COORDINATORS_OF_TARGET)
MODERATE_POST = expect(
    anonymous=302, default=404, coordinator__own=302, platform_admin__own=302, platform_admin__other=302
)
OWN_MEMBERS_READ = expect(
    anonymous=404, default=404, **{f"{role.value}__own": 200 for role in Role}, platform_admin__other=200
)
# The published description: everyone reads it, so non-editors get 403 on its write pages.
EDIT_PUBLISHED_PLAN = expect(anonymous=302, default=403, **COORDINATORS_OF_TARGET)
EDIT_PUBLISHED_PLAN_POST = expect(
    anonymous=302, default=403, coordinator__own=302, platform_admin__own=302, platform_admin__other=302
)
CREATE_PLAN = expect(
    anonymous=302,
    default=403,
    coordinator__own=200,
    coordinator__other=200,
    platform_admin__own=200,
    platform_admin__other=200,
)

CASES = [
    Case("planning:consultation_list", lambda w: reverse("planning:consultation_list"), everyone(200)),
    Case(
        "planning:consultation_detail",
        lambda w: reverse("planning:consultation_detail", args=[w.consultation.pk]),
        everyone(200),
    ),
    Case(
        "planning:consultation_detail[draft]",
        lambda w: reverse("planning:consultation_detail", args=[w.draft_consultation.pk]),
        expect(anonymous=404, default=404, **COORDINATORS_OF_TARGET),
    ),
    Case(
        "planning:consultation_comment",
        lambda w: reverse("planning:consultation_comment", args=[w.consultation.pk]),
        everyone(302),
        "post",
        _comment,
    ),
    Case(
        "planning:consultation_manage",
        lambda w: reverse("planning:consultation_manage", args=[w.draft.pk]),
        MANAGE_DRAFT_PROGRAMME,
    ),
    Case(
        "planning:consultation_create",
        lambda w: reverse("planning:consultation_create", args=[w.draft.pk]),
        MANAGE_DRAFT_PROGRAMME,
    ),
    Case(
        "planning:consultation_edit",
        lambda w: reverse("planning:consultation_edit", args=[w.consultation.pk]),
        MODERATE,
    ),
    Case(
        "planning:consultation_publish",
        lambda w: reverse("planning:consultation_publish", args=[w.draft_consultation.pk]),
        MODERATE_POST,
        "post",
    ),
    Case(
        "planning:consultation_moderate",
        lambda w: reverse("planning:consultation_moderate", args=[w.consultation.pk]),
        MODERATE,
    ),
    Case(
        "planning:consultation_comment_moderate",
        lambda w: reverse("planning:consultation_comment_moderate", args=[w.comment.pk]),
        MODERATE_POST,
        "post",
        _moderation,
    ),
    Case(
        "planning:document_programme",
        lambda w: reverse("planning:document_programme", args=[w.adopted.pk, "docx"]),
        everyone(200),
    ),
    Case(
        "planning:document_programme[draft]",
        lambda w: reverse("planning:document_programme", args=[w.draft.pk, "docx"]),
        OWN_MEMBERS_READ,
    ),
    Case(
        "planning:document_round",
        lambda w: reverse("planning:document_round", args=[w.compiled_round.pk, "docx"]),
        everyone(200),
    ),
    Case(
        "planning:document_round[open]",
        lambda w: reverse("planning:document_round", args=[w.open_round.pk, "docx"]),
        OWN_MEMBERS_READ,
    ),
    Case(
        "planning:document_initial_phase_list",
        lambda w: reverse("planning:document_initial_phase_list"),
        everyone(200),
    ),
    Case(
        "planning:document_initial_phase_create",
        lambda w: reverse("planning:document_initial_phase_create"),
        CREATE_PLAN,
    ),
    Case(
        "planning:document_initial_phase_detail",
        lambda w: reverse("planning:document_initial_phase_detail", args=[w.plan.pk]),
        everyone(200),
    ),
    Case(
        "planning:document_initial_phase_detail[draft]",
        lambda w: reverse("planning:document_initial_phase_detail", args=[w.draft_plan.pk]),
        OWN_MEMBERS_READ,
    ),
    Case(
        "planning:document_initial_phase_edit",
        lambda w: reverse("planning:document_initial_phase_edit", args=[w.plan.pk]),
        EDIT_PUBLISHED_PLAN,
    ),
    Case(
        "planning:document_initial_phase_status",
        lambda w: reverse("planning:document_initial_phase_status", args=[w.plan.pk]),
        EDIT_PUBLISHED_PLAN_POST,
        "post",
        _publish,
    ),
    Case(
        "planning:document_initial_phase_cell",
        lambda w: reverse("planning:document_initial_phase_cell", args=[w.plan.pk, w.element.pk, w.group.pk]),
        EDIT_PUBLISHED_PLAN,
    ),
    Case(
        "planning:document_initial_phase_download",
        lambda w: reverse("planning:document_initial_phase_download", args=[w.plan.pk, "docx"]),
        everyone(200),
    ),
    Case(
        "planning:document_initial_phase_download[pdf]",
        lambda w: reverse("planning:document_initial_phase_download", args=[w.plan.pk, "pdf"]),
        expect(anonymous=200, default=200),
    ),
    Case(
        "planning:document_initial_phase_download[draft]",
        lambda w: reverse("planning:document_initial_phase_download", args=[w.draft_plan.pk, "docx"]),
        OWN_MEMBERS_READ,
    ),
]


def _matrix() -> list:
    return [
        pytest.param(case, principal, id=f"{case.route}-{principal}")
        for case in CASES
        for principal in (PRINCIPALS if "[pdf]" not in case.route else [ANON, "coordinator:own"])
    ]


@pytest.mark.parametrize(("case", "principal"), _matrix())
def test_permission_matrix_planning_documents(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 404:
        assert "Luonnos" not in response.content.decode()


def test_permission_matrix_planning_documents__covers_every_route():
    from kotoverkko.planning import urls_consultation, urls_documents

    routes = {f"planning:{p.name}" for p in [*urls_consultation.urlpatterns, *urls_documents.urlpatterns]}
    covered = {case.route.split("[")[0] for case in CASES}
    assert routes - covered == set()

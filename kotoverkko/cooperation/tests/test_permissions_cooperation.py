"""The permission matrix of the cooperation routes: anonymous, every role in the organisation that
runs the body and keeps the agreement ("own"), and the same role in another municipality ("other").

The owning municipality holds a seat in the body, so all of its staff are the body's members. A
body, meeting or agreement the user may not see or change answers 404 like a missing one; a page
the role may never use answers 403; an anonymous visitor is sent to sign in (302).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.cooperation.enums import AgreementKind, MemberRole
from kotoverkko.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementDocument,
    BodyMember,
    CooperationBody,
    Meeting,
    MeetingAttachment,
)
from kotoverkko.cooperation.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    BodyFactory,
    MeetingFactory,
    MemberFactory,
)
from kotoverkko.cooperation.urls import urlpatterns
from kotoverkko.core.tests.permission_matrix import ANON, PRINCIPALS, Case, everyone, expect
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MANAGER_ROLES = (Role.PLATFORM_ADMIN, Role.COORDINATOR, Role.ORG_ADMIN)


@dataclass
class World:
    target: Organisation
    other: Organisation
    body: CooperationBody
    hidden_body: CooperationBody
    seat: BodyMember
    meeting: Meeting
    attachment: MeetingAttachment
    item: ActionItem
    agreement: Agreement  # public summary
    private_agreement: Agreement
    document: AgreementDocument

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
    body = BodyFactory(owner=target, name={"fi": "Neuvottelukunta"})
    MemberFactory(body=body, organisation=target, role=MemberRole.CHAIR)
    seat = MemberFactory(body=body, organisation=OrganisationFactory(), person_name="Salainen Henkilö")
    hidden_body = BodyFactory(owner=target, is_public=False, name={"fi": "Salainen työryhmä"})
    MemberFactory(body=hidden_body, organisation=target)
    meeting = MeetingFactory(body=body)
    AgendaItemFactory(meeting=meeting, title="Salainen asia")
    attachment = MeetingAttachment.objects.create(
        meeting=meeting,
        title="Liite",
        file=ContentFile(PDF, name="liite.pdf"),
        content_type="application/pdf",
        size=len(PDF),
    )
    agreement = AgreementFactory(owner=target, is_public=True, title={"fi": "Julkinen sopimus"})
    private_agreement = AgreementFactory(
        owner=target, kind=AgreementKind.SERVICE_PURCHASE, title={"fi": "Salainen palveluhankinta"}
    )
    document = AgreementDocument.objects.create(
        agreement=agreement,
        title="Sopimusasiakirja",
        file=ContentFile(PDF, name="sopimus.pdf"),
        content_type="application/pdf",
        size=len(PDF),
    )
    return World(
        target=target,
        other=other,
        body=body,
        hidden_body=hidden_body,
        seat=seat,
        meeting=meeting,
        attachment=attachment,
        item=ActionItemFactory(body=body, owner=target, title="Salainen toimenpide"),
        agreement=agreement,
        private_agreement=private_agreement,
        document=document,
    )


def creators(ok: int) -> dict[str, int]:
    """Anyone with MANAGE_COOPERATION somewhere; other signed-in users 403."""
    return expect(
        anonymous=302,
        default=403,
        **{f"{role.value}__{scope}": ok for role in MANAGER_ROLES for scope in ("own", "other")},
    )


def managers(ok: int) -> dict[str, int]:
    """The owning organisation's coordinators and admins, and platform admins; everyone else 404."""
    return expect(
        anonymous=302,
        default=404,
        platform_admin__own=ok,
        platform_admin__other=ok,
        coordinator__own=ok,
        org_admin__own=ok,
    )


def insiders(ok: int, *, anonymous: int) -> dict[str, int]:
    """Every member of the owning (and member) organisation, and platform admins."""
    return expect(
        anonymous=anonymous,
        default=404,
        **{f"{role.value}__own": ok for role in Role},
        platform_admin__other=ok,
    )


def _meeting_form(world: World) -> dict:
    return {
        "date": "2027-05-05",
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "Kunnantalo",
        "status": "planned",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Avaus",
    }


def _upload(world: World) -> dict:
    return {
        "title": "Uusi liite",
        "file": SimpleUploadedFile("uusi.pdf", PDF, content_type="application/pdf"),
    }


CASES = [
    Case("cooperation:body_list", lambda w: reverse("cooperation:body_list"), everyone(200)),
    Case(
        "cooperation:body_detail",
        lambda w: reverse("cooperation:body_detail", args=[w.body.pk]),
        everyone(200),
    ),
    Case(
        "cooperation:body_detail[hidden]",
        lambda w: reverse("cooperation:body_detail", args=[w.hidden_body.pk]),
        insiders(200, anonymous=404),
    ),
    Case("cooperation:body_create", lambda w: reverse("cooperation:body_create"), creators(200)),
    Case(
        "cooperation:body_edit", lambda w: reverse("cooperation:body_edit", args=[w.body.pk]), managers(200)
    ),
    Case(
        "cooperation:body_edit[post]",
        lambda w: reverse("cooperation:body_edit", args=[w.body.pk]),
        managers(302),
        "post",
        lambda w: {
            "name_fi": "Uusi nimi",
            "kind": "working_group",
            "owner": str(w.target.pk),
            "name_other_0_lang": "",
        },
    ),
    Case(
        "cooperation:body_calendar",
        lambda w: reverse("cooperation:body_calendar", args=[w.body.pk]),
        everyone(200),
    ),
    Case(
        "cooperation:body_calendar[hidden]",
        lambda w: reverse("cooperation:body_calendar", args=[w.hidden_body.pk]),
        insiders(200, anonymous=404),
    ),
    Case(
        "cooperation:member_add", lambda w: reverse("cooperation:member_add", args=[w.body.pk]), managers(200)
    ),
    Case(
        "cooperation:member_add[post]",
        lambda w: reverse("cooperation:member_add", args=[w.body.pk]),
        managers(302),
        "post",
        lambda w: {"organisation": str(w.other.pk), "role": "member"},
    ),
    Case(
        "cooperation:member_export",
        lambda w: reverse("cooperation:member_export", args=[w.body.pk]),
        managers(200),
    ),
    Case(
        "cooperation:member_edit",
        lambda w: reverse("cooperation:member_edit", args=[w.body.pk, w.seat.pk]),
        managers(200),
    ),
    Case(
        "cooperation:member_remove",
        lambda w: reverse("cooperation:member_remove", args=[w.body.pk, w.seat.pk]),
        managers(302),
        "post",
    ),
    Case(
        "cooperation:meeting_create",
        lambda w: reverse("cooperation:meeting_create", args=[w.body.pk]),
        managers(200),
    ),
    Case(
        "cooperation:meeting_create[post]",
        lambda w: reverse("cooperation:meeting_create", args=[w.body.pk]),
        managers(302),
        "post",
        _meeting_form,
    ),
    Case(
        "cooperation:meeting_detail",
        lambda w: reverse("cooperation:meeting_detail", args=[w.meeting.pk]),
        everyone(200),
    ),
    Case(
        "cooperation:meeting_edit",
        lambda w: reverse("cooperation:meeting_edit", args=[w.meeting.pk]),
        managers(200),
    ),
    Case(
        "cooperation:meeting_record",
        lambda w: reverse("cooperation:meeting_record", args=[w.meeting.pk]),
        managers(200),
    ),
    Case(
        "cooperation:meeting_record[post]",
        lambda w: reverse("cooperation:meeting_record", args=[w.meeting.pk]),
        managers(302),
        "post",
        lambda w: {"minutes": "Pöytäkirja", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"},
    ),
    Case(
        "cooperation:meeting_ics",
        lambda w: reverse("cooperation:meeting_ics", args=[w.meeting.pk]),
        everyone(200),
    ),
    Case(
        "cooperation:attachment_add",
        lambda w: reverse("cooperation:attachment_add", args=[w.meeting.pk]),
        managers(302),
        "post",
        _upload,
    ),
    Case(
        "cooperation:attachment_download",
        lambda w: reverse("cooperation:attachment_download", args=[w.attachment.pk]),
        insiders(200, anonymous=404),
    ),
    Case(
        "cooperation:attachment_delete",
        lambda w: reverse("cooperation:attachment_delete", args=[w.attachment.pk]),
        managers(302),
        "post",
    ),
    Case(
        "cooperation:action_items",
        lambda w: reverse("cooperation:action_items"),
        expect(anonymous=302, default=200),
    ),
    Case(
        "cooperation:action_item_create",
        lambda w: reverse("cooperation:action_item_create", args=[w.body.pk]),
        managers(200),
    ),
    Case(
        "cooperation:action_item_create[post]",
        lambda w: reverse("cooperation:action_item_create", args=[w.body.pk]),
        managers(302),
        "post",
        lambda w: {"title": "Uusi", "owner": str(w.target.pk), "due_on": "2027-02-01", "status": "open"},
    ),
    Case(
        "cooperation:action_item_edit",
        lambda w: reverse("cooperation:action_item_edit", args=[w.item.pk]),
        managers(200),
    ),
    Case(
        "cooperation:action_item_status",
        lambda w: reverse("cooperation:action_item_status", args=[w.item.pk]),
        managers(302),
        "post",
        lambda w: {"status": "done"},
    ),
    Case("cooperation:agreement_list", lambda w: reverse("cooperation:agreement_list"), everyone(200)),
    Case(
        "cooperation:agreement_detail",
        lambda w: reverse("cooperation:agreement_detail", args=[w.agreement.pk]),
        everyone(200),
    ),
    Case(
        "cooperation:agreement_detail[private]",
        lambda w: reverse("cooperation:agreement_detail", args=[w.private_agreement.pk]),
        insiders(200, anonymous=404),
    ),
    Case("cooperation:agreement_create", lambda w: reverse("cooperation:agreement_create"), creators(200)),
    Case(
        "cooperation:agreement_edit",
        lambda w: reverse("cooperation:agreement_edit", args=[w.private_agreement.pk]),
        managers(200),
    ),
    Case(
        "cooperation:agreement_review",
        lambda w: reverse("cooperation:agreement_review", args=[w.agreement.pk]),
        managers(302),
        "post",
        lambda w: {"reviewed_on": "2026-11-01"},
    ),
    Case(
        "cooperation:document_add",
        lambda w: reverse("cooperation:document_add", args=[w.agreement.pk]),
        managers(302),
        "post",
        _upload,
    ),
    Case(
        "cooperation:document_download",
        lambda w: reverse("cooperation:document_download", args=[w.document.pk]),
        insiders(200, anonymous=404),
    ),
    Case(
        "cooperation:document_delete",
        lambda w: reverse("cooperation:document_delete", args=[w.document.pk]),
        managers(302),
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
def test_permission_matrix_cooperation(client, world, case, principal):
    client = world.client_for(client, principal)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url)
    expected = case.expected[principal]
    assert response.status_code == expected, f"{case.method.upper()} {url} as {principal}"
    if expected == 302 and principal == ANON:
        assert response.url.startswith(reverse("accounts:login"))
    if expected == 302 and case.method == "post" and principal != ANON:
        assert not response.url.startswith(reverse("accounts:login"))
    if expected in (403, 404) and response.get("Content-Type", "").startswith("text/html"):
        assert "Salainen" not in response.content.decode()


def test_permission_matrix_cooperation__covers_every_route():
    covered = {case.route.split("[")[0] for case in CASES}
    routes = {f"cooperation:{pattern.name}" for pattern in urlpatterns}
    assert not routes - covered, f"Cooperation routes without a case: {sorted(routes - covered)}"


def test_public_pages__no_person_names_or_papers(client, world):
    pages = [
        reverse("cooperation:body_detail", args=[world.body.pk]),
        reverse("cooperation:meeting_detail", args=[world.meeting.pk]),
        reverse("cooperation:meeting_ics", args=[world.meeting.pk]),
        reverse("cooperation:body_list"),
        reverse("cooperation:agreement_list"),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Salainen" not in content, url


def test_forbidden_posts__change_nothing(client, world):
    client.force_login(MembershipFactory(organisation=world.other, role=Role.COORDINATOR).user)
    client.post(reverse("cooperation:member_remove", args=[world.body.pk, world.seat.pk]))
    client.post(reverse("cooperation:action_item_status", args=[world.item.pk]), {"status": "done"})
    client.post(reverse("cooperation:attachment_delete", args=[world.attachment.pk]))
    assert BodyMember.objects.filter(pk=world.seat.pk).exists()
    assert ActionItem.objects.get(pk=world.item.pk).status == "open"
    assert MeetingAttachment.objects.filter(pk=world.attachment.pk).exists()

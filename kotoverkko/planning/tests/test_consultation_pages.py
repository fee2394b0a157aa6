"""The consultation pages as people see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.tests.factories import member
from kotoverkko.planning.enums import ProgrammeStatus
from kotoverkko.planning.models import Consultation, ConsultationCommentStatus, ConsultationStatus

from .test_documents_fixtures import add_comment, make_consultation, make_programme

pytestmark = pytest.mark.django_db


def test_detail__plain_finnish_summary_on_request(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    consultation = make_consultation(world.programme)
    url = reverse("planning:consultation_detail", args=[consultation.pk])
    html = client.get(url, {"summary_language": "fi-x-selko"}).content.decode()
    assert "Kunta tekee suunnitelman." in html


def test_detail__rejected_comment__not_shown(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    consultation = make_consultation(world.programme)
    add_comment(consultation, "Visible remark")
    add_comment(consultation, "Buy cheap pills", status=ConsultationCommentStatus.REJECTED)
    html = client.get(reverse("planning:consultation_detail", args=[consultation.pk])).content.decode()
    assert "Visible remark" in html
    assert "Buy cheap pills" not in html


def test_detail__draft_consultation__404_for_public(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    draft = make_consultation(world.programme, status=ConsultationStatus.DRAFT)
    assert client.get(reverse("planning:consultation_detail", args=[draft.pk])).status_code == 404


def test_list__shows_open_consultation(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    make_consultation(world.programme)
    html = client.get(reverse("planning:consultation_list")).content.decode()
    assert "Lausuntokierros" in html


def test_create_page__coordinator_saves_a_draft(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    client.force_login(member(Role.COORDINATOR, world.owner))
    response = client.post(
        reverse("planning:consultation_create", args=[world.programme.pk]),
        {
            "title_fi": "Kuuleminen keväällä",
            "summary_fi": "Mitä mieltä olet?",
            "summary_other_0_lang": "ar",
            "summary_other_0_text": "ما رأيك؟",
            "plain_finnish_summary": "",
            "opens_at": "2030-03-01T09:00",
            "closes_at": "2030-03-31T16:00",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.summary == {"fi": "Mitä mieltä olet?", "ar": "ما رأيك؟"}
    assert consultation.status == ConsultationStatus.DRAFT


def test_create_page__closes_before_opening__error_on_field(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    client.force_login(member(Role.COORDINATOR, world.owner))
    response = client.post(
        reverse("planning:consultation_create", args=[world.programme.pk]),
        {"title_fi": "X", "opens_at": "2030-03-31T09:00", "closes_at": "2030-03-01T16:00", "is_public": "on"},
    )
    assert response.status_code == 200
    assert not Consultation.objects.exists()


def test_moderation_page__lists_pending_comments(client):
    world = make_programme(status=ProgrammeStatus.CONSULTATION)
    consultation = make_consultation(world.programme)
    add_comment(consultation, "Waiting comment", status=ConsultationCommentStatus.PENDING)
    client.force_login(member(Role.COORDINATOR, world.owner))
    html = client.get(reverse("planning:consultation_moderate", args=[consultation.pk])).content.decode()
    assert "Waiting comment" in html

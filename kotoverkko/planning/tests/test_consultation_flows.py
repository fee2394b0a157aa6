"""Consultation from a resident's and a coordinator's point of view: comment, moderate, answer,
and the spam, privacy and audience rules on the way."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import member
from kotoverkko.planning import consultation as consultations
from kotoverkko.planning import consultation_spam as spam
from kotoverkko.planning.enums import ProgrammeStatus
from kotoverkko.planning.models import ConsultationComment, ConsultationCommentStatus, RejectionReason

from .test_documents_fixtures import add_comment, make_consultation, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_programme(status=ProgrammeStatus.CONSULTATION)


@pytest.fixture
def consultation(world):
    return make_consultation(world.programme)


def _post(client, consultation, **overrides):
    data = {
        "text": "Please hold the language cafés in the evenings too.",
        "language": "en",
        "section": "",
        "website": "",
        "token": spam.form_token(consultation.pk, now=time.time() - 30),
    }
    data.update(overrides)
    return client.post(reverse("planning:consultation_comment", args=[consultation.pk]), data)


def test_public_comment__anonymous__pending_then_published_with_answer(client, world, consultation):
    response = _post(client, consultation)
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    assert comment.status == ConsultationCommentStatus.PENDING
    assert comment.organisation is None
    assert comment.language == "en"
    page = client.get(reverse("planning:consultation_detail", args=[consultation.pk])).content.decode()
    assert "language cafés in the evenings" not in page

    coordinator = member(Role.COORDINATOR, world.owner)
    client.force_login(coordinator)
    response = client.post(
        reverse("planning:consultation_comment_moderate", args=[comment.pk]),
        {f"c{comment.pk}-decision": "publish", f"c{comment.pk}-answer": "Evening groups start in May."},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("planning:consultation_detail", args=[consultation.pk])).content.decode()
    assert "language cafés in the evenings" in page
    assert "Evening groups start in May." in page


def test_public_comment__audit_trail_keeps_no_text(client, consultation):
    _post(client, consultation)
    event = AuditEvent.objects.get(action="planning.consultation_comment_submitted")
    assert "language cafés" not in event.object_repr
    assert event.actor is None


def test_public_comment__honeypot_filled__refused(client, consultation):
    response = _post(client, consultation, website="http://spam.example")
    assert response.status_code == 400
    assert not ConsultationComment.objects.exists()


def test_public_comment__sent_too_fast__refused(client, consultation):
    response = _post(client, consultation, token=spam.form_token(consultation.pk))
    assert response.status_code == 400
    assert not ConsultationComment.objects.exists()


def test_public_comment__expired_form__refused(client, consultation):
    old = spam.form_token(consultation.pk, now=time.time() - spam.MAX_FORM_AGE_SECONDS - 60)
    response = _post(client, consultation, token=old)
    assert response.status_code == 400
    assert not ConsultationComment.objects.exists()


def test_public_comment__too_many_links__refused(client, consultation):
    response = _post(client, consultation, text="See www.a.fi, www.b.fi and www.c.fi for cheap offers")
    assert response.status_code == 400
    assert "enintään 2 linkkiä" in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_public_comment__too_long_or_too_short__refused(client, consultation):
    assert _post(client, consultation, text="x" * (spam.MAX_LENGTH + 1)).status_code == 400
    assert _post(client, consultation, text="ok").status_code == 400
    assert not ConsultationComment.objects.exists()


def test_public_comment__rate_limit__429_after_the_limit(client, consultation):
    for _ in range(spam.COMMENTS_PER_HOUR):
        assert _post(client, consultation).status_code == 302
    response = _post(client, consultation)
    assert response.status_code == 429
    assert ConsultationComment.objects.count() == spam.COMMENTS_PER_HOUR


def test_public_comment__phone_number__refused_and_masked(client, consultation):
    response = _post(client, consultation, text="Call me on 040 123 4567 about this, thanks.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "040 123 4567" not in html.split("</textarea>")[-1]
    assert not ConsultationComment.objects.exists()


def test_public_comment__identity_code__refused(client, consultation):
    assert _post(client, consultation, text="My code is 131052-308T and I need help.").status_code == 400
    assert not ConsultationComment.objects.exists()


def test_public_comment__closed_consultation__refused(client, world):
    closed = make_consultation(world.programme, is_open=False)
    response = _post(client, closed)
    assert response.status_code == 302
    assert not ConsultationComment.objects.exists()
    with pytest.raises(ApplicationError) as error:
        consultations.comment_submit(consultation=closed, text="Late comment", language="fi")
    assert error.value.code == consultations.ConsultationErrorCode.NOT_OPEN.value


def test_public_comment__in_arabic_about_a_goal__stored_with_language_and_section(
    client, world, consultation
):
    response = _post(
        client, consultation, text="نحتاج إلى دروس مسائية", language="ar", section=f"goal:{world.goal.pk}"
    )
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    assert (comment.language, comment.goal, comment.measure) == ("ar", world.goal, None)


def test_public_comment__section_of_another_programme__refused(client, consultation):
    other = make_programme(code="235")
    response = _post(client, consultation, section=f"measure:{other.measure.pk}")
    assert response.status_code == 400
    assert not ConsultationComment.objects.exists()


def test_invited_only__anonymous__cannot_comment(client, world):
    invited_only = make_consultation(world.programme, is_public=False)
    invited_only.invited_organisations.set([world.ngo])
    assert client.get(reverse("planning:consultation_detail", args=[invited_only.pk])).status_code == 404
    assert _post(client, invited_only).status_code == 404


def test_invited_only__member_of_invited_organisation__comments_in_its_name(client, world):
    invited_only = make_consultation(world.programme, is_public=False)
    invited_only.invited_organisations.set([world.ngo])
    client.force_login(member(Role.VIEWER, world.ngo))
    response = _post(client, invited_only, organisation=str(world.ngo.pk))
    assert response.status_code == 302
    assert ConsultationComment.objects.get().organisation == world.ngo


def test_moderate__reject_without_reason__refused(world, consultation):
    comment = add_comment(consultation, "Hmm", status=ConsultationCommentStatus.PENDING)
    coordinator = member(Role.COORDINATOR, world.owner)
    with pytest.raises(ApplicationError):
        consultations.comment_moderate(comment=comment, actor=coordinator, publish=False)
    consultations.comment_moderate(
        comment=comment, actor=coordinator, publish=False, reason=RejectionReason.SPAM
    )
    comment.refresh_from_db()
    assert comment.status == ConsultationCommentStatus.REJECTED


def test_moderate__coordinator_of_other_municipality__not_allowed(world, consultation):
    comment = add_comment(consultation, "Hmm", status=ConsultationCommentStatus.PENDING)
    outsider = member(Role.COORDINATOR, world.other)
    with pytest.raises(ApplicationError):
        consultations.comment_moderate(comment=comment, actor=outsider, publish=True)


def test_consultation_summary__grouped_by_section_with_answers(world):
    closed = make_consultation(world.programme, is_open=False)
    add_comment(closed, "General remark", answer="Thanks")
    add_comment(closed, "About the café", measure=world.measure, answer="Will do")
    add_comment(closed, "Spam", status=ConsultationCommentStatus.REJECTED)
    summary = consultations.consultation_summary(world.programme, language="fi")
    assert summary.received == 3
    assert summary.published == 2
    assert [len(group.comments) for group in summary.groups] == [1, 1]
    assert summary.groups[1].comments[0].answer == "Will do"


def test_consultation_create_and_publish__by_coordinator(world):
    import datetime

    from django.utils import timezone

    coordinator = member(Role.COORDINATOR, world.owner)
    now = timezone.now()
    created = consultations.consultation_create(
        programme=world.programme,
        actor=coordinator,
        title={"fi": "Kuuleminen"},
        summary={"fi": "Tiivistelmä", "so": "Soomaali"},
        plain_finnish_summary="Selkokielinen teksti.",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=14),
        is_public=True,
    )
    assert created.phase().value == "not_published"
    consultations.consultation_publish(consultation=created, actor=coordinator)
    assert created.is_open
    assert consultations.summary_text(created, "fi-x-selko") == ("Selkokielinen teksti.", "fi-x-selko")
    assert consultations.summary_text(created, "so") == ("Soomaali", "so")

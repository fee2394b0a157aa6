"""What users see on the cooperation pages: public vs member views, recording a meeting, files,
calendars and agreements."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kotoverkko.accounts.roles import Role
from kotoverkko.cooperation.enums import (
    ActionItemStatus,
    AgreementKind,
    Attendance,
    MeetingStatus,
    MemberRole,
)
from kotoverkko.cooperation.models import (
    ActionItem,
    Agreement,
    BodyMember,
    CooperationBody,
    Meeting,
    MeetingAttachment,
)
from kotoverkko.cooperation.services import CooperationErrorCode
from kotoverkko.cooperation.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    BodyFactory,
    MeetingFactory,
    MemberFactory,
)
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def municipality():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def ngo():
    return OrganisationFactory(name={"fi": "Kielikahvila ry"})


@pytest.fixture
def body(municipality, ngo):
    body = BodyFactory(owner=municipality, name={"fi": "Kotoutumisen neuvottelukunta"})
    MemberFactory(
        body=body, organisation=municipality, role=MemberRole.CHAIR, person_name="Salainen Puheenjohtaja"
    )
    MemberFactory(body=body, organisation=ngo, role=MemberRole.MEMBER)
    return body


@pytest.fixture
def coordinator(municipality):
    return member(Role.COORDINATOR, municipality)


def test_body_detail__anonymous__organisations_and_roles_without_persons(client, body):
    response = client.get(reverse("cooperation:body_detail", args=[body.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kielikahvila ry" in html
    assert "Salainen Puheenjohtaja" not in html


def test_body_detail__member_organisation__sees_persons(client, body, ngo):
    client.force_login(member(Role.VIEWER, ngo))
    html = client.get(reverse("cooperation:body_detail", args=[body.pk])).content.decode()
    assert "Salainen Puheenjohtaja" in html


def test_hidden_body__outsider__404(client, body):
    body.is_public = False
    body.save()
    client.force_login(member(Role.COORDINATOR, OrganisationFactory.municipality("049")))
    assert client.get(reverse("cooperation:body_detail", args=[body.pk])).status_code == 404


def test_meeting_detail__public__time_but_not_agenda_or_online_link(client, body):
    meeting = MeetingFactory(body=body)
    AgendaItemFactory(meeting=meeting, title="Salainen asia")
    html = client.get(reverse("cooperation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Kunnantalo" in html
    assert "Salainen asia" not in html
    assert "salainen-linkki" not in html


def test_meeting_detail__minutes_public__public_sees_minutes(client, body):
    body.minutes_public = True
    body.save()
    meeting = MeetingFactory(body=body, status=MeetingStatus.HELD, minutes="Pöytäkirjan teksti")
    html = client.get(reverse("cooperation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Pöytäkirjan teksti" in html


def test_meeting_detail__minutes_not_public__public_does_not_see_them(client, body):
    meeting = MeetingFactory(body=body, status=MeetingStatus.HELD, minutes="Pöytäkirjan teksti")
    html = client.get(reverse("cooperation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Pöytäkirjan teksti" not in html


def test_meeting_create__coordinator__meeting_with_agenda_in_helsinki_time(client, body, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:meeting_create", args=[body.pk]),
        {
            "title": "1/2027",
            "date": "2027-03-10",
            "start_time": "13:00",
            "end_time": "15:00",
            "place": "Kunnantalo",
            "online_url": "",
            "status": "planned",
            "agenda-TOTAL_FORMS": "2",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "Kokouksen avaus",
            "agenda-1-title": "Kotoutumisohjelman seuranta",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime.datetime(2027, 3, 10, 11, 0, tzinfo=datetime.UTC)
    assert [item.title for item in meeting.agenda_items.all()] == [
        "Kokouksen avaus",
        "Kotoutumisohjelman seuranta",
    ]
    assert AuditEvent.objects.filter(action="cooperation.meeting_created").exists()


def test_meeting_create__add_row__one_more_row_and_nothing_saved(client, body, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:meeting_create", args=[body.pk]),
        {
            "add_agenda_row": "1",
            "agenda-TOTAL_FORMS": "1",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "Avaus",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="agenda-1-title"' in html
    assert 'value="Avaus"' in html
    assert "<html" not in html
    assert not Meeting.objects.exists()


def test_meeting_record__attendance_minutes_decisions_and_action_item(client, body, coordinator, ngo):
    meeting = MeetingFactory(body=body)
    agenda_item = AgendaItemFactory(meeting=meeting)
    seats = list(body.members.order_by("pk"))
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:meeting_record", args=[meeting.pk]),
        {
            f"attendance_{seats[0].pk}": Attendance.PRESENT,
            f"attendance_{seats[1].pk}": Attendance.ABSENT,
            "minutes": "Käsiteltiin asiat.",
            f"decision_{agenda_item.pk}": "Hyväksyttiin.",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "Kartoita kielikahvilat",
            "actions-0-owner": str(ngo.pk),
            "actions-0-due_on": "2027-01-31",
        },
    )
    meeting.refresh_from_db()
    agenda_item.refresh_from_db()
    assert response.status_code == 302
    assert meeting.status == MeetingStatus.HELD
    assert meeting.minutes == "Käsiteltiin asiat."
    assert agenda_item.decision == "Hyväksyttiin."
    assert dict(meeting.attendance.values_list("member_id", "status")) == {
        seats[0].pk: Attendance.PRESENT,
        seats[1].pk: Attendance.ABSENT,
    }
    item = ActionItem.objects.get()
    assert (item.owner, item.meeting, item.due_on) == (ngo, meeting, datetime.date(2027, 1, 31))


def test_meeting_record__action_without_owner__error_and_nothing_saved(client, body, coordinator):
    meeting = MeetingFactory(body=body)
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:meeting_record", args=[meeting.pk]),
        {
            "minutes": "x",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "Jotain",
        },
    )
    assert response.status_code == 200
    assert gettext("Choose the organisation responsible for the action.") in response.content.decode()
    assert not ActionItem.objects.exists()


def test_meeting_record__chair_linked_to_account__may_record(client, body, ngo):
    chair = member(Role.VIEWER, ngo)
    MemberFactory(body=body, organisation=ngo, role=MemberRole.SECRETARY, user=chair)
    meeting = MeetingFactory(body=body)
    client.force_login(chair)
    assert client.get(reverse("cooperation:meeting_record", args=[meeting.pk])).status_code == 200


def test_meeting_ics__stable_uid_helsinki_time_and_publish(client, body):
    meeting = MeetingFactory(
        body=body,
        starts_at=datetime.datetime(2027, 6, 1, 10, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 6, 1, 12, 0, tzinfo=datetime.UTC),
    )
    first = client.get(reverse("cooperation:meeting_ics", args=[meeting.pk]))
    second = client.get(reverse("cooperation:meeting_ics", args=[meeting.pk]))
    calendar = icalendar.Calendar.from_ical(first.content)
    event = calendar.walk("VEVENT")[0]
    assert first["Content-Type"].startswith("text/calendar")
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == icalendar.Calendar.from_ical(second.content).walk("VEVENT")[0]["UID"]
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("DTSTART").hour == 13
    assert "salainen-linkki" not in first.content.decode()
    assert calendar.walk("VTIMEZONE")


def test_meeting_update__time_changed__ics_sequence_grows(body, coordinator):
    from kotoverkko.cooperation import services

    meeting = MeetingFactory(body=body)
    data = services.MeetingData(
        starts_at=meeting.starts_at + datetime.timedelta(hours=1),
        ends_at=meeting.ends_at + datetime.timedelta(hours=1),
        place=meeting.place,
    )
    services.meeting_update(meeting=meeting, data=data, agenda=[], actor=coordinator)
    assert meeting.ics_sequence == 1


def test_body_calendar__upcoming_meetings_only(client, body):
    MeetingFactory(body=body, title="Tuleva")
    MeetingFactory(
        body=body,
        title="Mennyt",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2),
    )
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("cooperation:body_calendar", args=[body.pk])).content
    )
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Kotoutumisen neuvottelukunta: Tuleva"]


def test_attachment__member_downloads__outsider_404(client, body, coordinator, ngo):
    meeting = MeetingFactory(body=body)
    client.force_login(coordinator)
    client.post(
        reverse("cooperation:attachment_add", args=[meeting.pk]),
        {
            "title": "Esityslista",
            "file": SimpleUploadedFile("lista.pdf", PDF, content_type="application/pdf"),
        },
    )
    attachment = MeetingAttachment.objects.get()
    client.force_login(member(Role.VIEWER, ngo))
    response = client.get(reverse("cooperation:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.logout()
    assert client.get(reverse("cooperation:attachment_download", args=[attachment.pk])).status_code == 404


def test_attachment__executable_disguised_as_pdf__refused(client, body, coordinator):
    meeting = MeetingFactory(body=body)
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:attachment_add", args=[meeting.pk]),
        {
            "title": "x",
            "file": SimpleUploadedFile("lista.pdf", b"MZ\x90\x00binary", content_type="application/pdf"),
        },
        follow=True,
    )
    assert not MeetingAttachment.objects.exists()
    assert str(CooperationErrorCode.FILE_TYPE.label) in response.content.decode()


def test_attachment__too_large__refused(client, body, coordinator, settings):
    settings.COOPERATION_MAX_FILE_BYTES = 10
    meeting = MeetingFactory(body=body)
    client.force_login(coordinator)
    client.post(
        reverse("cooperation:attachment_add", args=[meeting.pk]),
        {"title": "x", "file": SimpleUploadedFile("lista.pdf", PDF)},
    )
    assert not MeetingAttachment.objects.exists()


def test_action_items__status_update_by_owner_org_admin(client, body, ngo):
    item = ActionItemFactory(body=body, owner=ngo)
    admin = member(Role.ORG_ADMIN, ngo)
    client.force_login(admin)
    page = client.get(reverse("cooperation:action_items"))
    assert item.title in page.content.decode()
    client.post(reverse("cooperation:action_item_status", args=[item.pk]), {"status": ActionItemStatus.DONE})
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    event = AuditEvent.objects.get(action="cooperation.action_item_status_changed")
    assert event.object_repr == f"action item #{item.pk}"


def test_action_items__editor_of_owner__cannot_change_status(client, body, ngo):
    item = ActionItemFactory(body=body, owner=ngo)
    client.force_login(member(Role.EDITOR, ngo))
    response = client.post(reverse("cooperation:action_item_status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert response.status_code == 404
    assert item.status == ActionItemStatus.OPEN


def test_member_add__email_of_staff_account__linked_to_account(client, body, coordinator, ngo):
    person = member(Role.EDITOR, ngo, email="henkilo@example.fi", full_name="Hanna Henkilö")
    client.force_login(coordinator)
    client.post(
        reverse("cooperation:member_add", args=[body.pk]),
        {
            "organisation": str(ngo.pk),
            "role": "deputy",
            "person_name": "Hanna",
            "person_email": "HENKILO@example.fi",
        },
    )
    seat = BodyMember.objects.get(role="deputy")
    assert (seat.user, seat.person_name, seat.person_email) == (person, "", "")


def test_member_add__audit_trail_has_no_person_data(client, body, coordinator, ngo):
    client.force_login(coordinator)
    client.post(
        reverse("cooperation:member_add", args=[body.pk]),
        {
            "organisation": str(ngo.pk),
            "role": "member",
            "person_name": "Ulla Ulkopuolinen",
            "person_email": "ulla@example.fi",
        },
    )
    event = AuditEvent.objects.get(action="cooperation.member_added")
    assert "Ulla" not in str(event.changes) + event.object_repr
    assert "ulla@example.fi" not in str(event.changes)


def test_member_export__csv_with_persons_for_manager(client, body, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("cooperation:member_export", args=[body.pk]))
    assert response.status_code == 200
    assert "Salainen Puheenjohtaja" in response.content.decode("utf-8-sig")


def test_member_remove__person_data_gone(client, body, coordinator):
    seat = body.members.get(role=MemberRole.CHAIR)
    client.force_login(coordinator)
    client.post(reverse("cooperation:member_remove", args=[body.pk, seat.pk]))
    assert not BodyMember.objects.filter(person_name="Salainen Puheenjohtaja").exists()


def test_agreement_create__placement_with_places_per_year(client, coordinator, municipality):
    ely = OrganisationFactory(kind="ely_centre", name={"fi": "Uudenmaan ELY-keskus"})
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:agreement_create"),
        {
            "title_fi": "Kuntapaikkasopimus 2026–2028",
            "kind": AgreementKind.PLACEMENT,
            "owner": str(municipality.pk),
            "status": "in_force",
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
            "review_on": "2026-11-30",
            "county_consulted": "on",
            "county_consulted_on": "2025-10-15",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-0-organisation": str(municipality.pk),
            "parties-0-role": "Kunta",
            "parties-1-organisation": str(ely.pk),
            "parties-1-role": "ELY-keskus",
            "quotas-TOTAL_FORMS": "2",
            "quotas-INITIAL_FORMS": "0",
            "quotas-0-year": "2026",
            "quotas-0-places": "30",
            "quotas-1-year": "2027",
            "quotas-1-places": "25",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    assert dict(agreement.quotas.values_list("year", "places")) == {2026: 30, 2027: 25}
    assert agreement.county_consulted_on == datetime.date(2025, 10, 15)
    assert {p.organisation for p in agreement.parties.all()} == {municipality, ely}


def test_agreement_detail__not_public__anonymous_404_party_member_200(client, municipality):
    agreement = AgreementFactory(owner=municipality)
    assert client.get(reverse("cooperation:agreement_detail", args=[agreement.pk])).status_code == 404
    client.force_login(member(Role.VIEWER, municipality))
    assert client.get(reverse("cooperation:agreement_detail", args=[agreement.pk])).status_code == 200


def test_agreement_review__moves_review_date_a_year(client, municipality, coordinator):
    agreement = AgreementFactory(owner=municipality, review_on=datetime.date(2026, 12, 1))
    client.force_login(coordinator)
    client.post(reverse("cooperation:agreement_review", args=[agreement.pk]), {"reviewed_on": "2026-11-20"})
    agreement.refresh_from_db()
    assert (agreement.last_reviewed_on, agreement.review_on) == (
        datetime.date(2026, 11, 20),
        datetime.date(2027, 12, 1),
    )


def test_no_mail_sent_by_views(client, body):
    client.get(reverse("cooperation:body_list"))
    assert mail.outbox == []


def test_agreement_form__add_party_row_with_htmx__fragment_with_another_row(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:agreement_create"),
        {
            "add_party_row": "1",
            "parties-TOTAL_FORMS": "1",
            "parties-INITIAL_FORMS": "0",
            "quotas-TOTAL_FORMS": "0",
            "quotas-INITIAL_FORMS": "0",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'name="parties-1-organisation"' in html
    assert 'id="party-rows"' in html
    assert not Agreement.objects.exists()


def test_agreement_form__same_year_twice__error(client, coordinator, municipality):
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:agreement_create"),
        {
            "title_fi": "Sopimus",
            "kind": "placement",
            "owner": str(municipality.pk),
            "status": "in_force",
            "parties-TOTAL_FORMS": "1",
            "parties-INITIAL_FORMS": "0",
            "parties-0-organisation": str(municipality.pk),
            "quotas-TOTAL_FORMS": "2",
            "quotas-INITIAL_FORMS": "0",
            "quotas-0-year": "2026",
            "quotas-0-places": "5",
            "quotas-1-year": "2026",
            "quotas-1-places": "6",
        },
    )
    assert response.status_code == 200
    assert gettext("Give the places of each year only once.") in response.content.decode()
    assert not Agreement.objects.exists()


def test_action_item_edit__new_due_date__reminders_due_again(client, body, coordinator, ngo):
    item = ActionItemFactory(body=body, owner=ngo)
    ActionItem.objects.filter(pk=item.pk).update(due_reminder_sent_for=item.due_on)
    client.force_login(coordinator)
    client.post(
        reverse("cooperation:action_item_edit", args=[item.pk]),
        {"title": item.title, "owner": str(ngo.pk), "due_on": "2027-06-30", "status": "in_progress"},
    )
    item.refresh_from_db()
    assert (item.due_on, item.status) == (datetime.date(2027, 6, 30), "in_progress")
    assert item.due_reminder_sent_for != item.due_on


def test_body_create__coordinator__owned_by_own_municipality_and_audited(client, coordinator, municipality):
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:body_create"),
        {
            "name_fi": "Työllisyyden työryhmä",
            "kind": "working_group",
            "owner": str(municipality.pk),
            "is_public": "on",
        },
    )
    body = CooperationBody.objects.get()
    assert response.status_code == 302
    assert body.owner == municipality
    assert AuditEvent.objects.get(action="cooperation.body_created").organisation_id == municipality.pk


def test_body_create__owner_outside_own_organisations__refused(client, coordinator):
    elsewhere = OrganisationFactory.municipality("049")
    client.force_login(coordinator)
    response = client.post(
        reverse("cooperation:body_create"),
        {"name_fi": "Ryhmä", "kind": "working_group", "owner": str(elsewhere.pk)},
    )
    assert response.status_code == 200
    assert not CooperationBody.objects.exists()


@pytest.mark.parametrize("route", ["cooperation:body_list", "cooperation:agreement_list"])
def test_public_lists__query_budget_independent_of_rows(
    client, django_assert_max_num_queries, municipality, route
):
    for _index in range(5):
        BodyFactory(owner=municipality)
        AgreementFactory(owner=municipality, is_public=True)
    with django_assert_max_num_queries(8):
        assert client.get(reverse(route)).status_code == 200


def test_action_items__query_budget(client, body, ngo, django_assert_max_num_queries):
    for _index in range(5):
        ActionItemFactory(body=body, owner=ngo)
    client.force_login(member(Role.ORG_ADMIN, ngo))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("cooperation:action_items")).status_code == 200


def test_member_export__formula_in_name__neutralised(client, body, coordinator, ngo):
    MemberFactory(body=body, organisation=ngo, person_name='=HYPERLINK("http://evil")')
    client.force_login(coordinator)
    content = client.get(reverse("cooperation:member_export", args=[body.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content
    assert AuditEvent.objects.filter(action="cooperation.members_exported").exists()

"""The directory's write use-cases: lifecycle, validation, audit, freshness and reminders, plus the
vocabulary and image services of the publishing pages."""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import images, selectors, services, vocabularies, workflow
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing, ListingImage, Theme
from kotoverkko.activities.services import ListingErrorCode, ScheduleData
from kotoverkko.activities.tasks import queue_confirmation_reminders
from kotoverkko.activities.tests.factories import (
    ThemeFactory,
    create_listing,
    listing_data,
    next_weekday,
)
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(ListingStatus)


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def editor(organisation):
    return member(Role.EDITOR, organisation)


@pytest.fixture
def moderator():
    return member(Role.PLATFORM_ADMIN)


def _events(listing: Listing, action: str):
    return AuditEvent.objects.filter(
        object_type="activities.listing", object_id=str(listing.pk), action=action
    )


def _in_status(status: str, **overrides) -> Listing:
    """A complete listing put straight into `status` (the starting point of a transition test)."""
    listing = create_listing(status=ListingStatus.DRAFT, **overrides)
    Listing.objects.filter(pk=listing.pk).update(status=status)
    listing.refresh_from_db()
    return listing


# --- Lifecycle: every service against every starting status, with workflow.py as the oracle ------------


@pytest.mark.parametrize("start", ALL_STATUSES)
@pytest.mark.parametrize(
    ("service", "target", "action", "who"),
    [
        (services.listing_submit, ListingStatus.SUBMITTED, "listing.submitted", "editor"),
        (services.listing_publish, ListingStatus.PUBLISHED, "listing.published", "moderator"),
        (services.listing_archive, ListingStatus.ARCHIVED, "listing.archived", "editor"),
        (services.listing_restore, ListingStatus.DRAFT, "listing.restored", "editor"),
    ],
    ids=["submit", "publish", "archive", "restore"],
)
def test_lifecycle__each_start_status__allowed_exactly_as_workflow_says(
    organisation, editor, moderator, start, service, target, action, who
):
    listing = _in_status(start, organisation=organisation)
    actor = editor if who == "editor" else moderator
    if workflow.can_transition(start, target):
        service(listing=listing, actor=actor)
        listing.refresh_from_db()
        assert listing.status == target
        event = _events(listing, action).get()
        assert event.actor == actor
        assert event.changes == {"status": {"from": start, "to": target}}
        assert event.organisation_id == organisation.pk
    else:
        with pytest.raises(ApplicationError) as caught:
            service(listing=listing, actor=actor)
        assert caught.value.code == ListingErrorCode.ILLEGAL_TRANSITION
        listing.refresh_from_db()
        assert listing.status == start
        assert not _events(listing, action).exists()


@pytest.mark.parametrize("start", ALL_STATUSES)
def test_listing_return__each_start_status__allowed_exactly_as_workflow_says(moderator, start):
    listing = _in_status(start)
    if workflow.can_transition(start, ListingStatus.RETURNED):
        services.listing_return(listing=listing, reason="  Lisää aikataulu.  ", actor=moderator)
        listing.refresh_from_db()
        assert (listing.status, listing.return_reason) == (ListingStatus.RETURNED, "Lisää aikataulu.")
        assert _events(listing, "listing.returned").get().actor == moderator
    else:
        with pytest.raises(ApplicationError) as caught:
            services.listing_return(listing=listing, reason="Syy", actor=moderator)
        assert caught.value.code == ListingErrorCode.ILLEGAL_TRANSITION


def test_listing_return__blank_reason__refused_on_reason_field(moderator):
    listing = _in_status(ListingStatus.SUBMITTED)
    with pytest.raises(ApplicationError) as caught:
        services.listing_return(listing=listing, reason="   ", actor=moderator)
    assert caught.value.code == ListingErrorCode.REASON_REQUIRED
    assert "reason" in caught.value.fields


def test_listing_publish__after_return__clears_reason_and_sets_dates(moderator):
    listing = _in_status(ListingStatus.SUBMITTED)
    Listing.objects.filter(pk=listing.pk).update(return_reason="vanha syy")
    listing.refresh_from_db()
    services.listing_publish(listing=listing, actor=moderator)
    listing.refresh_from_db()
    assert listing.return_reason == ""
    assert listing.published_at is not None
    assert listing.last_confirmed_at == listing.published_at


@pytest.mark.parametrize(
    ("service", "start"),
    [
        (services.listing_submit, ListingStatus.DRAFT),
        (services.listing_archive, ListingStatus.PUBLISHED),
        (services.listing_restore, ListingStatus.ARCHIVED),
        (services.listing_confirm, ListingStatus.PUBLISHED),
        (services.listing_duplicate, ListingStatus.PUBLISHED),
    ],
)
def test_editor_services__editor_of_another_organisation__not_allowed(service, start):
    listing = _in_status(start)
    stranger = member(Role.EDITOR)
    with pytest.raises(ApplicationError) as caught:
        service(listing=listing, actor=stranger)
    assert caught.value.code == ListingErrorCode.NOT_ALLOWED


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ORG_ADMIN, Role.COORDINATOR])
def test_moderator_services__not_platform_admin__not_allowed(organisation, role):
    actor = member(role, organisation)
    listing = _in_status(ListingStatus.SUBMITTED, organisation=organisation)
    with pytest.raises(ApplicationError):
        services.listing_publish(listing=listing, actor=actor)
    with pytest.raises(ApplicationError):
        services.listing_return(listing=listing, reason="Syy", actor=actor)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_listing_archive__moderator__allowed_for_any_organisation(moderator):
    listing = create_listing()
    services.listing_archive(listing=listing, actor=moderator)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.ARCHIVED


def test_listing_update__unit_editor__may_edit_only_the_unit_not_the_parent(organisation):
    unit = OrganisationFactory(parent=organisation)
    unit_editor = member(Role.EDITOR, unit)
    parent_listing = create_listing(organisation=organisation)
    with pytest.raises(ApplicationError):
        services.listing_update(
            listing=parent_listing, data=listing_data(organisation=organisation), actor=unit_editor
        )
    parent_editor = member(Role.EDITOR, organisation)
    unit_listing = create_listing(organisation=unit)
    services.listing_update(
        listing=unit_listing, data=listing_data(organisation=unit, title={"fi": "Uusi"}), actor=parent_editor
    )
    assert Listing.objects.get(pk=unit_listing.pk).title == {"fi": "Uusi"}


# --- Creating and changing: validation and audit ---------------------------------------------------


def test_listing_create__valid__draft_with_derived_fields_and_audit(organisation, editor):
    listing = services.listing_create(data=listing_data(organisation=organisation), actor=editor)
    assert listing.status == ListingStatus.DRAFT
    assert listing.sort_title == "suomen kielen kerho"
    assert listing.next_occurrence_at is not None
    assert listing.occurrences.exists()
    event = _events(listing, "listing.created").get()
    assert event.actor == editor
    assert {"title", "schedules", "languages"} <= set(event.changes)


def test_listing_create__organisation_not_users__not_allowed(editor):
    with pytest.raises(ApplicationError) as caught:
        services.listing_create(data=listing_data(), actor=editor)
    assert caught.value.code == ListingErrorCode.NOT_ALLOWED
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": {}}, ListingErrorCode.TITLE_REQUIRED, "title"),
        ({"title": {"fi": "   "}}, ListingErrorCode.TITLE_REQUIRED, "title"),
        ({"title": {"arabic": "x"}}, ListingErrorCode.INVALID_LANGUAGE_CODE, "title"),
        ({"min_age": 30, "max_age": 18}, ListingErrorCode.AGE_RANGE, "min_age"),
        ({"registration": "phone"}, ListingErrorCode.REGISTRATION_INFO_REQUIRED, "registration_info"),
        ({"is_online": True}, ListingErrorCode.ONLINE_URL_REQUIRED, "online_url"),
    ],
)
def test_listing_create__invalid__error_names_the_field_and_nothing_saved(
    organisation, overrides, code, field
):
    with pytest.raises(ApplicationError) as caught:
        services.listing_create(data=listing_data(organisation=organisation, **overrides), actor=None)
    assert caught.value.code == code
    assert field in caught.value.fields
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    "schedule",
    [
        ScheduleData(starts_at=next_weekday(1, hour=19), ends_at=next_weekday(1, hour=17)),
        ScheduleData(starts_at=next_weekday(1), ends_at=next_weekday(1, hour=19), rrule="FREQ=SOMETIMES"),
        ScheduleData(starts_at=next_weekday(1), ends_at=next_weekday(1, hour=19), exdates=["24.12.2027"]),
    ],
    ids=["end-before-start", "bad-rule", "bad-date"],
)
def test_listing_create__invalid_schedule__error_on_schedules(organisation, schedule):
    with pytest.raises(ApplicationError) as caught:
        services.listing_create(
            data=listing_data(organisation=organisation, schedules=[schedule]), actor=None
        )
    assert caught.value.code == ListingErrorCode.INVALID_SCHEDULE
    assert "schedules" in caught.value.fields
    assert not Listing.objects.exists()


def test_listing_create__naive_times__read_as_helsinki_wall_clock(organisation):
    start = datetime.datetime(2099, 7, 7, 17, 0)  # noqa: DTZ001 (the service's documented input)
    schedule = ScheduleData(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    listing = services.listing_create(
        data=listing_data(organisation=organisation, schedules=[schedule]), actor=None
    )
    saved = listing.schedules.get()
    assert saved.starts_at == datetime.datetime(2099, 7, 7, 14, 0, tzinfo=datetime.UTC)  # summer time, UTC+3


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"summary": {}}, ListingErrorCode.SUMMARY_REQUIRED, "summary"),
        ({"criteria_confirmed": False}, ListingErrorCode.CRITERIA_NOT_CONFIRMED, "criteria_confirmed"),
        ({"schedules": []}, ListingErrorCode.SCHEDULE_REQUIRED, "schedules"),
        ({"municipality": None}, ListingErrorCode.PLACE_REQUIRED, "municipality"),
    ],
)
def test_listing_submit__incomplete__refused_with_field(organisation, editor, overrides, code, field):
    listing = services.listing_create(data=listing_data(organisation=organisation, **overrides), actor=editor)
    with pytest.raises(ApplicationError) as caught:
        services.listing_submit(listing=listing, actor=editor)
    assert caught.value.code == code
    assert field in caught.value.fields
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.DRAFT


def test_listing_submit__online_without_municipality__allowed(organisation, editor):
    data = listing_data(
        organisation=organisation, municipality=None, is_online=True, online_url="https://meet.example"
    )
    listing = services.listing_create(data=data, actor=editor)
    services.listing_submit(listing=listing, actor=editor)
    assert listing.status == ListingStatus.SUBMITTED


def test_listing_update__changes__audited_field_by_field(organisation, editor):
    listing = create_listing(organisation=organisation)
    data = services.listing_data_from(listing)
    data.has_childcare = True
    data.schedules[0].rrule = "FREQ=WEEKLY;BYDAY=TU,TH"
    services.listing_update(listing=listing, data=data, actor=editor)
    event = _events(listing, "listing.updated").get()
    assert set(event.changes) == {"has_childcare", "schedules"}
    assert event.changes["has_childcare"] == {"from": False, "to": True}


def test_listing_update__no_changes__no_event(organisation, editor):
    listing = create_listing(organisation=organisation)
    services.listing_update(listing=listing, data=services.listing_data_from(listing), actor=editor)
    assert not _events(listing, "listing.updated").exists()


def test_listing_update__published__stays_published(organisation, editor):
    listing = create_listing(organisation=organisation)
    data = services.listing_data_from(listing)
    data.title = {"fi": "Uusi nimi"}
    services.listing_update(listing=listing, data=data, actor=editor)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.PUBLISHED


def test_listing_update__uncheck_criteria__confirmation_cleared(organisation, editor):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    data = services.listing_data_from(listing)
    data.criteria_confirmed = False
    services.listing_update(listing=listing, data=data, actor=editor)
    assert Listing.objects.get(pk=listing.pk).criteria_confirmed_at is None


# --- Duplicate -------------------------------------------------------------------------------------


def test_listing_duplicate__published__new_draft_with_same_content(organisation, editor):
    theme = ThemeFactory()
    listing = create_listing(organisation=organisation, themes=[theme])
    copy = services.listing_duplicate(listing=listing, actor=editor)
    assert copy.pk != listing.pk
    assert copy.status == ListingStatus.DRAFT
    assert copy.criteria_confirmed_at is None  # the publisher confirms the criteria again
    assert copy.title == listing.title
    assert list(copy.themes.all()) == [theme]
    assert [s.rrule for s in copy.schedules.all()] == [s.rrule for s in listing.schedules.all()]
    assert _events(copy, "listing.duplicated").get().changes == {"source": {"from": None, "to": listing.pk}}
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.PUBLISHED


# --- Freshness: confirming, hiding, the signed link ----------------------------------------------------


def _age(listing: Listing, days: int) -> Listing:
    Listing.objects.filter(pk=listing.pk).update(
        last_confirmed_at=timezone.now() - datetime.timedelta(days=days)
    )
    listing.refresh_from_db()
    return listing


def test_listings_public__older_than_hide_days__hidden_until_confirmed(editor, organisation):
    listing = create_listing(organisation=organisation)
    _age(listing, settings.LISTING_HIDE_DAYS - 1)
    assert selectors.listings_public().filter(pk=listing.pk).exists()
    _age(listing, settings.LISTING_HIDE_DAYS + 1)
    assert not selectors.listings_public().filter(pk=listing.pk).exists()
    services.listing_confirm(listing=listing, actor=editor)
    assert selectors.listings_public().filter(pk=listing.pk).exists()
    assert _events(listing, "listing.confirmed").get().actor == editor


def test_listing_confirm__clears_reminder_mark(editor, organisation):
    listing = create_listing(organisation=organisation)
    Listing.objects.filter(pk=listing.pk).update(reminder_sent_at=timezone.now())
    listing.refresh_from_db()
    services.listing_confirm(listing=listing, actor=editor)
    assert Listing.objects.get(pk=listing.pk).reminder_sent_at is None


def test_confirm_token__used_twice__confirms_only_once():
    listing = _age(create_listing(), 100)
    token = services.confirm_token(listing)
    services.listing_confirm_by_token(token=token)
    first = Listing.objects.get(pk=listing.pk).last_confirmed_at
    assert first > listing.last_confirmed_at
    services.listing_confirm_by_token(token=token)
    assert Listing.objects.get(pk=listing.pk).last_confirmed_at == first
    assert _events(listing, "listing.confirmed").count() == 1


def test_confirm_token__older_than_hide_days__refused(monkeypatch):
    listing = _age(create_listing(), 100)
    issued = time.time() - (settings.LISTING_HIDE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = services.confirm_token(listing)
    monkeypatch.undo()
    with pytest.raises(ApplicationError) as caught:
        services.listing_confirm_by_token(token=token)
    assert caught.value.code == ListingErrorCode.CONFIRM_LINK_INVALID
    assert Listing.objects.get(pk=listing.pk).last_confirmed_at == listing.last_confirmed_at


@pytest.mark.parametrize("token", ["", "garbage", "eyJsaXN0aW5nIjoxfQ:1abc:bad"])
def test_confirm_token__tampered__refused(token):
    with pytest.raises(ApplicationError) as caught:
        services.listing_confirm_by_token(token=token)
    assert caught.value.code == ListingErrorCode.CONFIRM_LINK_INVALID


def test_confirm_token__deleted_or_archived_listing__refused():
    listing = create_listing()
    token = services.confirm_token(listing)
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.ARCHIVED)
    with pytest.raises(ApplicationError):
        services.listing_confirm_by_token(token=token)


# --- Reminders ---------------------------------------------------------------------------------------


def _confirm_path(body: str) -> str:
    match = re.search(r"https?://[^\s]+(/activities/confirm/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_queue_confirmation_reminders__stale_listing__one_email_to_editors_with_working_link(
    client, organisation, django_capture_on_commit_callbacks, mailoutbox
):
    editor = member(Role.EDITOR, organisation, email="editori@example.fi")
    admin = member(Role.ORG_ADMIN, organisation, email="admin@example.fi")
    member(Role.VIEWER, organisation, email="katsoja@example.fi")
    member(Role.COUNSELLOR, organisation, email="ohjaaja@example.fi")
    member(Role.EDITOR, email="vieras@example.fi")  # another organisation
    stale = _age(create_listing(organisation=organisation), settings.LISTING_REMINDER_DAYS + 1)
    _age(create_listing(organisation=organisation), settings.LISTING_REMINDER_DAYS - 1)  # not yet due
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_confirmation_reminders() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted([editor.email, admin.email])
    assert "Suomen kielen kerho" in message.subject
    response = client.get(_confirm_path(message.body))
    assert response.status_code == 200
    stale.refresh_from_db()
    assert stale.last_confirmed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert reverse("activities:edit", args=[stale.pk]) in message.body


def test_queue_confirmation_reminders__run_twice__sends_once(
    organisation, django_capture_on_commit_callbacks, mailoutbox
):
    member(Role.EDITOR, organisation)
    _age(create_listing(organisation=organisation), settings.LISTING_REMINDER_DAYS + 5)
    with django_capture_on_commit_callbacks(execute=True):
        queue_confirmation_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_confirmation_reminders() == 0
    assert len(mailoutbox) == 1


def test_queue_confirmation_reminders__editor_of_parent__reminded(
    organisation, django_capture_on_commit_callbacks, mailoutbox
):
    unit = OrganisationFactory(parent=organisation)
    parent_editor = member(Role.EDITOR, organisation)
    _age(create_listing(organisation=unit), settings.LISTING_REMINDER_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        queue_confirmation_reminders()
    assert mailoutbox[0].to == [parent_editor.email]


def test_queue_confirmation_reminders__draft_or_archived__not_reminded(
    organisation, django_capture_on_commit_callbacks, mailoutbox
):
    member(Role.EDITOR, organisation)
    _age(create_listing(organisation=organisation, status=ListingStatus.DRAFT), 200)
    _age(create_listing(organisation=organisation, status=ListingStatus.ARCHIVED), 200)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_confirmation_reminders() == 0
    assert mailoutbox == []


def test_queue_confirmation_reminders__after_confirm__reminded_again_next_time(
    organisation, editor, django_capture_on_commit_callbacks, mailoutbox
):
    listing = _age(create_listing(organisation=organisation), settings.LISTING_REMINDER_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        queue_confirmation_reminders()
    services.listing_confirm(listing=listing, actor=editor)
    _age(listing, settings.LISTING_REMINDER_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_confirmation_reminders() == 1
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_queue_confirmation_reminders__called_outside_a_transaction__works(reference_data):
    """A scheduler or a shell may call it directly, not only the maintenance command (which wraps it
    in a transaction). FAILS on PostgreSQL: select_for_update() outside a transaction raises
    TransactionManagementError (tasks.py owns the fix: make the function atomic)."""
    _age(create_listing(), settings.LISTING_REMINDER_DAYS + 1)
    assert queue_confirmation_reminders() == 1


def test_directory_maintenance__reminds_and_rolls_occurrences_forward(
    organisation, django_capture_on_commit_callbacks, mailoutbox
):
    member(Role.EDITOR, organisation)
    stale = _age(create_listing(organisation=organisation), settings.LISTING_REMINDER_DAYS + 1)
    rolled = create_listing(organisation=organisation, title={"fi": "Rullattava"})
    past = timezone.now() - datetime.timedelta(days=3)
    Listing.objects.filter(pk=rolled.pk).update(next_occurrence_at=past)
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("directory_maintenance", stdout=output)
    assert "Reminders queued: 1." in output.getvalue()
    assert len(mailoutbox) == 1
    assert Listing.objects.get(pk=stale.pk).reminder_sent_at is not None
    assert Listing.objects.get(pk=rolled.pk).next_occurrence_at > timezone.now()


# --- Reports ---------------------------------------------------------------------------------------------


def test_report_handle__editor_of_listing__handled_and_audited(organisation, editor):
    listing = create_listing(organisation=organisation)
    report = services.report_create(listing=listing, reason="outdated", message="  Loppunut  ")
    assert report.message == "Loppunut"
    services.report_handle(report=report, actor=editor)
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("handled", editor)
    assert _events(listing, "listing.report_handled").exists()


def test_report_handle__stranger__not_allowed():
    report = services.report_create(listing=create_listing(), reason="wrong", message="")
    with pytest.raises(ApplicationError):
        services.report_handle(report=report, actor=member(Role.EDITOR))


# --- Vocabularies --------------------------------------------------------------------------------------


def _vocabulary_data(**overrides) -> vocabularies.VocabularyData:
    values = {"slug": "liikunta", "label_fi": "Liikunta", "label_sv": "Motion", "label_en": "Sport"}
    values.update(overrides)
    return vocabularies.VocabularyData(**values)


def test_vocabulary_save__new_theme__created_and_audited(moderator):
    theme = vocabularies.vocabulary_save(
        instance=Theme(), data=_vocabulary_data(slug=" Liikunta "), actor=moderator
    )
    assert theme.slug == "liikunta"
    event = AuditEvent.objects.get(action="theme.created")
    assert (event.actor, event.object_id) == (moderator, str(theme.pk))


def test_vocabulary_save__change__only_changed_fields_audited(moderator):
    theme = ThemeFactory(slug="liikunta", label_fi="Liikunta", label_sv="Motion", label_en="Sport")
    vocabularies.vocabulary_save(instance=theme, data=_vocabulary_data(is_active=False), actor=moderator)
    event = AuditEvent.objects.get(action="theme.updated")
    assert event.changes == {"is_active": {"from": True, "to": False}}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ORG_ADMIN, Role.COORDINATOR])
def test_vocabulary_save__not_platform_admin__not_allowed(role):
    with pytest.raises(ApplicationError):
        vocabularies.vocabulary_save(instance=Theme(), data=_vocabulary_data(), actor=member(role))
    assert not Theme.objects.exists()


def test_vocabulary_save__duplicate_slug__error_on_slug(moderator):
    ThemeFactory(slug="liikunta")
    with pytest.raises(ApplicationError) as caught:
        vocabularies.vocabulary_save(instance=Theme(), data=_vocabulary_data(), actor=moderator)
    assert "slug" in caught.value.fields


# --- Images --------------------------------------------------------------------------------------------


def _upload(kind: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), "teal").save(buffer, kind)
    return SimpleUploadedFile(f"kuva.{kind.lower()}", buffer.getvalue())


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_listing_images_change__allowed_formats__stored_and_audited(organisation, editor, kind):
    listing = create_listing(organisation=organisation)
    data = images.ImageData(file=_upload(kind), alt_text={"ar": "صورة"}, licence="CC BY 4.0")
    images.listing_images_change(listing=listing, changes=images.ImageChanges(add=data), actor=editor)
    image = ListingImage.objects.get()
    assert image.alt_text == {"ar": "صورة"}
    assert _events(listing, "listing.image_added").get().actor == editor


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"alt_text": {}}, images.ImageErrorCode.ALT_TEXT_REQUIRED),
        ({"alt_text": {"fi": "  "}}, images.ImageErrorCode.ALT_TEXT_REQUIRED),
        ({"licence": " "}, images.ImageErrorCode.LICENCE_REQUIRED),
        ({"file": SimpleUploadedFile("x.png", b"GIF89a nonsense")}, images.ImageErrorCode.WRONG_TYPE),
        ({"file": _upload("GIF")}, images.ImageErrorCode.WRONG_TYPE),
    ],
)
def test_listing_images_change__invalid__refused_and_nothing_stored(organisation, editor, data, code):
    listing = create_listing(organisation=organisation)
    values = {"file": _upload(), "alt_text": {"fi": "Kuva"}, "licence": "CC0"} | data
    with pytest.raises(ApplicationError) as caught:
        images.listing_images_change(
            listing=listing, changes=images.ImageChanges(add=images.ImageData(**values)), actor=editor
        )
    assert caught.value.code == code
    assert not ListingImage.objects.exists()


def test_listing_images_change__stranger__not_allowed(organisation):
    listing = create_listing(organisation=organisation)
    data = images.ImageData(file=_upload(), alt_text={"fi": "Kuva"}, licence="CC0")
    with pytest.raises(ApplicationError):
        images.listing_images_change(
            listing=listing, changes=images.ImageChanges(add=data), actor=member(Role.EDITOR)
        )


def test_listing_images_change__remove_other_listings_image__ignored(organisation, editor):
    other_org = OrganisationFactory()
    other_editor = MembershipFactory(organisation=other_org, role=Role.EDITOR).user
    other = create_listing(organisation=other_org)
    data = images.ImageData(file=_upload(), alt_text={"fi": "Kuva"}, licence="CC0")
    images.listing_images_change(listing=other, changes=images.ImageChanges(add=data), actor=other_editor)
    mine = create_listing(organisation=organisation)
    image = ListingImage.objects.get()
    images.listing_images_change(listing=mine, changes=images.ImageChanges(remove=[image.pk]), actor=editor)
    assert ListingImage.objects.filter(pk=image.pk).exists()

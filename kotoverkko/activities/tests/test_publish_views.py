"""Publishing pages: the editor's listings, the form with schedules and images, preview and the
lifecycle buttons, history, the e-mailed link, moderation, vocabularies and statistics."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import images, recurrence, services
from kotoverkko.activities.enums import ListingStatus, ReportStatus
from kotoverkko.activities.forms import LISTING_CRITERIA
from kotoverkko.activities.models import (
    HandoutCount,
    Listing,
    ListingImage,
    Report,
    TargetGroup,
    Theme,
    UnmetSearch,
)
from kotoverkko.activities.tests.factories import (
    TargetGroupFactory,
    ThemeFactory,
    create_listing,
    next_weekday,
)
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Language

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def _in(language: str, text: object) -> str:
    with translation.override(language):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


@pytest.fixture
def organisation():
    return OrganisationFactory(name={"fi": "Monikulttuurinen yhdistys ry"})


@pytest.fixture
def editor(organisation):
    return member(Role.EDITOR, organisation, full_name="Eeva Editori")


@pytest.fixture
def moderator():
    return member(Role.PLATFORM_ADMIN, full_name="Mona Moderaattori")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def _png(size: tuple[int, int] = (4, 3), kind: str = "PNG", name: str = "kuva.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def _form(organisation, **overrides) -> dict:
    """Valid POST data for a weekly Tuesday 17-19 Finnish club in Kirkkonummi."""
    first = next_weekday(1).date()
    data = {
        "section": "activity",
        "organisation": str(organisation.pk),
        "title_fi": "Suomen kielen kerho",
        "title_other_0_lang": "ar",
        "title_other_0_text": "نادي اللغة الفنلندية",
        "summary_fi": "Harjoittelemme suomea rennosti.",
        "summary_other_0_lang": "",
        "summary_other_0_text": "",
        "place_name_fi": "Kirkkonummen pääkirjasto",
        "street_address": "Asematie 7",
        "postal_code": "02400",
        "municipality": "257",
        "languages": ["fi", "ar"],
        "is_free": "on",
        "registration": "drop_in",
        "criteria_confirmed": "on",
        "schedule-0-start_date": first.isoformat(),
        "schedule-0-start_time": "17:00",
        "schedule-0-end_time": "19:00",
        "schedule-0-repeat": "weekly",
        "schedule-0-weekdays": ["TU"],
        "schedule-1-start_date": "",
        "schedule-1-repeat": "weekly",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _weekly_description(listing: Listing) -> str:
    schedule = listing.schedules.get()
    return recurrence.describe(
        rrule=schedule.rrule, starts_at=schedule.starts_at, ends_at=schedule.ends_at, language="fi"
    )


# --- My listings -------------------------------------------------------------------------------


def test_mine__editor__lists_own_organisations_listings_only(editor_client, organisation):
    create_listing(organisation=organisation, title={"fi": "Oma kerho"})
    create_listing(title={"fi": "Vieras kerho"})
    html = editor_client.get(reverse("activities:mine")).content.decode()
    assert "Oma kerho" in html
    assert "Vieras kerho" not in html
    assert reverse("activities:confirm_now", args=[Listing.objects.get(title__fi="Oma kerho").pk]) in html


def test_mine__unit_of_organisation__listed_for_parent_editor(editor_client, organisation):
    unit = OrganisationFactory(parent=organisation, name={"fi": "Nuorisoyksikkö"})
    create_listing(organisation=unit, title={"fi": "Yksikön kerho"})
    assert "Yksikön kerho" in editor_client.get(reverse("activities:mine")).content.decode()


def test_mine__returned_listing__shows_moderators_reason(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.RETURNED)
    Listing.objects.filter(pk=listing.pk).update(return_reason="Lisää tiivistelmä ruotsiksi.")
    html = editor_client.get(reverse("activities:mine")).content.decode()
    assert "Lisää tiivistelmä ruotsiksi." in html


def test_mine__filter_by_status__shows_that_status_only(editor_client, organisation):
    create_listing(organisation=organisation, title={"fi": "Luonnoskerho"}, status=ListingStatus.DRAFT)
    create_listing(organisation=organisation, title={"fi": "Julkinen kerho"})
    html = editor_client.get(reverse("activities:mine"), {"status": "draft"}).content.decode()
    assert "Luonnoskerho" in html
    assert "Julkinen kerho" not in html


def test_mine__no_listings__empty_state_links_to_create(editor_client):
    html = editor_client.get(reverse("activities:mine")).content.decode()
    assert _in("fi", "Your organisations have no listings yet.") in html
    assert reverse("activities:create") in html


def test_mine__stale_listing__marked_hidden(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    Listing.objects.filter(pk=listing.pk).update(
        last_confirmed_at=timezone.now() - datetime.timedelta(days=200)
    )
    assert (
        _in("fi", "Hidden until confirmed") in editor_client.get(reverse("activities:mine")).content.decode()
    )


def test_mine__many_listings__bounded_queries(editor_client, organisation, django_assert_max_num_queries):
    for number in range(12):
        create_listing(organisation=organisation, title={"fi": f"Kerho {number}"})
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("activities:mine"))
    assert response.status_code == 200


def test_mine__htmx__returns_results_fragment(editor_client, organisation):
    create_listing(organisation=organisation, title={"fi": "Fragmenttikerho"})
    html = editor_client.get(reverse("activities:mine"), HTTP_HX_REQUEST="true").content.decode()
    assert "Fragmenttikerho" in html
    assert "<html" not in html


# --- Creating and editing ------------------------------------------------------------------------


def test_create__get__lists_criteria_and_marks_title_required(editor_client):
    html = editor_client.get(reverse("activities:create")).content.decode()
    for criterion in LISTING_CRITERIA:
        assert _in("fi", str(criterion)) in html
    assert 'enctype="multipart/form-data"' in html
    assert "<legend>" in html


def test_create__valid__saves_draft_with_weekly_rule_and_languages(editor_client, organisation, editor):
    response = editor_client.post(reverse("activities:create"), _form(organisation))
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:preview", args=[listing.pk])
    assert listing.status == ListingStatus.DRAFT
    assert listing.title == {"fi": "Suomen kielen kerho", "ar": "نادي اللغة الفنلندية"}
    assert listing.criteria_confirmed_at is not None
    assert sorted(listing.languages.values_list("code", flat=True)) == ["ar", "fi"]
    schedule = listing.schedules.get()
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=TU"
    local = schedule.starts_at.astimezone(HELSINKI)
    assert (local.hour, local.minute, local.weekday()) == (17, 0, 1)
    assert schedule.ends_at.astimezone(HELSINKI).hour == 19
    assert AuditEvent.objects.filter(action="listing.created", actor=editor).exists()


@pytest.mark.parametrize(
    ("fields", "rrule"),
    [
        (
            {"schedule-0-repeat": "biweekly", "schedule-0-weekdays": ["TU", "TH"]},
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        ),
        ({"schedule-0-repeat": "monthly", "schedule-0-monthly_position": "2"}, "FREQ=MONTHLY;BYDAY=2TU"),
        ({"schedule-0-repeat": "monthly", "schedule-0-monthly_position": "-1"}, "FREQ=MONTHLY;BYDAY=-1TU"),
        (
            {"schedule-0-repeat": "custom", "schedule-0-custom_rule": "freq=daily;count=3"},
            "FREQ=DAILY;COUNT=3",
        ),
        ({"schedule-0-repeat": "none"}, ""),
        ({"schedule-0-until": "2099-05-31"}, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20990531"),
    ],
)
def test_create__repeat_choices__build_rrule(editor_client, organisation, fields, rrule):
    response = editor_client.post(reverse("activities:create"), _form(organisation, **fields))
    assert response.status_code == 302
    assert Listing.objects.get().schedules.get().rrule == rrule


def test_create__cancelled_and_extra_dates__stored_as_iso_dates(editor_client, organisation):
    data = _form(
        organisation, **{"schedule-0-exdates": "24.12.2099\n2099-12-31", "schedule-0-rdates": "3.1.2100"}
    )
    editor_client.post(reverse("activities:create"), data)
    schedule = Listing.objects.get().schedules.get()
    assert schedule.exdates == ["2099-12-24", "2099-12-31"]
    assert schedule.rdates == ["2100-01-03"]


def test_create__two_schedules__both_saved(editor_client, organisation):
    saturday = next_weekday(5).date().isoformat()
    data = _form(
        organisation,
        **{
            "schedule-1-start_date": saturday,
            "schedule-1-start_time": "10:00",
            "schedule-1-end_time": "12:00",
            "schedule-1-repeat": "weekly",
        },
    )
    editor_client.post(reverse("activities:create"), data)
    assert Listing.objects.get().schedules.count() == 2


def test_create__no_title__error_summary_and_nothing_saved(editor_client, organisation):
    response = editor_client.post(
        reverse("activities:create"),
        _form(organisation, title_fi="", title_other_0_lang="", title_other_0_text=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert _in("fi", "Give the title in at least one language.") in html
    assert Listing.objects.count() == 0


def test_create__bad_custom_rule__error_on_field_and_nothing_saved(editor_client, organisation):
    data = _form(organisation, **{"schedule-0-repeat": "custom", "schedule-0-custom_rule": "FREQ=HOURLY"})
    response = editor_client.post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert response.context["editor"].schedule_forms[0].errors["custom_rule"]
    assert 'href="#id_schedule-0-custom_rule"' in response.content.decode()
    assert Listing.objects.count() == 0


def test_create__end_before_start__error_on_end_time(editor_client, organisation):
    response = editor_client.post(
        reverse("activities:create"), _form(organisation, **{"schedule-0-end_time": "16:00"})
    )
    assert "end_time" in response.context["editor"].schedule_forms[0].errors
    assert Listing.objects.count() == 0


def test_create__bad_cancelled_date__error_on_field(editor_client, organisation):
    response = editor_client.post(
        reverse("activities:create"), _form(organisation, **{"schedule-0-exdates": "jouluaatto"})
    )
    assert "exdates" in response.context["editor"].schedule_forms[0].errors
    assert Listing.objects.count() == 0


def test_create__service_refuses__error_on_field_and_nothing_saved(editor_client, organisation):
    # Registration needs its details: the service says so, on the field.
    response = editor_client.post(reverse("activities:create"), _form(organisation, registration="link"))
    form = response.context["form"]
    assert form.errors["registration_info"] == [
        str(services.ListingErrorCode.REGISTRATION_INFO_REQUIRED.label)
    ]
    assert Listing.objects.count() == 0


def test_create__other_organisation__refused(editor_client, organisation):
    stranger = OrganisationFactory()
    response = editor_client.post(reverse("activities:create"), _form(stranger))
    assert "organisation" in response.context["form"].errors
    assert Listing.objects.count() == 0


def test_create__themes_and_target_groups__saved_active_terms_only_offered(editor_client, organisation):
    theme = ThemeFactory(label_en="Language learning")
    retired = ThemeFactory(label_en="Retired theme", is_active=False)
    group = TargetGroupFactory()
    html = editor_client.get(reverse("activities:create")).content.decode()
    assert "Language learning" in html or theme.label in html
    assert retired.label not in html
    editor_client.post(
        reverse("activities:create"),
        _form(organisation, themes=[str(theme.pk)], target_groups=[str(group.pk)]),
    )
    listing = Listing.objects.get()
    assert list(listing.themes.all()) == [theme]
    assert list(listing.target_groups.all()) == [group]


def test_create__with_image__stored_with_alt_text_and_licence(editor_client, organisation):
    data = _form(
        organisation, image=_png(), image_alt_text_fi="Ihmisiä pöydän ääressä", image_licence="CC BY 4.0"
    )
    response = editor_client.post(reverse("activities:create"), data)
    assert response.status_code == 302
    image = ListingImage.objects.get()
    assert image.alt_text == {"fi": "Ihmisiä pöydän ääressä"}
    assert image.licence == "CC BY 4.0"
    assert image.image.storage.exists(image.image.name)


def test_create__image_without_alt_text_or_licence__errors_and_nothing_saved(editor_client, organisation):
    response = editor_client.post(reverse("activities:create"), _form(organisation, image=_png()))
    errors = response.context["form"].errors
    assert "image_alt_text_fi" in errors
    assert "image_licence" in errors
    assert Listing.objects.count() == 0
    assert ListingImage.objects.count() == 0


def test_create__not_an_image__refused(editor_client, organisation):
    fake = SimpleUploadedFile("kuva.png", b"not really a picture", content_type="image/png")
    data = _form(organisation, image=fake, image_alt_text_fi="Kuva", image_licence="CC0")
    response = editor_client.post(reverse("activities:create"), data)
    assert "image" in response.context["form"].errors
    assert Listing.objects.count() == 0


def test_create__gif_image__refused_as_wrong_type(editor_client, organisation):
    data = _form(
        organisation, image=_png(kind="GIF", name="kuva.gif"), image_alt_text_fi="Kuva", image_licence="CC0"
    )
    response = editor_client.post(reverse("activities:create"), data)
    assert response.context["form"].errors["image"] == [str(images.ImageErrorCode.WRONG_TYPE.label)]


def test_create__image_too_large__refused(editor_client, organisation, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 10)
    data = _form(organisation, image=_png(), image_alt_text_fi="Kuva", image_licence="CC0")
    response = editor_client.post(reverse("activities:create"), data)
    assert response.context["form"].errors["image"] == [str(images.ImageErrorCode.TOO_LARGE.label)]
    assert Listing.objects.count() == 0


def test_edit__get__shows_saved_values_schedule_description_and_language_coverage(
    editor_client, organisation
):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    response = editor_client.get(reverse("activities:edit", args=[listing.pk]))
    html = response.content.decode()
    assert "Suomen kielen kerho" in html
    assert "نادي اللغة الفنلندية" in html
    assert _weekly_description(listing) in html
    coverage = {row.code: row for row in response.context["coverage"]}
    assert set(coverage) == {"fi", "ar", "en"}
    assert str(_in("fi", "Summary")) in coverage["en"].filled
    block = response.context["editor"].schedule_forms[0]
    assert block.initial["repeat"] == "weekly"
    assert block.initial["weekdays"] == ["TU"]
    assert len(response.context["editor"].schedule_forms) == 2  # the saved one and an empty one


def test_edit__post__updates_and_records_changed_fields(editor_client, organisation, editor):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    response = editor_client.post(
        reverse("activities:edit", args=[listing.pk]),
        _form(organisation, title_fi="Uusi nimi", has_childcare="on"),
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title["fi"] == "Uusi nimi"
    assert listing.has_childcare
    event = AuditEvent.objects.filter(action="listing.updated").get()
    assert event.actor == editor
    assert {"title", "has_childcare"} <= set(event.changes)


def test_edit__remove_schedule__deleted(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    data = _form(organisation, **{"schedule-0-remove": "on"})
    editor_client.post(reverse("activities:edit", args=[listing.pk]), data)
    assert listing.schedules.count() == 0


def test_edit__custom_rule_saved__shown_as_custom(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    listing.schedules.update(rrule="FREQ=MONTHLY;BYMONTHDAY=15")
    response = editor_client.get(reverse("activities:edit", args=[listing.pk]))
    block = response.context["editor"].schedule_forms[0]
    assert block.initial["repeat"] == "custom"
    assert block.initial["custom_rule"] == "FREQ=MONTHLY;BYMONTHDAY=15"


def test_edit__remove_image__deleted(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    editor_client.post(
        reverse("activities:edit", args=[listing.pk]),
        _form(organisation, image=_png(), image_alt_text_fi="Kuva", image_licence="CC0"),
    )
    image = ListingImage.objects.get()
    editor_client.post(
        reverse("activities:edit", args=[listing.pk]), _form(organisation, remove_images=[image.pk])
    )
    assert ListingImage.objects.count() == 0
    assert AuditEvent.objects.filter(action="listing.image_removed").exists()


def test_edit__other_organisations_listing__404(editor_client):
    listing = create_listing()
    assert editor_client.get(reverse("activities:edit", args=[listing.pk])).status_code == 404


def test_edit__published_listing__stays_published(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    editor_client.post(
        reverse("activities:edit", args=[listing.pk]), _form(organisation, title_fi="Korjattu")
    )
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


# --- Preview, lifecycle, history -----------------------------------------------------------------


def test_preview__draft__shows_listing_and_lifecycle_buttons(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    html = editor_client.get(reverse("activities:preview", args=[listing.pk])).content.decode()
    assert "Suomen kielen kerho" in html
    assert _weekly_description(listing) in html
    for route in ("submit", "duplicate", "archive", "edit"):
        assert reverse(f"activities:{route}", args=[listing.pk]) in html
    assert reverse("activities:restore", args=[listing.pk]) not in html


def test_preview__arabic__title_rtl_and_summary_marked_as_fallback(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    response = editor_client.get(reverse("activities:preview", args=[listing.pk]), {"lang": "ar"})
    html = response.content.decode()
    assert 'lang="ar" dir="rtl">نادي اللغة الفنلندية</h1>' in html
    assert response.context["texts"]["summary"]["fallback"]
    # The summary is written in Finnish only, so the preview says so in the page's language (Finnish).
    with translation.override("fi"):
        note = translation.gettext("Not available in %(wanted)s; shown in %(shown)s.") % {
            "wanted": escape(Language.objects.get(code="ar").name),
            "shown": escape(Language.objects.get(code="fi").name),
        }
    assert note in html


def test_submit__complete_draft__submitted(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    response = editor_client.post(reverse("activities:submit", args=[listing.pk]))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_submit__without_summary__stays_draft_with_message(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT, summary={})
    response = editor_client.post(reverse("activities:submit", args=[listing.pk]), follow=True)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    assert _in("fi", str(services.ListingErrorCode.SUMMARY_REQUIRED.label)) in response.content.decode()


def test_submit__get__not_allowed(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    assert editor_client.get(reverse("activities:submit", args=[listing.pk])).status_code == 405


def test_duplicate__new_draft__redirects_to_its_edit_page(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    response = editor_client.post(reverse("activities:duplicate", args=[listing.pk]))
    copy = Listing.objects.exclude(pk=listing.pk).get()
    assert response.url == reverse("activities:edit", args=[copy.pk])
    assert copy.status == ListingStatus.DRAFT
    assert copy.title == listing.title


def test_archive_then_restore__archived_then_draft(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    editor_client.post(reverse("activities:archive", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ARCHIVED
    editor_client.post(reverse("activities:restore", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_restore__draft__illegal_transition_message(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    response = editor_client.post(reverse("activities:restore", args=[listing.pk]), follow=True)
    assert _in("fi", str(services.ListingErrorCode.ILLEGAL_TRANSITION.label)) in response.content.decode()


def test_confirm_now__stale_listing__confirmed_and_back_to_list(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    old = timezone.now() - datetime.timedelta(days=200)
    Listing.objects.filter(pk=listing.pk).update(last_confirmed_at=old)
    response = editor_client.post(
        reverse("activities:confirm_now", args=[listing.pk]), {"next": reverse("activities:mine")}
    )
    assert response.url == reverse("activities:mine")
    listing.refresh_from_db()
    assert listing.last_confirmed_at > old


def test_confirm_now__foreign_next__ignored(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    response = editor_client.post(
        reverse("activities:confirm_now", args=[listing.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("activities:preview", args=[listing.pk])


def test_history__shows_events_with_actor_and_status_change(editor_client, organisation, editor):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    services.listing_submit(listing=listing, actor=editor)
    html = editor_client.get(reverse("activities:history", args=[listing.pk])).content.decode()
    assert "Eeva Editori" in html
    assert "listing.submitted" in html
    assert _in("fi", str(ListingStatus.SUBMITTED.label)) in html


def test_history__other_listings_events__not_shown(editor_client, organisation):
    listing = create_listing(organisation=organisation, status=ListingStatus.DRAFT)
    other = create_listing(organisation=organisation, title={"fi": "Toinen"})
    html = editor_client.get(reverse("activities:history", args=[listing.pk])).content.decode()
    assert "listing.published" not in html  # only the other listing was published
    assert other.pk != listing.pk


# --- The e-mailed confirmation link ---------------------------------------------------------------


def test_confirm_link__valid__confirms_without_sign_in(client):
    listing = create_listing()
    old = timezone.now() - datetime.timedelta(days=100)
    Listing.objects.filter(pk=listing.pk).update(last_confirmed_at=old)
    listing.refresh_from_db()
    response = client.get(reverse("activities:confirm", args=[services.confirm_token(listing)]))
    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.last_confirmed_at > old
    assert "Suomen kielen kerho" in response.content.decode()


def test_confirm_link__tampered__410_with_message(client):
    response = client.get(reverse("activities:confirm", args=["not-a-token"]))
    assert response.status_code == 410
    assert _in("fi", str(services.ListingErrorCode.CONFIRM_LINK_INVALID.label)) in response.content.decode()


def test_confirm_link__archived_listing__410(client):
    listing = create_listing()
    token = services.confirm_token(listing)
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.ARCHIVED)
    assert client.get(reverse("activities:confirm", args=[token])).status_code == 410


# --- Moderation ------------------------------------------------------------------------------------


def test_moderation__queue_oldest_first_with_criteria(moderator_client):
    first = create_listing(status=ListingStatus.SUBMITTED, title={"fi": "Ensimmäinen"})
    second = create_listing(status=ListingStatus.SUBMITTED, title={"fi": "Toinen"})
    Listing.objects.filter(pk=first.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    Listing.objects.filter(pk=second.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
    html = moderator_client.get(reverse("activities:moderation")).content.decode()
    assert html.index("Ensimmäinen") < html.index("Toinen")
    assert _in("fi", str(LISTING_CRITERIA[0])) in html


def test_moderate_publish__submitted__published(moderator_client, moderator):
    listing = create_listing(status=ListingStatus.SUBMITTED)
    response = moderator_client.post(reverse("activities:moderate_publish", args=[listing.pk]))
    assert response.url == reverse("activities:moderation")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="listing.published", actor=moderator).exists()


def test_moderate_return__with_reason__returned_and_publisher_sees_it(
    moderator_client, client, organisation, editor
):
    listing = create_listing(organisation=organisation, status=ListingStatus.SUBMITTED)
    moderator_client.post(
        reverse("activities:moderate_return", args=[listing.pk]),
        {"reason": "Kyseessä on yksittäinen tapahtuma."},
    )
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RETURNED
    client.force_login(editor)
    assert "Kyseessä on yksittäinen tapahtuma." in client.get(reverse("activities:mine")).content.decode()
    preview = client.get(reverse("activities:preview", args=[listing.pk])).content.decode()
    assert "Kyseessä on yksittäinen tapahtuma." in preview


def test_moderate_return__without_reason__error_on_field_and_unchanged(moderator_client):
    listing = create_listing(status=ListingStatus.SUBMITTED)
    response = moderator_client.post(
        reverse("activities:moderate_return", args=[listing.pk]), {"reason": "  "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert f'href="#reason-{listing.pk}"' in html
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_moderation__open_report__listed_and_handled(moderator_client, moderator):
    listing = create_listing()
    report = services.report_create(listing=listing, reason="outdated", message="Kerho on loppunut.")
    html = moderator_client.get(reverse("activities:moderation")).content.decode()
    assert "Kerho on loppunut." in html
    assert reverse("activities:preview", args=[listing.pk]) in html
    moderator_client.post(reverse("activities:report_handle", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.HANDLED
    assert report.handled_by == moderator


def test_report_handle__editor_of_listing__handled_from_preview(editor_client, organisation):
    listing = create_listing(organisation=organisation)
    report = services.report_create(listing=listing, reason="wrong", message="")
    html = editor_client.get(reverse("activities:preview", args=[listing.pk])).content.decode()
    assert reverse("activities:report_handle", args=[report.pk]) in html
    response = editor_client.post(
        reverse("activities:report_handle", args=[report.pk]),
        {"next": reverse("activities:preview", args=[listing.pk])},
    )
    assert response.url == reverse("activities:preview", args=[listing.pk])
    assert Report.objects.get().status == ReportStatus.HANDLED


def test_moderation__many_listings__bounded_queries(moderator_client, django_assert_max_num_queries):
    for number in range(8):
        listing = create_listing(status=ListingStatus.SUBMITTED, title={"fi": f"Kerho {number}"})
        services.report_create(listing=listing, reason="outdated", message="")
    with django_assert_max_num_queries(10):
        assert moderator_client.get(reverse("activities:moderation")).status_code == 200


# --- Vocabularies -----------------------------------------------------------------------------------


def test_vocabularies__lists_both_kinds_with_counts(moderator_client):
    ThemeFactory(label_fi="Kielenoppiminen")
    TargetGroupFactory(label_fi="Nuoret")
    html = moderator_client.get(reverse("activities:vocabularies")).content.decode()
    assert "Kielenoppiminen" in html
    assert "Nuoret" in html


def test_vocabulary_create__theme__saved_and_audited(moderator_client, moderator):
    data = {
        "slug": "liikunta",
        "label_fi": "Liikunta",
        "label_sv": "Motion",
        "label_en": "Sport",
        "position": "3",
        "is_active": "on",
    }
    response = moderator_client.post(reverse("activities:vocabulary_create", args=["theme"]), data)
    assert response.url == reverse("activities:vocabularies")
    theme = Theme.objects.get(slug="liikunta")
    assert (theme.label_sv, theme.position, theme.is_active) == ("Motion", 3, True)
    assert AuditEvent.objects.filter(
        action="theme.created", actor=moderator, object_id=str(theme.pk)
    ).exists()


def test_vocabulary_edit__target_group__changes_audited(moderator_client):
    group = TargetGroupFactory(slug="nuoret", label_fi="Nuoret")
    data = {
        "slug": "nuoret",
        "label_fi": "Nuoret aikuiset",
        "label_sv": "Unga",
        "label_en": "Young",
        "position": "0",
    }
    moderator_client.post(reverse("activities:vocabulary_edit", args=["target-group", group.pk]), data)
    group.refresh_from_db()
    assert group.label_fi == "Nuoret aikuiset"
    assert not group.is_active
    event = AuditEvent.objects.get(action="targetgroup.updated")
    assert set(event.changes) >= {"label_fi", "is_active"}


def test_vocabulary_create__duplicate_slug__error_on_field(moderator_client):
    ThemeFactory(slug="liikunta")
    data = {"slug": "liikunta", "label_fi": "L", "label_sv": "M", "label_en": "S", "position": "0"}
    response = moderator_client.post(reverse("activities:vocabulary_create", args=["theme"]), data)
    assert "slug" in response.context["form"].errors
    assert Theme.objects.count() == 1


def test_vocabulary_create__unknown_kind__404(moderator_client):
    assert moderator_client.get(reverse("activities:vocabulary_create", args=["colour"])).status_code == 404


# --- Statistics ------------------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client):
    client.force_login(member(Role.COORDINATOR))
    return client


def test_statistics__counts_by_theme_language_municipality_and_freshness(coordinator_client):
    theme = ThemeFactory(label_en="Language learning", label_fi="Kielenoppiminen")
    create_listing(themes=[theme])
    create_listing(themes=[theme])
    stale = create_listing()
    Listing.objects.filter(pk=stale.pk).update(
        last_confirmed_at=timezone.now() - datetime.timedelta(days=200)
    )
    due = create_listing()
    Listing.objects.filter(pk=due.pk).update(last_confirmed_at=timezone.now() - datetime.timedelta(days=100))
    create_listing(status=ListingStatus.DRAFT, themes=[theme])
    response = coordinator_client.get(reverse("activities:statistics"))
    stats = response.context["stats"]
    assert stats.total == 3  # the stale one is hidden, the draft is not public
    assert {row.label: row.count for row in stats.by_theme}["Kielenoppiminen"] == 2
    assert {row.lang: row.count for row in stats.by_language} == {"fi": 3, "ar": 3}
    assert [(row.located, row.served) for row in stats.by_municipality] == [(3, 0)]
    assert (stats.freshness.fresh, stats.freshness.due, stats.freshness.hidden) == (2, 1, 1)
    html = response.content.decode()
    assert "<caption>" in html
    assert "Kielenoppiminen" in html


def test_statistics__handouts_and_unmet_searches__shown_without_personal_data(coordinator_client):
    listing = create_listing()
    month = timezone.localdate().replace(day=1)
    HandoutCount.objects.create(listing=listing, municipality_id="257", month=month, count=4)
    HandoutCount.objects.create(listing=listing, municipality_id="049", month=month, count=2)
    services.unmet_search_record(text="Somali kerho", filters={"language": "so"})
    services.unmet_search_record(text="somali  kerho", filters={"language": "so"})
    response = coordinator_client.get(reverse("activities:statistics"))
    stats = response.context["stats"]
    assert [(row.listing_id, row.count) for row in stats.handouts] == [(listing.pk, 6)]
    assert [(row.text, row.count) for row in stats.unmet] == [("somali kerho", 2)]
    assert "somali kerho" in response.content.decode()


def test_statistics__municipality_filter__only_listings_held_or_serving_there(coordinator_client):
    create_listing()  # Kirkkonummi (257)
    from kotoverkko.reference.models import Municipality

    espoo_served = create_listing(municipalities_served=[Municipality.objects.get(code="049")])
    response = coordinator_client.get(reverse("activities:statistics"), {"municipality": "049"})
    assert response.context["stats"].total == 1
    assert espoo_served.pk


def test_statistics__many_rows__bounded_queries(coordinator_client, django_assert_max_num_queries):
    themes = [ThemeFactory() for _ in range(5)]
    groups = [TargetGroupFactory() for _ in range(3)]
    for number in range(6):
        listing = create_listing(themes=themes[: number % 5 + 1], target_groups=groups)
        HandoutCount.objects.create(
            listing=listing, month=timezone.localdate().replace(day=1), count=number + 1
        )
        services.unmet_search_record(text=f"haku {number}", filters={})
    with django_assert_max_num_queries(20):
        assert coordinator_client.get(reverse("activities:statistics")).status_code == 200


def test_statistics__in_swedish__page_renders(coordinator_client):
    response = coordinator_client.get("/sv" + reverse("activities:statistics"))
    assert response.status_code == 200
    assert TargetGroup.objects.count() == 0
    assert UnmetSearch.objects.count() == 0


@pytest.mark.parametrize(("route", "limit"), [("edit", 26), ("preview", 18), ("history", 10)])
def test_listing_pages__many_terms_and_events__bounded_queries(
    editor_client, organisation, editor, django_assert_max_num_queries, route, limit
):
    themes = [ThemeFactory() for _ in range(15)]
    groups = [TargetGroupFactory() for _ in range(5)]
    listing = create_listing(organisation=organisation, themes=themes, target_groups=groups)
    for _ in range(5):
        services.report_create(listing=listing, reason="outdated", message="")
        services.listing_confirm(listing=listing, actor=editor)
    with django_assert_max_num_queries(limit):
        assert editor_client.get(reverse(f"activities:{route}", args=[listing.pk])).status_code == 200

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kotoverkko.accounts.errors import AccountErrorCode
from kotoverkko.accounts.models import Invitation, Membership
from kotoverkko.accounts.roles import Role
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.errors import OrganisationErrorCode
from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.organisations.tests.factories import MembershipFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


def _in(language: str, text: object) -> str:
    """The text as the page shows it in `language` (translated and HTML-escaped)."""
    with translation.override(language):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


def _create_form(**overrides: str) -> dict[str, str]:
    data = {
        "name_fi": "Uusi yhdistys ry",
        "name_sv": "",
        "name_en": "",
        "name_other_0_lang": "ar",
        "name_other_0_text": "جمعية جديدة",
        "description_fi": "",
        "description_sv": "",
        "description_en": "",
        "description_other_0_lang": "",
        "description_other_0_text": "",
        "kind": OrganisationKind.NGO,
        "business_id": "0101263-6",
        "home_municipality": "257",
        "municipalities_served": ["257", "235"],
        "languages_served": ["fi", "ar"],
        "postal_code": "02400",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_organisation_list__search_by_word__finds_matching_only(client):
    OrganisationFactory(name={"fi": "Kielikahvila ry"})
    OrganisationFactory(name={"fi": "Urheiluseura"})
    response = client.get(reverse("organisations:list"), {"q": "kahvila"})
    html = response.content.decode()
    assert "Kielikahvila ry" in html
    assert "Urheiluseura" not in html


def test_organisation_list__filter_by_municipality__includes_those_serving_it(client):
    serving = OrganisationFactory(name={"fi": "Palvelee Kauniaista"}, home_municipality_id="049")
    serving.municipalities_served.set(["235"])
    OrganisationFactory(name={"fi": "Vain Espoossa"}, home_municipality_id="049")
    html = client.get(reverse("organisations:list"), {"municipality": "235"}).content.decode()
    assert "Palvelee Kauniaista" in html
    assert "Vain Espoossa" not in html


def test_organisation_list__no_match__empty_state_in_swedish(client):
    response = client.get("/sv/organisations/", {"q": "zzzz-ei-loydy"})
    expected = _in("sv", "No organisations match your search. Try fewer words or remove a filter.")
    assert expected in response.content.decode()


def test_organisation_list__htmx__returns_results_fragment_only(client):
    OrganisationFactory(name={"fi": "Fragmenttiyhdistys"})
    response = client.get(reverse("organisations:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="results"' in html
    assert "Fragmenttiyhdistys" in html
    assert "<html" not in html


def test_organisation_list__many_organisations__paginated_with_constant_queries(
    client, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("organisations:list"))
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 25


def test_organisation_detail__other_languages__shown_with_lang_attribute(client):
    organisation = OrganisationFactory(name={"fi": "Yhdistys", "so": "Ururka"})
    html = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert '<span lang="so">Ururka</span>' in html


def test_organisation_create__valid__saved_with_any_language_and_audited(client):
    admin = member(Role.PLATFORM_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("organisations:create"), _create_form())
    organisation = Organisation.objects.get(sort_name="uusi yhdistys ry")
    assert response.status_code == 302
    assert organisation.name == {"fi": "Uusi yhdistys ry", "ar": "جمعية جديدة"}
    assert sorted(organisation.municipalities_served.values_list("code", flat=True)) == ["235", "257"]
    assert AuditEvent.objects.filter(action="organisation.created", organisation_id=organisation.pk).exists()


def test_organisation_create__wrong_business_id__finnish_message_and_nothing_saved(client):
    client.force_login(member(Role.PLATFORM_ADMIN))
    count = Organisation.objects.count()
    response = client.post(reverse("organisations:create"), _create_form(business_id="0101263-5"))
    assert response.status_code == 200
    assert _in("fi", OrganisationErrorCode.BUSINESS_ID_CHECKSUM.label) in response.content.decode()
    assert Organisation.objects.count() == count


def test_organisation_create__wrong_business_id_in_swedish__swedish_message(client):
    client.force_login(member(Role.PLATFORM_ADMIN))
    response = client.post("/sv/organisations/new/", _create_form(business_id="1234"))
    assert _in("sv", OrganisationErrorCode.INVALID_BUSINESS_ID.label) in response.content.decode()


def test_organisation_create__bad_language_code__field_error_and_nothing_saved(client):
    client.force_login(member(Role.PLATFORM_ADMIN))
    count = Organisation.objects.count()
    response = client.post(reverse("organisations:create"), _create_form(name_other_0_lang="arabic"))
    assert response.status_code == 200
    assert response.context["form"].errors["name_other_0_lang"]
    assert Organisation.objects.count() == count


def test_organisation_edit__org_admin__changes_saved_and_only_changes_audited(client):
    organisation = OrganisationFactory(name={"fi": "Vanha nimi"}, phone="")
    client.force_login(member(Role.ORG_ADMIN, organisation))
    data = _create_form(name_fi="Uusi nimi", name_other_0_lang="", name_other_0_text="", business_id="")
    data.update({"home_municipality": "049", "municipalities_served": [], "languages_served": []})
    response = client.post(reverse("organisations:edit", args=[organisation.pk]), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == {"fi": "Uusi nimi"}
    event = AuditEvent.objects.get(action="organisation.updated", organisation_id=organisation.pk)
    assert event.changes["name"] == {"from": {"fi": "Vanha nimi"}, "to": {"fi": "Uusi nimi"}}
    assert "phone" not in event.changes


def test_members_invite__existing_member__clear_message_and_no_invitation(client):
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    existing = MembershipFactory(organisation=organisation, role=Role.EDITOR).user
    client.force_login(admin)
    response = client.post(
        reverse("organisations:members", args=[organisation.pk]),
        {"email": existing.email, "role": Role.VIEWER},
    )
    assert response.status_code == 200
    assert _in("fi", AccountErrorCode.ALREADY_MEMBER.label) in response.content.decode()
    assert not Invitation.objects.filter(organisation=organisation).exists()


def test_members_invite__new_person__invitation_sent_in_active_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    client.force_login(member(Role.ORG_ADMIN, organisation))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/sv/organisations/{organisation.pk}/members/",
            {"email": "Uusi.Ihminen@Example.fi", "role": Role.EDITOR},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "uusi.ihminen@example.fi"
    assert len(mailoutbox) == 1
    assert "/sv/accounts/invitations/" in mailoutbox[0].body


def test_membership_role__last_admin_demoted__refused_with_message(client):
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    client.force_login(admin)
    membership = Membership.objects.get(user=admin)
    response = client.post(
        reverse("organisations:membership_role", args=[organisation.pk, membership.pk]),
        {"role": Role.VIEWER},
        follow=True,
    )
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN
    assert _in("fi", AccountErrorCode.LAST_ADMIN.label) in response.content.decode()


def test_audit_trail__coordinator__sees_own_municipality_only(client):
    kirkkonummi = OrganisationFactory.municipality("257")
    coordinator = member(Role.COORDINATOR, kirkkonummi)
    local = OrganisationFactory(name={"fi": "Paikallinen"}, home_municipality_id="257")
    elsewhere = OrganisationFactory(name={"fi": "Muualla"}, home_municipality_id="049")
    local_admin = member(Role.ORG_ADMIN, local)
    elsewhere_admin = member(Role.ORG_ADMIN, elsewhere)
    client.force_login(local_admin)
    client.post(
        reverse("organisations:members", args=[local.pk]), {"email": "a@example.fi", "role": "viewer"}
    )
    client.force_login(elsewhere_admin)
    client.post(
        reverse("organisations:members", args=[elsewhere.pk]), {"email": "b@example.fi", "role": "viewer"}
    )
    client.force_login(coordinator)
    response = client.get(reverse("organisations:audit"))
    organisation_ids = {event.organisation_id for event, _name in response.context["rows"]}
    assert local.pk in organisation_ids
    assert elsewhere.pk not in organisation_ids


@pytest.mark.parametrize(
    ("role", "offered"), [(Role.EDITOR, False), (Role.COORDINATOR, False), (Role.ORG_ADMIN, True)]
)
def test_organisation_list__add_link__only_for_those_who_may_add(client, role, offered):
    client.force_login(member(role, OrganisationFactory.municipality("257")))
    text = client.get(reverse("organisations:list")).content.decode()
    assert (f'href="{reverse("organisations:create")}"' in text) is offered

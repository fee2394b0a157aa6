"""Organisation registry use-cases, the append-only audit trail, audit visibility and demo seeding."""

from __future__ import annotations

import dataclasses

import pytest

from kotoverkko.accounts.models import Membership, User
from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent, AuditTrailIsAppendOnly
from kotoverkko.organisations import policies, seed
from kotoverkko.organisations.errors import OrganisationErrorCode
from kotoverkko.organisations.models import CooperationArea, Organisation, OrganisationKind
from kotoverkko.organisations.services import (
    OrganisationData,
    organisation_create,
    organisation_update,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Language, Municipality

pytestmark = pytest.mark.django_db


def _data(**fields) -> OrganisationData:
    values = {
        "name": {"fi": "Kielikahvila ry", "en": "Language Café"},
        "kind": OrganisationKind.NGO,
        "home_municipality": Municipality.objects.get(code="049"),
    }
    values.update(fields)
    return OrganisationData(**values)


def _data_of(organisation: Organisation, **changes) -> OrganisationData:
    """The organisation's current details as OrganisationData, with `changes` applied."""
    current = OrganisationData(
        name=dict(organisation.name),
        kind=organisation.kind,
        business_id=organisation.business_id,
        parent=organisation.parent,
        description=dict(organisation.description),
        home_municipality=organisation.home_municipality,
        municipalities_served=list(organisation.municipalities_served.all()),
        languages_served=list(organisation.languages_served.all()),
        email=organisation.email,
        phone=organisation.phone,
        website=organisation.website,
        street_address=organisation.street_address,
        postal_code=organisation.postal_code,
        post_office=organisation.post_office,
        is_public=organisation.is_public,
    )
    return dataclasses.replace(current, **changes)


def _create(actor: User | None = None, **fields) -> Organisation:
    return organisation_create(data=_data(**fields), actor=actor or member(Role.PLATFORM_ADMIN))


def _refused(call, *args, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        call(*args, **kwargs)
    return raised.value


# --- organisation_create -----------------------------------------------------------------------


def test_organisation_create__by_platform_admin__saved():
    organisation = _create(business_id="0101263-6")

    organisation.refresh_from_db()
    assert organisation.name == {"fi": "Kielikahvila ry", "en": "Language Café"}
    assert organisation.kind == OrganisationKind.NGO
    assert organisation.home_municipality_id == "049"
    assert organisation.sort_name == "kielikahvila ry"


def test_organisation_create__by_platform_admin__audit_event_with_changed_fields():
    admin = member(Role.PLATFORM_ADMIN)
    data = _data(
        email="info@kielikahvila.example",
        municipalities_served=list(Municipality.objects.filter(code__in=["049", "257"])),
        languages_served=list(Language.objects.filter(code__in=["fi", "so"])),
    )

    organisation = organisation_create(data=data, actor=admin)

    event = AuditEvent.objects.get(action="organisation.created")
    assert event.actor == admin
    assert event.organisation_id == organisation.pk
    assert event.municipality_code == "049"
    assert event.object_id == str(organisation.pk)
    assert event.changes["name"] == {"from": None, "to": {"fi": "Kielikahvila ry", "en": "Language Café"}}
    assert event.changes["kind"] == {"from": None, "to": "ngo"}
    assert event.changes["home_municipality"] == {"from": None, "to": "049"}
    assert event.changes["email"] == {"from": None, "to": "info@kielikahvila.example"}
    assert event.changes["municipalities_served"] == {"from": None, "to": ["049", "257"]}
    assert event.changes["languages_served"] == {"from": None, "to": ["fi", "so"]}
    assert "parent" not in event.changes


def test_organisation_create__by_non_admin__not_allowed_and_nothing_saved():
    actor = member(Role.ORG_ADMIN)
    count = Organisation.objects.count()

    error = _refused(organisation_create, data=_data(), actor=actor)

    assert error.code == OrganisationErrorCode.NOT_ALLOWED
    assert Organisation.objects.count() == count
    assert not AuditEvent.objects.filter(action="organisation.created").exists()


def test_organisation_create__unit_by_parent_admin__created():
    parent = OrganisationFactory()

    unit = organisation_create(
        data=_data(name={"fi": "Nuorisojaosto"}, parent=parent), actor=member(Role.ORG_ADMIN, parent)
    )

    assert unit.parent == parent


def test_organisation_create__business_id_wrong_check_digit__field_error_and_nothing_saved():
    admin = member(Role.PLATFORM_ADMIN)
    count = Organisation.objects.count()

    error = _refused(_create, admin, business_id="0101263-5")

    assert error.code == OrganisationErrorCode.BUSINESS_ID_CHECKSUM
    assert list(error.fields) == ["business_id"]
    assert error.fields["business_id"] == [str(OrganisationErrorCode.BUSINESS_ID_CHECKSUM.label)]
    assert Organisation.objects.count() == count


def test_organisation_create__business_id_malformed__invalid_business_id():
    error = _refused(_create, business_id="12345")

    assert error.code == OrganisationErrorCode.INVALID_BUSINESS_ID
    assert list(error.fields) == ["business_id"]


def test_organisation_create__business_id_without_hyphen__stored_in_standard_form():
    organisation = _create(business_id="01012636")

    organisation.refresh_from_db()
    assert organisation.business_id == "0101263-6"


def test_organisation_create__municipality_without_home__municipality_required():
    admin = member(Role.PLATFORM_ADMIN)
    count = Organisation.objects.count()

    error = _refused(_create, admin, kind=OrganisationKind.MUNICIPALITY, home_municipality=None)

    assert error.code == OrganisationErrorCode.MUNICIPALITY_REQUIRED
    assert list(error.fields) == ["home_municipality"]
    assert Organisation.objects.count() == count


def test_organisation_create__municipal_unit_under_ngo__unit_needs_municipal_parent():
    error = _refused(_create, kind=OrganisationKind.MUNICIPAL_UNIT, parent=OrganisationFactory())

    assert error.code == OrganisationErrorCode.UNIT_NEEDS_MUNICIPAL_PARENT


def test_organisation_create__municipal_unit_without_parent__unit_needs_municipal_parent():
    error = _refused(_create, kind=OrganisationKind.MUNICIPAL_UNIT)

    assert error.code == OrganisationErrorCode.UNIT_NEEDS_MUNICIPAL_PARENT


def test_organisation_create__municipal_unit_under_municipality__created():
    municipality = OrganisationFactory.municipality("257")

    unit = _create(kind=OrganisationKind.MUNICIPAL_UNIT, parent=municipality)

    assert unit.parent == municipality
    assert unit.is_municipal


def test_organisation_create__no_name_in_any_language__name_required():
    error = _refused(_create, name={"fi": "  ", "sv": ""})

    assert error.code == OrganisationErrorCode.NAME_REQUIRED


def test_organisation_create__malformed_language_code__invalid_language_code():
    error = _refused(_create, name={"finnish": "Kielikahvila"})

    assert error.code == OrganisationErrorCode.INVALID_LANGUAGE_CODE


# --- organisation_update -----------------------------------------------------------------------


def test_organisation_update__own_unit_as_parent__parent_cycle():
    admin = member(Role.PLATFORM_ADMIN)
    organisation = OrganisationFactory()
    unit = OrganisationFactory(parent=organisation)

    error = _refused(
        organisation_update, organisation=organisation, data=_data_of(organisation, parent=unit), actor=admin
    )

    assert error.code == OrganisationErrorCode.PARENT_CYCLE
    organisation.refresh_from_db()
    assert organisation.parent_id is None


def test_organisation_update__unit_of_unit_as_parent__parent_cycle():
    admin = member(Role.PLATFORM_ADMIN)
    organisation = OrganisationFactory()
    grandchild = OrganisationFactory(parent=OrganisationFactory(parent=organisation))

    error = _refused(
        organisation_update,
        organisation=organisation,
        data=_data_of(organisation, parent=grandchild),
        actor=admin,
    )

    assert error.code == OrganisationErrorCode.PARENT_CYCLE


def test_organisation_update__itself_as_parent__parent_cycle():
    admin = member(Role.PLATFORM_ADMIN)
    organisation = OrganisationFactory()

    error = _refused(
        organisation_update,
        organisation=organisation,
        data=_data_of(organisation, parent=organisation),
        actor=admin,
    )

    assert error.code == OrganisationErrorCode.PARENT_CYCLE


def test_organisation_update__two_fields_changed__audit_records_only_those():
    organisation = _create(languages_served=list(Language.objects.filter(code__in=["fi", "ar"])))
    admin = member(Role.ORG_ADMIN, organisation)

    organisation_update(
        organisation=organisation,
        data=_data_of(organisation, phone="+358 9 123 4567", is_public=False),
        actor=admin,
    )

    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == admin
    assert event.changes == {
        "is_public": {"from": True, "to": False},
        "phone": {"from": "", "to": "+358 9 123 4567"},
    }


def test_organisation_update__served_municipality_added__audit_records_only_that():
    organisation = _create(municipalities_served=[Municipality.objects.get(code="049")])
    served = list(Municipality.objects.filter(code__in=["049", "235"]))

    organisation_update(
        organisation=organisation,
        data=_data_of(organisation, municipalities_served=served),
        actor=member(Role.ORG_ADMIN, organisation),
    )

    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.changes == {"municipalities_served": {"from": ["049"], "to": ["049", "235"]}}


def test_organisation_update__nothing_changed__no_audit_event():
    organisation = _create()

    organisation_update(
        organisation=organisation, data=_data_of(organisation), actor=member(Role.ORG_ADMIN, organisation)
    )

    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_organisation_update__by_admin_of_parent__unit_edited():
    parent = OrganisationFactory()
    unit = OrganisationFactory(parent=parent)

    organisation_update(
        organisation=unit, data=_data_of(unit, email="unit@example.fi"), actor=member(Role.ORG_ADMIN, parent)
    )

    unit.refresh_from_db()
    assert unit.email == "unit@example.fi"


def test_organisation_update__by_editor__not_allowed():
    organisation = OrganisationFactory()

    error = _refused(
        organisation_update,
        organisation=organisation,
        data=_data_of(organisation, email="changed@example.fi"),
        actor=member(Role.EDITOR, organisation),
    )

    assert error.code == OrganisationErrorCode.NOT_ALLOWED
    organisation.refresh_from_db()
    assert organisation.email == ""


def test_organisation_update__by_admin_of_unit__parent_not_editable():
    parent = OrganisationFactory()
    unit = OrganisationFactory(parent=parent)

    error = _refused(
        organisation_update,
        organisation=parent,
        data=_data_of(parent, email="changed@example.fi"),
        actor=member(Role.ORG_ADMIN, unit),
    )

    assert error.code == OrganisationErrorCode.NOT_ALLOWED


def test_organisation_update__unit_admin_detaches_unit_from_parent__not_allowed():
    unit = OrganisationFactory(parent=OrganisationFactory())

    error = _refused(
        organisation_update,
        organisation=unit,
        data=_data_of(unit, parent=None),
        actor=member(Role.ORG_ADMIN, unit),
    )

    assert error.code == OrganisationErrorCode.NOT_ALLOWED
    assert error.fields == {"parent": [error.message]}


# --- the audit trail is append-only ------------------------------------------------------------


@pytest.fixture
def audit_event() -> AuditEvent:
    _create()
    return AuditEvent.objects.get(action="organisation.created")


def test_audit_event_save__existing_event__append_only(audit_event):
    audit_event.action = "organisation.tampered"

    with pytest.raises(AuditTrailIsAppendOnly):
        audit_event.save()

    assert AuditEvent.objects.filter(action="organisation.created").count() == 1


def test_audit_event_delete__existing_event__append_only(audit_event):
    with pytest.raises(AuditTrailIsAppendOnly):
        audit_event.delete()

    assert AuditEvent.objects.filter(pk=audit_event.pk).exists()


def test_audit_event_queryset_update__any_events__append_only(audit_event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=audit_event.pk).update(action="organisation.tampered")

    assert AuditEvent.objects.get(pk=audit_event.pk).action == "organisation.created"


def test_audit_event_queryset_delete__any_events__append_only(audit_event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.filter(pk=audit_event.pk).exists()


def test_audit_event_bulk_update__existing_events__append_only(audit_event):
    audit_event.action = "organisation.tampered"

    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_update([audit_event], ["action"])


# --- policies.audit_events_visible_to ----------------------------------------------------------


@pytest.fixture
def ngos() -> dict[str, Organisation]:
    """Two NGOs from Espoo: one also serving Kirkkonummi, one only Espoo (each with its event)."""
    return {
        "serving_257": _create(
            name={"fi": "Kirkkonummellekin ry"},
            municipalities_served=list(Municipality.objects.filter(code__in=["049", "257"])),
        ),
        "espoo_only": _create(
            name={"fi": "Vain Espoossa ry"},
            municipalities_served=[Municipality.objects.get(code="049")],
        ),
    }


def _visible_organisation_ids(user: User) -> set[int | None]:
    return set(policies.audit_events_visible_to(user).values_list("organisation_id", flat=True))


def test_audit_events_visible_to__kirkkonummi_coordinator__sees_ngo_serving_kirkkonummi(ngos):
    coordinator = member(Role.COORDINATOR, OrganisationFactory.municipality("257"))

    assert ngos["serving_257"].pk in _visible_organisation_ids(coordinator)


def test_audit_events_visible_to__kirkkonummi_coordinator__not_ngo_only_in_espoo(ngos):
    coordinator = member(Role.COORDINATOR, OrganisationFactory.municipality("257"))

    assert ngos["espoo_only"].pk not in _visible_organisation_ids(coordinator)


def test_audit_events_visible_to__kirkkonummi_coordinator__sees_events_in_kirkkonummi():
    coordinator = member(Role.COORDINATOR, OrganisationFactory.municipality("257"))
    local = _create(
        name={"fi": "Kirkkonummen kyläyhdistys"}, home_municipality=Municipality.objects.get(code="257")
    )

    assert local.pk in _visible_organisation_ids(coordinator)


def test_audit_events_visible_to__org_admin__own_organisation_only(ngos):
    admin = member(Role.ORG_ADMIN, ngos["serving_257"])

    assert _visible_organisation_ids(admin) == {ngos["serving_257"].pk}


def test_audit_events_visible_to__org_admin__includes_units():
    parent = _create(name={"fi": "Emoyhdistys ry"})
    admin = member(Role.ORG_ADMIN, parent)
    unit = organisation_create(data=_data(name={"fi": "Nuorisojaosto"}, parent=parent), actor=admin)

    assert _visible_organisation_ids(admin) == {parent.pk, unit.pk}


def test_audit_events_visible_to__editor__none(ngos):
    editor = member(Role.EDITOR, ngos["serving_257"])

    assert not policies.audit_events_visible_to(editor).exists()


def test_audit_events_visible_to__platform_admin__all(ngos):
    assert policies.audit_events_visible_to(member(Role.PLATFORM_ADMIN)).count() == AuditEvent.objects.count()


# --- seed_demo ---------------------------------------------------------------------------------


def _totals() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Membership, AuditEvent, CooperationArea)
    }


def test_seed_demo__run_twice__second_run_creates_nothing():
    seed.seed_demo()
    after_first = _totals()

    seed.seed_demo()

    assert _totals() == after_first


def test_seed_demo__organisations__every_kind_present():
    seed.seed_demo()

    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)


def test_seed_demo__users__one_demo_user_per_role():
    sign_ins = seed.seed_demo()

    demo_emails = [email for email, _role, _organisation in sign_ins]
    roles = Membership.objects.filter(user__email__in=demo_emails).values_list("role", flat=True)
    assert sorted(roles) == sorted(Role.values)
    assert len(set(demo_emails)) == len(Role.values)


def test_seed_demo__users__can_sign_in_with_demo_password():
    seed.seed_demo()

    for email, *_rest in seed.USERS:
        assert User.objects.get(email=email).check_password(seed.DEMO_PASSWORD), email


def test_seed_demo__cooperation_area__espoo_kauniainen_kirkkonummi():
    seed.seed_demo()

    area = CooperationArea.objects.get()
    assert set(area.municipalities.values_list("code", flat=True)) == {"049", "235", "257"}
    assert area.lead_organisation.home_municipality_id == "049"

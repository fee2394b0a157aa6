from __future__ import annotations

import pytest

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError, PermissionDeniedError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.models import OrganisationKind
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Municipality
from kotoverkko.servicepaths import selectors, services
from kotoverkko.servicepaths.enums import DeadlineAnchor, GapKind, StepKind
from kotoverkko.servicepaths.models import ClientGroup, ServicePath
from kotoverkko.servicepaths.tests.factories import create_path, create_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirkkonummi():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def coordinator(kirkkonummi):
    return member(Role.COORDINATOR, kirkkonummi)


def _create(actor, slug="quota-refugees", template="quota-refugees-681-2023", code="257"):
    return services.path_create(
        actor=actor,
        municipality=Municipality.objects.get(code=code),
        client_group=ClientGroup.objects.get(slug=slug),
        template_key=template,
    )


def _data(**overrides) -> services.StepData:
    values = {"kind": StepKind.OTHER, "title": {"fi": "Tulkkaus"}}
    values.update(overrides)
    return services.StepData(**values)


# --- Creating from a template ---------------------------------------------------------------------


def test_path_create__from_template__steps_in_order_with_law_and_deadlines(coordinator):
    path = _create(coordinator)

    steps = list(path.steps.order_by("position"))
    assert [s.template_key for s in steps][:3] == ["placement", "arrival", "housing"]
    plan = path.steps.get(template_key="plan")
    assert plan.deadline_anchor == DeadlineAnchor.STEP
    assert plan.deadline_anchor_step == path.steps.get(template_key="assessment")
    assert {str(p) for p in path.steps.get(template_key="civic").legal_provisions.all()} == {
        "681/2023 25 §",
        "576/2024",
    }


def test_path_create__from_template__area_organisations_named_and_missing_ones_are_gaps(
    kirkkonummi, coordinator
):
    county = OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY, home_municipality_id="257")
    path = _create(coordinator)

    health = path.steps.get(template_key="health")
    assert health.responsible == county
    assert list(health.partners.all()) == [kirkkonummi]
    training = path.steps.get(template_key="training")
    assert training.responsible is None  # no employment authority serves the area
    gaps = {(g.kind, g.step.template_key) for g in selectors.path_gaps(path)}
    assert (GapKind.NO_RESPONSIBLE, "training") in gaps


def test_path_create__audited_without_names(coordinator):
    path = _create(coordinator)
    event = AuditEvent.objects.get(action="servicepaths.path_created")
    assert event.object_id == str(path.pk)
    assert event.municipality_code == "257"
    assert event.actor == coordinator
    assert coordinator.full_name not in event.object_repr


def test_path_create__second_path_for_same_group__refused(coordinator):
    _create(coordinator)
    with pytest.raises(ApplicationError) as error:
        _create(coordinator)
    assert error.value.code == "duplicate_path"


def test_path_create__other_municipality__refused(coordinator):
    with pytest.raises(PermissionDeniedError):
        _create(coordinator, code="091")
    assert not ServicePath.objects.exists()


def test_path_create__template_of_another_group__refused(coordinator):
    with pytest.raises(ApplicationError) as error:
        _create(coordinator, slug="students")
    assert error.value.code == "unknown_template"


# --- Steps ----------------------------------------------------------------------------------------


def test_step_update__assign_responsible__gap_gone_and_change_audited(kirkkonummi, coordinator):
    path = create_path()
    step = create_step(path=path, responsible=None)

    services.step_update(step=step, data=_data(responsible=kirkkonummi), actor=coordinator)

    assert selectors.path_gaps(path) == []
    event = AuditEvent.objects.get(action="servicepaths.step_updated")
    assert event.changes["responsible"] == {"from": None, "to": kirkkonummi.pk}
    assert event.organisation_id == kirkkonummi.pk


def test_step_update__anchor_to_itself__refused(coordinator):
    step = create_step(path=create_path())
    data = _data(deadline_amount=1, deadline_anchor=DeadlineAnchor.STEP, deadline_anchor_step=step)
    with pytest.raises(ApplicationError) as error:
        services.step_update(step=step, data=data, actor=coordinator)
    assert error.value.code == "anchor_invalid"


def test_step_update__amount_without_anchor__refused(coordinator):
    step = create_step(path=create_path())
    with pytest.raises(ApplicationError) as error:
        services.step_update(step=step, data=_data(deadline_amount=3), actor=coordinator)
    assert error.value.code == "anchor_required"


def test_step_update__responsible_organisation_editor__refused():
    organisation = OrganisationFactory()
    step = create_step(path=create_path(), responsible=organisation)
    with pytest.raises(PermissionDeniedError):
        services.step_update(step=step, data=_data(), actor=member(Role.EDITOR, organisation))


def test_step_update_details__responsible_organisation_editor__saved_and_audited():
    organisation = OrganisationFactory()
    step = create_step(path=create_path(), responsible=organisation)
    editor = member(Role.EDITOR, organisation)

    services.step_update_details(
        step=step, description={"fi": "Uusi"}, contact_point={"fi": "Palvelunumero 0800"}, actor=editor
    )

    step.refresh_from_db()
    assert step.contact_point == {"fi": "Palvelunumero 0800"}
    event = AuditEvent.objects.get(action="servicepaths.step_details_updated")
    assert event.organisation_id == organisation.pk
    assert set(event.changes) == {"description", "contact_point"}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ORG_ADMIN, Role.VIEWER])
def test_step_update_details__other_organisations_member__refused(role):
    step = create_step(path=create_path(), responsible=OrganisationFactory())
    with pytest.raises(PermissionDeniedError):
        services.step_update_details(
            step=step, description={}, contact_point={"fi": "x"}, actor=member(role, OrganisationFactory())
        )


def test_step_update_details__own_organisation_viewer__refused():
    organisation = OrganisationFactory()
    step = create_step(path=create_path(), responsible=organisation)
    with pytest.raises(PermissionDeniedError):
        services.step_update_details(
            step=step, description={}, contact_point={"fi": "x"}, actor=member(Role.VIEWER, organisation)
        )


def test_step_move__up_and_down__swaps_neighbours(coordinator):
    path = create_path()
    first, _second, third = (create_step(path=path, title=t) for t in ("A", "B", "C"))

    services.step_move(step=third, up=True, actor=coordinator)
    assert [s.title["fi"] for s in path.steps.order_by("position")] == ["A", "C", "B"]

    services.step_move(step=first, up=False, actor=coordinator)
    assert [s.title["fi"] for s in path.steps.order_by("position")] == ["C", "A", "B"]
    assert AuditEvent.objects.filter(action="servicepaths.step_moved").count() == 2


def test_step_move__first_step_up__order_unchanged(coordinator):
    path = create_path()
    first, _second = create_step(path=path, title="A"), create_step(path=path, title="B")
    services.step_move(step=first, up=True, actor=coordinator)
    assert [s.title["fi"] for s in path.steps.order_by("position")] == ["A", "B"]


def test_step_create__appended_last_and_audited(coordinator):
    path = create_path()
    create_step(path=path, title="A")
    step = services.step_create(path=path, data=_data(), actor=coordinator)
    assert step.position == 2
    assert AuditEvent.objects.filter(action="servicepaths.step_created", object_id=str(step.pk)).exists()


def test_step_delete__anchor_of_another_step__leaves_a_gap(coordinator):
    path = create_path()
    owner = OrganisationFactory.municipality("257")
    anchor = create_step(path=path, responsible=owner)
    create_step(
        path=path,
        responsible=owner,
        deadline_amount=6,
        deadline_anchor=DeadlineAnchor.STEP,
        deadline_anchor_step=anchor,
    )

    services.step_delete(step=anchor, actor=coordinator)

    assert [g.kind for g in selectors.path_gaps(path)] == [GapKind.ANCHOR_MISSING]
    assert AuditEvent.objects.filter(action="servicepaths.step_deleted").exists()


def test_path_update__joint_path__coordinator_of_partner_municipality_may_edit(coordinator):
    path = create_path()
    path.municipalities.add(Municipality.objects.get(code="235"))
    other = member(Role.COORDINATOR, OrganisationFactory.municipality("235"))
    data = services.PathData(
        title={"fi": "Yhteinen polku"}, is_public=True, municipalities=list(path.municipalities.all())
    )

    services.path_update(path=path, data=data, actor=other)

    path.refresh_from_db()
    assert path.is_public
    assert AuditEvent.objects.get(action="servicepaths.path_updated").changes["is_public"] == {
        "from": False,
        "to": True,
    }


def test_path_delete__removes_steps_and_audits(coordinator):
    path = create_path()
    create_step(path=path)
    services.path_delete(path=path, actor=coordinator)
    assert not ServicePath.objects.exists()
    assert AuditEvent.objects.filter(action="servicepaths.path_deleted").exists()


def test_client_group_update__platform_admin__renamed_and_audited():
    group = ClientGroup.objects.get(slug="students")
    admin = member(Role.PLATFORM_ADMIN)
    data = services.ClientGroupData(name={"fi": "Opiskelijat ja tutkijat"}, position=75, is_active=False)

    services.client_group_update(group=group, data=data, actor=admin)

    assert not selectors.client_groups().filter(slug="students").exists()
    event = AuditEvent.objects.get(action="servicepaths.client_group_updated")
    assert event.changes["is_active"] == {"from": True, "to": False}


def test_client_group_update__coordinator__refused(coordinator):
    group = ClientGroup.objects.get(slug="students")
    with pytest.raises(PermissionDeniedError):
        services.client_group_update(
            group=group, data=services.ClientGroupData(name={"fi": "X"}), actor=coordinator
        )

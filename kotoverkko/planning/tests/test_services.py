import datetime
from decimal import Decimal

import pytest

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning import diff, services
from kotoverkko.planning.enums import ProgrammeStatus, RoundStatus
from kotoverkko.planning.models import ChecklistTemplate, ValkoGoal

from .factories import add_manual_indicator, add_measure, adopt, create_programme, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return OrganisationFactory.municipality("257")


@pytest.fixture
def coordinator(owner):
    return member(Role.COORDINATOR, owner)


def test_reference_data__loaded_by_migration():
    template = ChecklistTemplate.objects.get(key="koto24-planning")
    assert [step.key for step in template.steps.all()][:3] == [
        "responsible-party",
        "cooperation",
        "situation-picture",
    ]
    provision = template.steps.first().legal_provisions.get()
    assert (provision.act_number, provision.section) == ("681/2023", "45 §")
    assert ValkoGoal.objects.filter(version="2024-2027", kind="goal").count() == 4


def test_programme_create__copies_current_checklist(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.checklist_steps.count() == 6
    assert programme.checklist_steps.first().legal_provisions.exists()
    assert list(programme.municipalities.values_list("code", flat=True)) == ["257"]
    assert AuditEvent.objects.filter(
        action="planning.programme_created", object_id=str(programme.pk)
    ).exists()


def test_programme_create__other_municipality__not_allowed(owner):
    outsider = member(Role.COORDINATOR, OrganisationFactory.municipality("049"))
    with pytest.raises(ApplicationError) as error:
        create_programme(owner, coordinator=outsider)
    assert error.value.code == "planning_not_allowed"


def test_programme_transition__adopt_without_details__refused(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    with pytest.raises(ApplicationError) as error:
        services.programme_transition(actor=coordinator, programme=programme, status=ProgrammeStatus.ADOPTED)
    assert error.value.code == "planning_adoption_details_missing"


def test_programme_transition__illegal__refused(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    with pytest.raises(ApplicationError) as error:
        services.programme_transition(
            actor=coordinator, programme=programme, status=ProgrammeStatus.MONITORING
        )
    assert error.value.code == "planning_invalid_transition"


def test_measure_save__adopted_programme__locked(owner, coordinator):
    programme = adopt(create_programme(owner, coordinator=coordinator), actor=coordinator)
    with pytest.raises(ApplicationError) as error:
        add_measure(programme, organisation=owner, actor=coordinator)
    assert error.value.code == "planning_content_locked"


def test_programme_revise__copies_content_and_diff_shows_changes(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    measure = add_measure(programme, organisation=owner, actor=coordinator, title="Vanha")
    add_manual_indicator(programme, actor=coordinator)
    adopt(programme, actor=coordinator)
    revision = services.programme_revise(actor=coordinator, programme=programme)
    assert (revision.version_number, revision.previous_version, revision.status) == (2, programme, "draft")
    copied = revision.measures.get()
    assert copied.key == measure.key
    services.measure_save(
        actor=coordinator, programme=revision, measure=copied, values={"title": {"fi": "Uusi"}}
    )
    add_measure(revision, organisation=owner, actor=coordinator, title="Lisätty")
    _goals, measures_section, _indicators = diff.programme_diff(before=programme, after=revision)
    measures = measures_section.items
    assert {(item.kind, item.title) for item in measures} == {("changed", "Uusi"), ("added", "Lisätty")}
    changed = next(item for item in measures if item.kind == "changed")
    assert changed.changes[0].before == "Vanha"
    assert changed.changes[0].after == "Uusi"
    adopt(revision, actor=coordinator)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.REVISED


def test_measure_report__own_organisation__updates_status(owner, coordinator):
    ngo = OrganisationFactory()
    programme = create_programme(owner, coordinator=coordinator)
    measure = add_measure(programme, organisation=ngo, actor=coordinator)
    adopt(programme, actor=coordinator)
    monitoring_round = open_round(programme, actor=coordinator)
    editor = member(Role.EDITOR, ngo)
    services.measure_report(
        actor=editor,
        monitoring_round=monitoring_round,
        measure=measure,
        status="on_track",
        comment="Käynnissä",
    )
    measure.refresh_from_db()
    assert (measure.status, measure.status_comment) == ("on_track", "Käynnissä")
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.MONITORING


def test_measure_report__other_organisation__not_allowed(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    measure = add_measure(programme, organisation=OrganisationFactory(), actor=coordinator)
    adopt(programme, actor=coordinator)
    monitoring_round = open_round(programme, actor=coordinator)
    stranger = member(Role.EDITOR, OrganisationFactory())
    with pytest.raises(ApplicationError):
        services.measure_report(
            actor=stranger, monitoring_round=monitoring_round, measure=measure, status="done", comment=""
        )


def test_round_compile__freezes_snapshot_and_closes(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator)
    add_measure(programme, organisation=owner, actor=coordinator)
    indicator = add_manual_indicator(programme, actor=coordinator)
    adopt(programme, actor=coordinator)
    services.measurement_add(
        actor=coordinator,
        indicator=indicator,
        data=services.MeasurementData(datetime.date(2025, 6, 1), Decimal(30)),
    )
    monitoring_round = open_round(programme, actor=coordinator)
    services.round_compile(actor=coordinator, monitoring_round=monitoring_round, summary="Hyvä vuosi")
    assert monitoring_round.status == RoundStatus.COMPILED
    assert monitoring_round.snapshot["indicators"][0]["value"] == "30.0000"
    with pytest.raises(ApplicationError) as error:
        services.round_compile(actor=coordinator, monitoring_round=monitoring_round, summary="")
    assert error.value.code == "planning_round_closed"


def test_joint_programme__other_municipality_coordinator__may_edit(owner, coordinator):
    programme = create_programme(owner, coordinator=coordinator, municipalities=[])
    programme.municipalities.add("049")
    partner = member(Role.COORDINATOR, OrganisationFactory.municipality("049"))
    add_measure(programme, organisation=owner, actor=partner)
    assert programme.measures.count() == 1

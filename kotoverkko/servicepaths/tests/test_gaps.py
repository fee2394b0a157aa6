"""Gap detection: each kind of gap is found, and a fixed step is no longer reported."""

from __future__ import annotations

import datetime

import pytest

from kotoverkko.organisations.models import OrganisationKind
from kotoverkko.organisations.tests.factories import OrganisationFactory
from kotoverkko.reference.models import LegalProvision
from kotoverkko.servicepaths import selectors
from kotoverkko.servicepaths.enums import DeadlineAnchor, GapKind
from kotoverkko.servicepaths.tests.factories import create_path, create_step

pytestmark = pytest.mark.django_db


def _kinds(path) -> list[str]:
    return [gap.kind for gap in selectors.path_gaps(path)]


def test_path_gaps__every_step_owned_and_lawful__no_gaps():
    path = create_path()
    step = create_step(path=path, responsible=OrganisationFactory.municipality("257"))
    step.legal_provisions.set([LegalProvision.objects.get(act_number="681/2023", section="13 §")])
    assert _kinds(path) == []


def test_path_gaps__step_without_responsible__no_responsible_gap():
    path = create_path()
    step = create_step(path=path, responsible=None)
    gaps = selectors.path_gaps(path)
    assert [(gap.kind, gap.step) for gap in gaps] == [(GapKind.NO_RESPONSIBLE, step)]


def test_path_gaps__responsible_organisation_hidden__hidden_gap():
    path = create_path()
    create_step(path=path, responsible=OrganisationFactory(is_public=False))
    assert _kinds(path) == [GapKind.RESPONSIBLE_HIDDEN]


def test_path_gaps__anchor_step_removed__anchor_missing_gap():
    path = create_path()
    owner = OrganisationFactory.municipality("257")
    assessment = create_step(path=path, title="Arviointi", responsible=owner)
    plan = create_step(
        path=path,
        responsible=owner,
        deadline_amount=0,
        deadline_anchor=DeadlineAnchor.STEP,
        deadline_anchor_step=assessment,
    )
    assert _kinds(path) == []

    assessment.delete()

    gaps = selectors.path_gaps(path)
    assert [(gap.kind, gap.step.pk) for gap in gaps] == [(GapKind.ANCHOR_MISSING, plan.pk)]


def test_path_gaps__anchor_in_another_path__anchor_missing_gap():
    owner = OrganisationFactory.municipality("257")
    elsewhere = create_step(path=create_path(group="students"), responsible=owner)
    path = create_path()
    create_step(
        path=path,
        responsible=owner,
        deadline_amount=6,
        deadline_anchor=DeadlineAnchor.STEP,
        deadline_anchor_step=elsewhere,
    )
    assert _kinds(path) == [GapKind.ANCHOR_MISSING]


def test_path_gaps__repealed_legal_basis__provision_gap_names_it():
    path = create_path()
    step = create_step(path=path, responsible=OrganisationFactory.municipality("257"))
    repealed = LegalProvision.objects.get(act_number="1386/2010")
    step.legal_provisions.set([repealed])

    gaps = selectors.path_gaps(path)

    assert [(gap.kind, gap.provision) for gap in gaps] == [(GapKind.PROVISION_NOT_IN_FORCE, repealed)]


def test_path_gaps__reference_date_before_repeal__old_basis_is_no_gap():
    path = create_path(reference_date=datetime.date(2020, 1, 1))
    step = create_step(path=path, responsible=OrganisationFactory.municipality("257"))
    step.legal_provisions.set([LegalProvision.objects.get(act_number="1386/2010")])
    assert _kinds(path) == []


def test_path_gaps__reference_date_before_new_act__new_basis_not_yet_in_force():
    path = create_path(reference_date=datetime.date(2024, 6, 1))
    step = create_step(path=path, responsible=OrganisationFactory.municipality("257"))
    step.legal_provisions.set([LegalProvision.objects.get(act_number="681/2023", section="13 §")])
    assert _kinds(path) == [GapKind.PROVISION_NOT_IN_FORCE]


def test_gap_overview__coordinator__sees_own_paths_with_gaps_first():
    owner = OrganisationFactory.municipality("257")
    complete = create_path(group="students")
    create_step(path=complete, responsible=owner)
    gappy = create_path(group="others")
    create_step(path=gappy, responsible=None)
    create_step(path=create_path(municipality="091"), responsible=None)
    from kotoverkko.accounts.roles import Role
    from kotoverkko.organisations.tests.factories import member

    summaries = selectors.gap_overview_for_editor(user=member(Role.COORDINATOR, owner))

    assert [(s.path, len(s.gaps)) for s in summaries] == [(gappy, 1), (complete, 0)]
    assert summaries[0].counts == {GapKind.NO_RESPONSIBLE.value: 1}


# --- Interface steps ------------------------------------------------------------------------------


def _county():
    return OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY)


def test_is_interface_step__municipality_responsible_county_partner__true():
    step = create_step(
        path=create_path(), responsible=OrganisationFactory.municipality("257"), partners=(_county(),)
    )
    assert selectors.is_interface_step(step)


def test_is_interface_step__county_responsible_municipal_unit_partner__true():
    unit = OrganisationFactory(kind=OrganisationKind.MUNICIPAL_UNIT)
    step = create_step(path=create_path(), responsible=_county(), partners=(unit,))
    assert selectors.is_interface_step(step)


def test_is_interface_step__municipality_and_ngo__false():
    step = create_step(
        path=create_path(),
        responsible=OrganisationFactory.municipality("257"),
        partners=(OrganisationFactory(),),
    )
    assert not selectors.is_interface_step(step)


def test_is_interface_step__marked_by_hand__true():
    step = create_step(path=create_path(), responsible=None, is_interface_marked=True)
    assert selectors.is_interface_step(step)

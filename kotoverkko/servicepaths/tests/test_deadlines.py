"""The deadline rule is data; these tests read the sentence a professional sees in each language."""

from __future__ import annotations

import pytest
from django.utils import translation

from kotoverkko.servicepaths.deadlines import deadline_sentence
from kotoverkko.servicepaths.enums import DeadlineAnchor, DeadlineUnit
from kotoverkko.servicepaths.tests.factories import create_path, create_step

pytestmark = pytest.mark.django_db


def _in(language: str, step) -> str:
    with translation.override(language):
        return deadline_sentence(step)


@pytest.fixture
def plan_and_training():
    path = create_path()
    plan = create_step(path=path, title="Kotoutumissuunnitelma")
    plan.title = {"fi": "Kotoutumissuunnitelma", "sv": "Integrationsplan", "en": "Integration plan"}
    plan.save()
    training = create_step(
        path=path,
        title="Koulutus",
        deadline_amount=6,
        deadline_unit=DeadlineUnit.MONTHS,
        deadline_anchor=DeadlineAnchor.STEP,
        deadline_anchor_step=plan,
    )
    return plan, training


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "6 kuukauden kuluessa vaiheesta ”Kotoutumissuunnitelma”"),
        ("sv", "inom 6 månader från steget ”Integrationsplan”"),
        ("en", "within 6 months of the step “Integration plan”"),
    ],
)
def test_deadline_sentence__six_months_of_plan_step__in_each_language(plan_and_training, language, expected):
    _plan, training = plan_and_training
    assert _in(language, training) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "1 viikon kuluessa kuntaan saapumisesta"),
        ("sv", "inom 1 vecka från ankomsten till kommunen"),
        ("en", "within 1 week of arrival in the municipality"),
    ],
)
def test_deadline_sentence__one_week_of_arrival__singular_unit(language, expected):
    step = create_step(
        path=create_path(),
        deadline_amount=1,
        deadline_unit=DeadlineUnit.WEEKS,
        deadline_anchor=DeadlineAnchor.ARRIVAL,
    )
    assert _in(language, step) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "viipymättä kotoutumissuunnitelman jälkeen"),
        ("sv", "utan dröjsmål efter integrationsplanen"),
        ("en", "without delay after the integration plan"),
    ],
)
def test_deadline_sentence__zero__without_delay(language, expected):
    step = create_step(path=create_path(), deadline_amount=0, deadline_anchor=DeadlineAnchor.PLAN_MADE)
    assert _in(language, step) == expected


def test_deadline_sentence__anchor_step_removed__says_so(plan_and_training):
    plan, training = plan_and_training
    plan.delete()
    training.refresh_from_db()
    assert _in("en", training) == "within 6 months of a step that is no longer in this path"


def test_deadline_sentence__no_deadline__empty():
    assert _in("fi", create_step(path=create_path())) == ""

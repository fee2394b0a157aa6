import pytest

from kotoverkko.organisations.seed import seed_demo
from kotoverkko.planning.demo import load_demo
from kotoverkko.planning.enums import ProgrammeStatus, RoundStatus
from kotoverkko.planning.models import Programme

pytestmark = pytest.mark.django_db


def test_load_demo__adopted_programme_with_rounds__idempotent():
    seed_demo()
    assert load_demo() == 1
    assert load_demo() == 0
    programme = Programme.objects.get()
    assert programme.status == ProgrammeStatus.MONITORING
    assert programme.goals.count() == 5
    assert programme.measures.count() == 10
    assert programme.indicators.count() == 5
    assert sorted(programme.monitoring_rounds.values_list("status", flat=True)) == [
        RoundStatus.COMPILED,
        RoundStatus.OPEN,
    ]
    assert programme.checklist_steps.filter(status="done").count() == 5

from __future__ import annotations

import pytest
from django.utils import timezone

from kotoverkko.cooperation.demo import load_demo
from kotoverkko.cooperation.enums import BodyKind, MeetingStatus
from kotoverkko.cooperation.models import Agreement, CooperationBody
from kotoverkko.cooperation.selectors import agreement_review_reminder_days, planning_cooperation_group
from kotoverkko.organisations.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_load_demo__board_two_meetings_group_and_agreement_due_for_review__idempotent():
    seed_demo()
    assert load_demo() == 3
    assert load_demo() == 0

    board = CooperationBody.objects.get(kind=BodyKind.ADVISORY_BOARD)
    meetings = list(board.meetings.order_by("starts_at"))
    assert len(meetings) == 2
    assert meetings[0].status == MeetingStatus.HELD
    assert meetings[0].minutes
    assert meetings[0].action_items.exists()
    assert meetings[0].attendance.exists()
    assert meetings[1].starts_at > timezone.now()
    assert meetings[1].agenda_items.exists()
    assert planning_cooperation_group("257").kind == BodyKind.PLANNING_GROUP
    assert planning_cooperation_group("091") is None
    agreement = Agreement.objects.get()
    assert (agreement.review_on - timezone.localdate()).days <= agreement_review_reminder_days()

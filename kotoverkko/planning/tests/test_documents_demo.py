"""The demo data of consultation and the kotoutumisohjelma description."""

from __future__ import annotations

import pytest

from kotoverkko.planning.documents import initial_phase
from kotoverkko.planning.documents.demo import load_consultation_and_initial_phase_demo
from kotoverkko.planning.enums import ProgrammeStatus
from kotoverkko.planning.models import Consultation, ConsultationCommentStatus, InitialPhasePlan

from .test_documents_fixtures import make_programme

pytestmark = pytest.mark.django_db


def test_demo__closed_consultation_and_published_description__idempotent():
    make_programme(status=ProgrammeStatus.ADOPTED)
    assert load_consultation_and_initial_phase_demo() == 2
    assert load_consultation_and_initial_phase_demo() == 0
    consultation = Consultation.objects.get()
    assert not consultation.is_open
    published = consultation.comments.filter(status=ConsultationCommentStatus.PUBLISHED)
    assert published.count() == 4
    assert {"ar", "fi-x-selko"} <= set(published.values_list("language", flat=True))
    assert all(comment.answer for comment in published)
    plan = InitialPhasePlan.objects.get()
    assert plan.is_published
    assert initial_phase.plan_matrix(plan).missing_count == 1

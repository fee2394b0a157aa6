"""Builders shared by the consultation, document and kotoutumisohjelma tests (no tests here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.tests.factories import OrganisationFactory
from kotoverkko.planning.enums import MeasureStatus, ProgrammeStatus
from kotoverkko.planning.models import (
    Consultation,
    ConsultationComment,
    ConsultationCommentStatus,
    ConsultationStatus,
    Goal,
    Indicator,
    Measure,
    Measurement,
    MeasureUpdate,
    MonitoringRound,
    Programme,
)

RESPONSIBLE_NAME = "Kirkkonummen Setlementti ry"
MEASURE_TITLE = "Kielikahvilat kirjastoissa"


@dataclass
class ProgrammeWorld:
    owner: Organisation
    ngo: Organisation
    other: Organisation
    programme: Programme
    goal: Goal
    measure: Measure
    indicator: Indicator
    round: MonitoringRound


def make_programme(*, status: str = ProgrammeStatus.ADOPTED, code: str = "257") -> ProgrammeWorld:
    owner = OrganisationFactory.municipality(
        code, name={"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun"}
    )
    ngo = OrganisationFactory(name={"fi": RESPONSIBLE_NAME}, home_municipality_id=code)
    other = OrganisationFactory.municipality("049", name={"fi": "Espoon kaupunki"})
    programme = Programme.objects.create(
        title={
            "fi": "Kotoutumisen edistämisen ohjelma 2025–2028",
            "sv": "Program för främjande av integration",
            "en": "Integration programme",
        },
        summary={
            "fi": "Ohjelma kokoaa kunnan kotoutumistyön tavoitteet.",
            "en": "The programme gathers the goals.",
        },
        owner=owner,
        starts_year=2025,
        ends_year=2028,
        status=status,
        adopted_by="Kunnanvaltuusto" if status != ProgrammeStatus.DRAFT else "",
        adopted_on=datetime.date(2025, 3, 10) if status != ProgrammeStatus.DRAFT else None,
        adoption_minute="§ 12",
    )
    programme.municipalities.set([code])
    goal = Goal.objects.create(
        programme=programme, position=1, title={"fi": "Työllisyys paranee", "en": "Employment improves"}
    )
    Goal.objects.create(
        programme=programme, position=2, title={"fi": "Hyvät väestösuhteet", "en": "Good relations"}
    )
    measure = Measure.objects.create(
        programme=programme,
        goal=goal,
        position=1,
        title={"fi": MEASURE_TITLE, "en": "Language cafés in libraries"},
        description={"fi": "Viikoittaiset kielikahvilat kolmessa kirjastossa."},
        responsible_organisation=ngo,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        budget_eur=Decimal("12000"),
        status=MeasureStatus.ON_TRACK,
    )
    measure.partners.set([owner])
    indicator = Indicator.objects.create(
        programme=programme,
        goal=goal,
        position=1,
        name={"fi": "Vieraskielisten työllisyysaste", "en": "Employment rate of foreign-language speakers"},
        unit="%",
        baseline_value=Decimal("55.5"),
        target_value=Decimal("62"),
    )
    Measurement.objects.create(
        indicator=indicator, measured_on=datetime.date(2025, 12, 31), value=Decimal("57.25")
    )
    monitoring_round = MonitoringRound.objects.create(
        programme=programme,
        name="Seuranta 2025",
        period_end=datetime.date(2025, 12, 31),
        summary="Hyvä alku.",
    )
    MeasureUpdate.objects.create(
        monitoring_round=monitoring_round,
        measure=measure,
        status=MeasureStatus.ON_TRACK,
        comment="Kävijöitä 40 viikossa.",
    )
    return ProgrammeWorld(owner, ngo, other, programme, goal, measure, indicator, monitoring_round)


def make_consultation(
    programme: Programme,
    *,
    is_open: bool = True,
    is_public: bool = True,
    status: str = ConsultationStatus.PUBLISHED,
) -> Consultation:
    now = timezone.now()
    opens = now - datetime.timedelta(days=10)
    closes = now + datetime.timedelta(days=10) if is_open else now - datetime.timedelta(days=1)
    return Consultation.objects.create(
        programme=programme,
        title={"fi": "Lausuntokierros", "en": "Consultation"},
        summary={
            "fi": "Kerro mielipiteesi ohjelmaluonnoksesta.",
            "en": "Tell us what you think of the draft.",
        },
        plain_finnish_summary="Kunta tekee suunnitelman. Kerro, mitä mieltä olet.",
        opens_at=opens,
        closes_at=closes,
        is_public=is_public,
        status=status,
    )


def add_comment(
    consultation: Consultation,
    text: str,
    *,
    language: str = "fi",
    status: str = ConsultationCommentStatus.PUBLISHED,
    answer: str = "",
    **sections: object,
) -> ConsultationComment:
    return ConsultationComment.objects.create(
        consultation=consultation,
        text=text,
        language=language,
        status=status,
        answer=answer,
        rejection_reason="spam" if status == ConsultationCommentStatus.REJECTED else "",
        **sections,
    )

"""Scenario builders for planning tests (through the services, so the data obeys the rules)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning import services
from kotoverkko.planning.enums import ProgrammeMode, ProgrammeStatus
from kotoverkko.planning.models import Measure, MonitoringRound, Programme


def programme_data(owner, **overrides) -> services.ProgrammeData:
    values = {
        "title": {"fi": "Kotoutumisohjelma", "en": "Integration programme"},
        "owner": owner,
        "starts_year": 2025,
        "ends_year": 2028,
        "mode": ProgrammeMode.SEPARATE,
    }
    return services.ProgrammeData(**(values | overrides))


def create_programme(owner=None, *, coordinator=None, **overrides) -> Programme:
    owner = owner or OrganisationFactory.municipality("257")
    coordinator = coordinator or member(Role.COORDINATOR, owner)
    return services.programme_create(actor=coordinator, data=programme_data(owner, **overrides))


def add_measure(programme: Programme, *, organisation, actor, title: str = "Kielikahvila") -> Measure:
    return services.measure_save(
        actor=actor,
        programme=programme,
        measure=None,
        values={"title": {"fi": title}, "responsible_organisation": organisation, "status": "not_started"},
    )


def adopt(programme: Programme, *, actor) -> Programme:
    return services.programme_transition(
        actor=actor,
        programme=programme,
        status=ProgrammeStatus.ADOPTED,
        adoption=services.AdoptionData("Kunnanvaltuusto", datetime.date(2025, 3, 1), "§ 12"),
    )


def open_round(programme: Programme, *, actor) -> MonitoringRound:
    return services.round_create(
        actor=actor,
        programme=programme,
        data=services.RoundData("Seuranta 2025", datetime.date(2025, 12, 31)),
    )


def add_manual_indicator(programme: Programme, *, actor, target: str = "50"):
    return services.indicator_save(
        actor=actor,
        programme=programme,
        indicator=None,
        values={
            "name": {"fi": "Osallistujia"},
            "unit": "hlöä",
            "direction": "increase",
            "source_kind": "manual",
            "baseline_value": Decimal(10),
            "target_value": Decimal(target),
        },
    )

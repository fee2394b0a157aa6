"""Demo data of the planning area for `manage.py seed_demo` (idempotent).

An adopted 2025–2028 programme for the demo municipality (Kirkkonummi, where the demo coordinator
works): the checklist mostly done, goals tied to VALKO, measures of several organisations linked to
demo listings, hand-entered and computed indicators, one compiled and one open monitoring round.
Everything is made through the services, so it obeys the same rules as real data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from kotoverkko.accounts.models import Membership
from kotoverkko.accounts.roles import Role
from kotoverkko.activities import selectors as activity_selectors
from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.planning.documents.demo import load_consultation_and_initial_phase_demo

from . import services
from .enums import MeasureStatus, ProgrammeMode, ProgrammeStatus, StepStatus
from .models import Programme, ValkoGoal

MUNICIPALITY = "257"
TITLE = {
    "fi": "Kirkkonummen kotoutumisen edistämisen toimenpideohjelma 2025–2028",
    "sv": "Kyrkslätts åtgärdsprogram för främjande av integration 2025–2028",
    "en": "Kirkkonummi integration promotion action programme 2025–2028",
}
GOALS = [
    (
        "1",
        "3.9",
        {
            "fi": "Maahan muuttaneet työllistyvät nopeammin",
            "sv": "Invandrare får snabbare arbete",
            "en": "Immigrants find work faster",
        },
    ),
    (
        "4",
        "3.6",
        {
            "fi": "Lapset, nuoret ja perheet kotoutuvat yhdessä",
            "sv": "Barn, unga och familjer integreras tillsammans",
            "en": "Children, young people and families integrate together",
        },
    ),
    (
        "4",
        "3.4",
        {
            "fi": "Kotona lapsia hoitavat vanhemmat tavoitetaan",
            "sv": "Föräldrar som tar hand om barn hemma nås",
            "en": "Parents caring for children at home are reached",
        },
    ),
    (
        "3",
        "3.3",
        {
            "fi": "Kielitaito ja osallisuus vahvistuvat",
            "sv": "Språkkunskaper och delaktighet stärks",
            "en": "Language skills and participation grow stronger",
        },
    ),
    (
        "3",
        "3.8",
        {
            "fi": "Hyvät väestösuhteet ja vastaanottava kunta",
            "sv": "Goda befolkningsrelationer och en mottaglig kommun",
            "en": "Good population relations and a receptive municipality",
        },
    ),
]
# (goal index, title fi, title en, organisation name in Finnish, status, listings to link)
MEASURES = [
    (
        0,
        "Työnhakuvalmennus maahan muuttaneille",
        "Job-search coaching for immigrants",
        "Espoon seudun työllisyysalue",
        MeasureStatus.ON_TRACK,
        0,
    ),
    (
        0,
        "Yritysyhteistyön kielituetut harjoittelut",
        "Language-supported traineeships with companies",
        "Kirkkonummen kunta",
        MeasureStatus.DELAYED,
        0,
    ),
    (
        1,
        "Läksykerhot koululaisille",
        "Homework clubs for pupils",
        "Kielikahvila ry (demo)",
        MeasureStatus.ON_TRACK,
        1,
    ),
    (
        1,
        "Nuorten harrastusohjaus",
        "Guidance to hobbies for young people",
        "Kirkkonummen kunta",
        MeasureStatus.NOT_STARTED,
        0,
    ),
    (
        2,
        "Perhekahvilat ja lastenhoito kursseilla",
        "Family cafés and childcare at courses",
        "Somalialaisten perheiden yhdistys (demo)",
        MeasureStatus.ON_TRACK,
        1,
    ),
    (
        2,
        "Neuvolan kotoutumisohjaus",
        "Integration guidance at child health clinics",
        "Länsi-Uudenmaan hyvinvointialue",
        MeasureStatus.ON_TRACK,
        0,
    ),
    (
        3,
        "Kielikahvilat kirjastossa",
        "Language cafés at the library",
        "Kielikahvila ry (demo)",
        MeasureStatus.DONE,
        2,
    ),
    (
        3,
        "Monikielinen yhteiskuntaorientaatio",
        "Multilingual civic orientation",
        "Omnia",
        MeasureStatus.ON_TRACK,
        0,
    ),
    (
        4,
        "Henkilöstön yhdenvertaisuuskoulutus",
        "Non-discrimination training for staff",
        "Kirkkonummen kunta",
        MeasureStatus.DELAYED,
        0,
    ),
    (
        4,
        "Asukasiltojen sarja eri kielillä",
        "Residents' evenings in several languages",
        "Kirkkonummen kunta",
        MeasureStatus.CANCELLED,
        0,
    ),
]


def _organisation(name_fi: str) -> Organisation | None:
    return Organisation.objects.filter(name__fi=name_fi).order_by("pk").first()


def load_demo() -> int:
    """Create the demo programme once; returns how many top-level objects were created."""
    owner = (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, home_municipality_id=MUNICIPALITY)
        .order_by("pk")
        .first()
    )
    if owner is None:
        return 0
    if Programme.objects.filter(owner=owner, title__fi=TITLE["fi"]).exists():
        load_consultation_and_initial_phase_demo()  # idempotent; fills in what an older seed lacked
        return 0
    membership = (
        Membership.objects.filter(organisation=owner, role=Role.COORDINATOR).select_related("user").first()
    )
    if membership is None:
        return 0
    coordinator = membership.user
    programme = services.programme_create(
        actor=coordinator,
        data=services.ProgrammeData(
            title=TITLE,
            summary={
                "fi": "Ohjelma kokoaa kunnan, työllisyysalueen, hyvinvointialueen ja järjestöjen "
                "kotoutumista edistävät toimet.",
                "en": "The programme brings together the integration measures of the municipality, "
                "the employment area, the wellbeing services county and NGOs.",
            },
            owner=owner,
            starts_year=2025,
            ends_year=2028,
            mode=ProgrammeMode.SEPARATE,
        ),
    )
    steps = list(programme.checklist_steps.all())
    for index, step in enumerate(steps):
        status = StepStatus.DONE if index < len(steps) - 1 else StepStatus.IN_PROGRESS
        services.checklist_step_update(
            actor=coordinator, step=step, values={"status": status, "owner_organisation": owner}
        )
    goals = []
    for position, (valko_goal, valko_area, title) in enumerate(GOALS, start=1):
        valko = ValkoGoal.objects.filter(version="2024-2027", code__in=[valko_goal, valko_area])
        goals.append(
            services.goal_save(
                actor=coordinator,
                programme=programme,
                goal=None,
                values={
                    "title": title,
                    "position": position,
                    "valko_goals": list(valko),
                    "strategy_goal": "Elinvoimainen ja yhdenvertainen Kirkkonummi",
                },
            )
        )
    listings = list(activity_selectors.listings_public().order_by("pk")[:6])
    measures = []
    for position, (goal_index, fi, en, org_name, status, listing_count) in enumerate(MEASURES, start=1):
        linked = listings[:listing_count] if listing_count else []
        listings = listings[listing_count:] + listings[:listing_count]
        measures.append(
            (
                services.measure_save(
                    actor=coordinator,
                    programme=programme,
                    measure=None,
                    values={
                        "title": {"fi": fi, "en": en},
                        "goal": goals[goal_index],
                        "responsible_organisation": _organisation(org_name) or owner,
                        "partners": [owner] if _organisation(org_name) else [],
                        "starts_on": datetime.date(2025, 3, 1),
                        "ends_on": datetime.date(2028, 12, 31),
                        "budget_eur": Decimal(5000 * position),
                        "status": MeasureStatus.NOT_STARTED,
                        "position": position,
                        "listings": linked,
                    },
                ),
                status,
            )
        )
    manual = [
        (
            "Kotoutumisohjelman asiakkaiden työllisyysaste",
            "Employment rate of integration clients",
            "%",
            "increase",
            38,
            50,
            [(2024, 38), (2025, 41)],
        ),
        (
            "Perhekahviloiden kävijät vuodessa",
            "Family café visits per year",
            "kävijää",
            "increase",
            400,
            800,
            [(2024, 400), (2025, 560)],
        ),
        (
            "Syrjintää kokeneiden osuus asukaskyselyssä",
            "Share reporting discrimination in the resident survey",
            "%",
            "decrease",
            22,
            15,
            [(2024, 22), (2025, 20)],
        ),
    ]
    for position, (fi, en, unit, direction, baseline, target, values) in enumerate(manual, start=1):
        indicator = services.indicator_save(
            actor=coordinator,
            programme=programme,
            indicator=None,
            values={
                "name": {"fi": fi, "en": en},
                "goal": goals[min(position - 1, len(goals) - 1)],
                "unit": unit,
                "direction": direction,
                "source_kind": "manual",
                "source_description": "Kunnan seuranta",
                "baseline_value": Decimal(baseline),
                "baseline_on": datetime.date(2024, 12, 31),
                "target_value": Decimal(target),
                "target_on": datetime.date(2028, 12, 31),
                "position": position,
            },
        )
        for year, value in values:
            services.measurement_add(
                actor=coordinator,
                indicator=indicator,
                data=services.MeasurementData(
                    datetime.date(year, 12, 31), Decimal(value), source="Kunnan seuranta"
                ),
            )
    services.indicator_save(
        actor=coordinator,
        programme=programme,
        indicator=None,
        values={
            "name": {
                "fi": "Vieraskieliset työttömät työnhakijat (tilannekuva)",
                "sv": "Arbetslösa arbetssökande med främmande modersmål (lägesbild)",
                "en": "Foreign-language unemployed jobseekers (situation picture)",
            },
            "unit": "hlöä",
            "direction": "decrease",
            "source_kind": "situation",
            "source_description": "Tilannekuvan aineisto (synteettinen demo)",
            "definition": {
                "table_id": "jobseekers-demo",
                "area": MUNICIPALITY,
                "fixed": {"language": "foreign"},
            },
            "position": 4,
        },
    )
    services.indicator_save(
        actor=coordinator,
        programme=programme,
        indicator=None,
        values={
            "name": {"fi": "Julkaistut toiminnot hakemistossa", "en": "Published listings in the directory"},
            "unit": "kpl",
            "direction": "increase",
            "source_kind": "directory",
            "source_description": "Toimintahakemisto",
            "definition": {"metric": "published_listings", "municipality": MUNICIPALITY},
            "target_value": Decimal(40),
            "position": 5,
        },
    )
    services.programme_transition(
        actor=coordinator,
        programme=programme,
        status=ProgrammeStatus.ADOPTED,
        adoption=services.AdoptionData("Kunnanvaltuusto", datetime.date(2025, 3, 17), "§ 23"),
    )
    first = services.round_create(
        actor=coordinator,
        programme=programme,
        data=services.RoundData("Seuranta 2025", datetime.date(2025, 12, 31), datetime.date(2026, 1, 31)),
    )
    for measure, status in measures:
        services.measure_report(
            actor=coordinator,
            monitoring_round=first,
            measure=measure,
            status=status,
            comment="Etenee suunnitellusti." if status == MeasureStatus.ON_TRACK else "",
        )
    services.round_compile(
        actor=coordinator,
        monitoring_round=first,
        summary="Useimmat toimenpiteet etenevät; työllisyyden toimissa viivettä.",
    )
    services.round_create(
        actor=coordinator,
        programme=programme,
        data=services.RoundData("Seuranta 2026", datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)),
    )
    load_consultation_and_initial_phase_demo()
    return 1

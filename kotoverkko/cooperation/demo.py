"""Demo data of the cooperation area for `manage.py seed_demo` (idempotent).

Kirkkonummi (the demo coordinator's municipality) runs a local advisory board with one past
meeting (minutes, decisions, attendance, an action item) and one upcoming meeting, the planning
cooperation group, and a refugee placement agreement with the ELY Centre whose yearly review
falls inside the reminder window. Built through the services, as the platform admin.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from kotoverkko.accounts import selectors as account_selectors
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from . import services
from .enums import AgreementKind, Attendance, BodyKind, MemberRole
from .models import Agreement, CooperationBody

HELSINKI = ZoneInfo("Europe/Helsinki")
ADMIN_EMAIL = "admin@kotoverkko.example"
COORDINATOR_EMAIL = "coordinator@kotoverkko.example"
ORGANISATIONS = {
    "kirkkonummi": "Kirkkonummen kunta",
    "employment": "Espoon seudun työllisyysalue",
    "county": "Länsi-Uudenmaan hyvinvointialue",
    "ely": "Uudenmaan ELY-keskus",
    "kela": "Kela",
    "college": "Omnia",
    "ngo": "Kielikahvila ry (demo)",
    "immigrant-association": "Somalialaisten perheiden yhdistys (demo)",
    "parish": "Espoon seurakuntayhtymä",
}


def _organisations() -> dict[str, Organisation] | None:
    found = {
        key: Organisation.objects.filter(sort_name=name.casefold()).order_by("pk").first()
        for key, name in ORGANISATIONS.items()
    }
    return None if any(org is None for org in found.values()) else found  # type: ignore[return-value]


def _user(email: str) -> Any:
    return (
        account_selectors.user_by_email(email=email)
        if account_selectors.account_exists(email=email)
        else None
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def _advisory_board(orgs: dict[str, Organisation], admin: Any, coordinator: Any) -> CooperationBody:
    today = timezone.localdate()
    body = services.body_create(
        data=services.BodyData(
            name={
                "fi": "Kirkkonummen kotoutumisen neuvottelukunta",
                "sv": "Kyrkslätts delegation för integration",
                "en": "Kirkkonummi local advisory board on integration",
            },
            description={
                "fi": "Paikallistason neuvottelukunta suunnittelee ja kehittää kotoutumisen edistämistä ja "
                "parantaa etnisiä suhteita yhdessä työmarkkina-, yrittäjä- ja kansalaisjärjestöjen kanssa.",
                "sv": "Den lokala delegationen planerar och utvecklar "
                "främjandet av integration och förbättrar "
                "de etniska relationerna tillsammans med arbetsmarknads-, "
                "företagar- och medborgarorganisationer.",
                "en": "The local advisory board plans and develops the promotion of integration and improves "
                "ethnic relations together with labour-market, business and civic organisations.",
            },
            kind=BodyKind.ADVISORY_BOARD,
            owner=orgs["kirkkonummi"],
            municipalities=list(Municipality.objects.filter(code="257")),
            term_starts_on=datetime.date(2025, 6, 1),
            term_ends_on=datetime.date(2029, 5, 31),
            is_public=True,
            minutes_public=True,
        ),
        actor=admin,
    )
    seats = [
        services.MemberData(
            organisation=orgs["kirkkonummi"],
            role=MemberRole.CHAIR,
            person_name="Puheenjohtaja (demo)",
            person_email="puheenjohtaja@kirkkonummi.example",
        ),
        services.MemberData(organisation=orgs["kirkkonummi"], role=MemberRole.SECRETARY, user=coordinator),
        services.MemberData(organisation=orgs["employment"], role=MemberRole.MEMBER),
        services.MemberData(organisation=orgs["county"], role=MemberRole.MEMBER),
        services.MemberData(organisation=orgs["ngo"], role=MemberRole.MEMBER),
        services.MemberData(organisation=orgs["immigrant-association"], role=MemberRole.MEMBER),
        services.MemberData(organisation=orgs["parish"], role=MemberRole.DEPUTY),
    ]
    members = [services.member_add(body=body, data=seat, actor=admin) for seat in seats]

    past_day = today - datetime.timedelta(days=28)
    past = services.meeting_create(
        body=body,
        data=services.MeetingData(
            title="3/2026",
            starts_at=_at(past_day, 13),
            ends_at=_at(past_day, 15),
            place="Kirkkonummen kunnantalo",
        ),
        agenda=[
            services.AgendaRow(title="Kokouksen avaus ja laillisuus"),
            services.AgendaRow(
                title="Kotoutumisen tilannekuva 2026", description="Esittelijä: kotoutumiskoordinaattori."
            ),
            services.AgendaRow(title="Kuntapaikkasopimuksen vuosittainen tarkistus"),
            services.AgendaRow(title="Kielikahviloiden näkyvyys kotoutumisentukena.fi-palvelussa"),
        ],
        actor=admin,
    )
    items = list(past.agenda_items.all())
    services.meeting_record(
        meeting=past,
        attendance={
            members[0].pk: Attendance.PRESENT,
            members[1].pk: Attendance.PRESENT,
            members[2].pk: Attendance.PRESENT,
            members[3].pk: Attendance.ABSENT,
            members[4].pk: Attendance.PRESENT,
            members[5].pk: Attendance.PRESENT,
            members[6].pk: Attendance.DEPUTY,
        },
        minutes="Kokous avattiin klo 13.05. Neuvottelukunta kävi läpi kotoutumisen tilannekuvan ja "
        "kuntapaikkasopimuksen tarkistuksen aikataulun.",
        decisions={
            items[0].pk: "Kokous todettiin lailliseksi ja päätösvaltaiseksi.",
            items[1].pk: "Merkittiin tiedoksi.",
            items[2].pk: "Hyvinvointialuetta kuullaan ennen sopimuksen tarkistamista.",
            items[3].pk: "Järjestöt kirjaavat toimintansa palveluun vuoden loppuun mennessä.",
        },
        action_items=[
            services.ActionItemData(
                title="Kirjataan kielikahvilat kotoutumisentukena.fi-palveluun",
                owner=orgs["ngo"],
                due_on=today + datetime.timedelta(days=5),
            ),
            services.ActionItemData(
                title="Pyydetään hyvinvointialueen lausunto kuntapaikkasopimuksesta",
                owner=orgs["kirkkonummi"],
                due_on=today + datetime.timedelta(days=21),
            ),
        ],
        actor=admin,
    )
    next_day = today + datetime.timedelta(days=21)
    services.meeting_create(
        body=body,
        data=services.MeetingData(
            title="4/2026",
            starts_at=_at(next_day, 13),
            ends_at=_at(next_day, 15),
            place="Kirkkonummen kunnantalo",
            online_url="https://meet.kirkkonummi.example/neuvottelukunta",
        ),
        agenda=[
            services.AgendaRow(title="Kokouksen avaus"),
            services.AgendaRow(title="Hyvinvointialueen lausunto kuntapaikkasopimuksesta"),
            services.AgendaRow(title="Vuoden 2027 toimintasuunnitelma"),
        ],
        actor=admin,
    )
    return body


def _planning_group(orgs: dict[str, Organisation], admin: Any) -> CooperationBody:
    body = services.body_create(
        data=services.BodyData(
            name={
                "fi": "Kotoutumisen edistämisen suunnitteluryhmä",
                "sv": "Planeringsgruppen för främjande av integration",
                "en": "Integration planning cooperation group",
            },
            description={
                "fi": "Monialainen yhteistyöryhmä, joka valmistelee kunnan "
                "kotoutumisen edistämisen suunnitelman.",
                "sv": "En sektorsövergripande samarbetsgrupp som bereder "
                "kommunens plan för främjande av integration.",
                "en": "A multi-sectoral group that prepares the "
                "municipality's plan for promoting integration.",
            },
            kind=BodyKind.PLANNING_GROUP,
            owner=orgs["kirkkonummi"],
            municipalities=list(Municipality.objects.filter(code="257")),
            term_starts_on=datetime.date(2025, 1, 1),
        ),
        actor=admin,
    )
    for key in ("kirkkonummi", "employment", "county", "kela", "college", "ngo"):
        role = MemberRole.CHAIR if key == "kirkkonummi" else MemberRole.MEMBER
        services.member_add(
            body=body, data=services.MemberData(organisation=orgs[key], role=role), actor=admin
        )
    return body


def _placement_agreement(orgs: dict[str, Organisation], admin: Any) -> Agreement:
    today = timezone.localdate()
    return services.agreement_create(
        data=services.AgreementData(
            kind=AgreementKind.PLACEMENT,
            title={
                "fi": "Sopimus kuntaan osoittamisesta ja kotoutumisen edistämisestä 2025–2027",
                "sv": "Avtal om anvisning till kommunen och främjande av integration 2025–2027",
                "en": "Agreement on assignment to the municipality and promotion of integration 2025–2027",
            },
            summary={
                "fi": "Kunta tarjoaa kuntapaikkoja kansainvälistä suojelua "
                "saaville. Sopimus tarkistetaan vuosittain.",
                "sv": "Kommunen erbjuder kommunplatser för personer som får internationellt skydd. "
                "Avtalet ses över årligen.",
                "en": "The municipality offers municipal places to "
                "beneficiaries of international protection. "
                "The agreement is reviewed every year.",
            },
            owner=orgs["kirkkonummi"],
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
            review_on=today + datetime.timedelta(days=30),
            county_consulted=True,
            county_consulted_on=datetime.date(2024, 11, 12),
            is_public=True,
            parties=[
                services.PartyData(
                    organisation=orgs["kirkkonummi"],
                    role="Kunta",
                    responsibilities="Asunnot, alkuvaiheen ohjaus ja kotoutumisohjelman palvelut.",
                ),
                services.PartyData(
                    organisation=orgs["ely"],
                    role="ELY-keskus",
                    responsibilities="Kuntaan osoittaminen ja alueellinen koordinointi.",
                ),
            ],
            places_per_year={2025: 20, 2026: 25, 2027: 25},
        ),
        actor=admin,
    )


@transaction.atomic
def load_demo() -> int:
    """Create the demo region's cooperation data; return how many top-level objects were created."""
    orgs = _organisations()
    admin = _user(ADMIN_EMAIL)
    if orgs is None or admin is None:
        return 0  # the organisations' demo has not been loaded
    coordinator = _user(COORDINATOR_EMAIL)
    created = 0
    owned = CooperationBody.objects.filter(owner=orgs["kirkkonummi"])
    if not owned.filter(kind=BodyKind.ADVISORY_BOARD).exists():
        _advisory_board(orgs, admin, coordinator)
        created += 1
    if not owned.filter(kind=BodyKind.PLANNING_GROUP).exists():
        _planning_group(orgs, admin)
        created += 1
    if not Agreement.objects.filter(owner=orgs["kirkkonummi"], kind=AgreementKind.PLACEMENT).exists():
        _placement_agreement(orgs, admin)
        created += 1
    return created

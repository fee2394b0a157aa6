"""Demo data of the signals area for `manage.py seed_demo` (idempotent).

Kirkkonummi (the demo NGO's home municipality) gets a routing table and seven signals from the demo
NGOs in various themes and states, two of them answered; one is in English and one in Arabic.
Everything goes through the services, as the demo users would do it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kotoverkko.accounts.models import User
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from . import services
from .enums import SignalStatus, SignalTargetGroup, SignalUrgency
from .models import Signal, SignalTheme

MUNICIPALITY = "257"  # Kirkkonummi
NGO = "kielikahvila ry (demo)"
ASSOCIATION = "somalialaisten perheiden yhdistys (demo)"
MUNICIPALITY_ORGANISATION = "kirkkonummen kunta"

# theme slug -> organisation (by Finnish sort name); other themes go to the municipality itself.
ROUTES = {
    "employment": "espoon seudun työllisyysalue",
    "health-social": "länsi-uudenmaan hyvinvointialue",
    "children-families": "länsi-uudenmaan hyvinvointialue",
}


@dataclass(frozen=True)
class DemoSignal:
    sender: str
    theme: str
    target_group: str
    urgency: str
    description: str
    days_ago: int
    status: str = SignalStatus.NEW
    answer: str = ""
    locality: str = ""


SIGNALS = [
    DemoSignal(
        NGO,
        "housing",
        SignalTargetGroup.NEWCOMERS,
        SignalUrgency.HIGH,
        "Useat kielikahvilan osallistujat kertovat, että vuokra-asunnon hakeminen kaatuu "
        "suomenkielisiin lomakkeisiin. Osa on jäänyt asumaan tuttavien luo pitkäksi aikaa.",
        140,
        SignalStatus.ANSWERED,
        "Kiitos havainnosta. Asuntotoimi lisää hakuohjeet selkosuomeksi ja englanniksi verkkoon "
        "maaliskuussa, ja neuvontapisteessä on apua lomakkeen täyttämiseen tiistaisin.",
        "Masala",
    ),
    DemoSignal(
        NGO,
        "employment",
        SignalTargetGroup.WORKERS_STUDENTS,
        SignalUrgency.NORMAL,
        "Työnhakijat eivät tiedä, mistä saa apua ansioluettelon tekemiseen. Kysymyksiä tulee "
        "kielikahvilassa joka viikko.",
        110,
        SignalStatus.RECEIVED,
    ),
    DemoSignal(
        NGO,
        "education-language",
        SignalTargetGroup.OUTSIDE_LABOUR_FORCE,
        SignalUrgency.HIGH,
        "Iltaisin järjestettävät suomen kielen kurssit ovat täynnä, ja kotona lapsia hoitavat "
        "vanhemmat jäävät ilman opetusta. Päiväaikaan tarvittaisiin ryhmä, jossa on lastenhoito.",
        75,
        SignalStatus.IN_PROGRESS,
    ),
    DemoSignal(
        NGO,
        "health-social",
        SignalTargetGroup.FAMILIES,
        SignalUrgency.NORMAL,
        "Several families with small children have told our volunteers that they do not know how "
        "to book an appointment at the child health clinic without Finnish.",
        40,
        locality="Kirkkonummen keskusta",
    ),
    DemoSignal(
        ASSOCIATION,
        "children-families",
        SignalTargetGroup.FAMILIES,
        SignalUrgency.NORMAL,
        "لاحظنا أن العديد من العائلات لا تعرف كيف تسجل أطفالها في الروضة، ولا تتوفر المعلومات بلغتهم.",
        20,
    ),
    DemoSignal(
        NGO,
        "discrimination",
        SignalTargetGroup.WOMEN,
        SignalUrgency.URGENT,
        "Useat kielikahvilan osallistujat ovat kertoneet kokeneensa häirintää iltaisin "
        "linja-autoasemalla. He välttävät nyt iltaryhmiin tulemista.",
        12,
        SignalStatus.ANSWERED,
        "Kiitos tärkeästä tiedosta. Asia on viety turvallisuusyhteistyöryhmään, ja poliisi ja "
        "kunta lisäävät iltojen valvontaa asemalla. Palaamme asiaan kuukauden kuluttua.",
    ),
    DemoSignal(
        NGO,
        "services-guidance",
        SignalTargetGroup.ALL,
        SignalUrgency.LOW,
        "Neuvontapisteen aukioloajat eivät sovi vuorotyötä tekeville. Yksikin ilta-aukiolo "
        "viikossa auttaisi.",
        3,
    ),
]


def _organisation(sort_name: str) -> Organisation | None:
    return Organisation.objects.filter(sort_name=sort_name).order_by("pk").first()


@transaction.atomic
def load_demo() -> int:
    """Create the demo region's signals data; return how many top-level objects were created."""
    municipality = Municipality.objects.filter(code=MUNICIPALITY).first()
    admin = User.objects.filter(email="admin@kotoverkko.example").first()
    sender = User.objects.filter(email="editor@kotoverkko.example").first()
    coordinator = User.objects.filter(email="coordinator@kotoverkko.example").first()
    if None in (municipality, admin, sender, coordinator, _organisation(MUNICIPALITY_ORGANISATION)):
        return 0  # the organisations' demo data is not in place
    routes = {
        theme: _organisation(ROUTES[theme.slug]) if theme.slug in ROUTES else None
        for theme in SignalTheme.objects.filter(is_active=True)
    }
    services.routing_table_save(municipality=municipality, routes=routes, actor=coordinator)
    if Signal.objects.filter(municipality=municipality).exists():
        return 0
    created = 0
    now = timezone.now()
    for spec in SIGNALS:
        organisation = _organisation(spec.sender)
        if organisation is None:
            continue
        data = services.SignalData(
            sender_organisation=organisation,
            theme=SignalTheme.objects.get(slug=spec.theme),
            municipality=municipality,
            target_group=spec.target_group,
            description=spec.description,
            urgency=spec.urgency,
            locality=spec.locality,
        )
        actor = sender if spec.sender == NGO else admin
        signal = services.signal_send(data=data, actor=actor, notify=False)
        # Spread the demo over months so that the statistics have something to show.
        Signal.objects.filter(pk=signal.pk).update(created_at=now - datetime.timedelta(days=spec.days_ago))
        handler = coordinator if signal.routed_organisation.sort_name == MUNICIPALITY_ORGANISATION else admin
        if spec.answer:
            services.signal_answer(signal=signal, answer=spec.answer, actor=handler, notify=False)
        elif spec.status != SignalStatus.NEW:
            services.signal_change_status(signal=signal, status=spec.status, actor=handler)
        created += 1
    return created

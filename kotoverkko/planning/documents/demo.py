"""Demo data for consultation and the kotoutumisohjelma description (idempotent).

Called from `planning.demo.load_demo()` after the demo programme exists. The closed consultation
is written straight to the tables: the services refuse, on purpose, comments to a closed
consultation, and a demo needs one that has already run its course.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kotoverkko.organisations.models import Organisation, OrganisationKind
from kotoverkko.planning.models import (
    Consultation,
    ConsultationComment,
    ConsultationCommentStatus,
    ConsultationStatus,
    InitialPhaseElement,
    InitialPhasePlan,
    InitialPhasePlanStatus,
    InitialPhaseResponsibility,
    Programme,
)
from kotoverkko.servicepaths.models import ClientGroup

DEMO_CONSULTATION_TITLE = "Kotoutumisohjelman luonnos lausunnolla"
DEMO_PLAN_TITLE = "Espoon seudun kotoutumisohjelman kuvaus"
EMPLOYMENT_AREA = "espoon seudun työllisyysalue"
WELLBEING_COUNTY = "länsi-uudenmaan hyvinvointialue"
EDUCATION = "omnia"
NGO = "kielikahvila ry (demo)"

COMMENTS = [
    {
        "language": "fi",
        "text": "Kielikahviloita kaivataan myös iltaisin, koska moni käy päivällä töissä tai kurssilla.",
        "answer": "Kiitos. Lisäsimme toimenpiteeseen iltaryhmän kahteen kirjastoon.",
        "section": "measure",
    },
    {
        "language": "ar",
        "text": "نحتاج إلى معلومات عن الخدمات باللغة العربية، "
        "خاصة للأمهات اللواتي يبقين في المنزل مع الأطفال.",
        "answer": "Kiitos palautteesta. Yhteiskuntaorientaatiota järjestetään myös arabiaksi, "
        "ja kotiäideille suunnattu ryhmä aloittaa syksyllä.",
        "section": "goal",
    },
    {
        "language": "fi-x-selko",
        "text": "Ohjelma on hyvä. Mutta teksti on vaikea. Tehkää lyhyt selkokielinen versio.",
        "answer": "Teemme ohjelmasta selkokielisen tiivistelmän, kun ohjelma on hyväksytty.",
        "section": "",
    },
    {
        "language": "en",
        "text": "Please include international students and their spouses in the employment measures.",
        "answer": "Thank you. Spouses of students are now named in the target group "
        "of the work-life measure.",
        "section": "goal",
    },
    {
        "language": "fi",
        "text": "Osta halpoja tuotteita nyt! www.example.com www.example.net www.example.org",
        "answer": "",
        "section": "",
        "rejected": "spam",
    },
]

# element slug -> (organiser, partners) for jobseekers' groups and the others.
ORGANISERS = {
    "assessment": (EMPLOYMENT_AREA, [WELLBEING_COUNTY]),
    "integration-plan": (EMPLOYMENT_AREA, [WELLBEING_COUNTY]),
    "civic-orientation": ("", [NGO]),
    "integration-training": (EMPLOYMENT_AREA, [EDUCATION]),
    "other-training": ("", [EDUCATION, NGO]),
    "guidance": ("", [NGO]),
}
# Client groups who are mostly not jobseekers: the municipality organises their services itself.
MUNICIPAL_GROUPS = {"unaccompanied-minors", "students", "family-members"}


def _organisation(sort_name: str) -> Organisation | None:
    return Organisation.objects.filter(sort_name=sort_name).first()


def _demo_programme() -> Programme | None:
    return (
        Programme.objects.filter(owner__kind=OrganisationKind.MUNICIPALITY)
        .order_by("-starts_year", "pk")
        .first()
    )


def _consultation(programme: Programme) -> bool:
    if Consultation.objects.filter(programme=programme, title__fi=DEMO_CONSULTATION_TITLE).exists():
        return False
    now = timezone.now()
    consultation = Consultation.objects.create(
        programme=programme,
        title={"fi": DEMO_CONSULTATION_TITLE, "sv": "Utkastet på remiss", "en": "The draft out for comment"},
        summary={
            "fi": "Kunta valmistelee kotoutumisen edistämisen ohjelmaa. Kerro, mikä on tärkeää.",
            "sv": "Kommunen bereder ett program för främjande av integration. Berätta vad som är viktigt.",
            "en": "The municipality is preparing its integration programme. Tell us what matters to you.",
            "ar": "تعد البلدية برنامجًا لتعزيز الاندماج. أخبرنا بما هو مهم بالنسبة لك.",
        },
        plain_finnish_summary=(
            "Kunta tekee suunnitelman. Suunnitelma auttaa uusia asukkaita. Kerro, mitä mieltä olet."
        ),
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        is_public=True,
        status=ConsultationStatus.PUBLISHED,
    )
    goal = programme.goals.order_by("position", "pk").first()
    measure = programme.measures.order_by("position", "pk").first()
    for index, row in enumerate(COMMENTS):
        rejected = row.get("rejected", "")
        comment = ConsultationComment.objects.create(
            consultation=consultation,
            text=row["text"],
            language=row["language"],
            goal=goal if row["section"] == "goal" else None,
            measure=measure if row["section"] == "measure" else None,
            status=ConsultationCommentStatus.REJECTED if rejected else ConsultationCommentStatus.PUBLISHED,
            rejection_reason=rejected,
            moderated_at=now - datetime.timedelta(days=29),
            answer=row["answer"],
            answered_at=now - datetime.timedelta(days=28) if row["answer"] else None,
        )
        # Spread the comments over the consultation period.
        ConsultationComment.objects.filter(pk=comment.pk).update(
            created_at=now - datetime.timedelta(days=55 - index * 5)
        )
    return True


def _initial_phase_plan(owner: Organisation) -> bool:
    if InitialPhasePlan.objects.filter(owner=owner, title__fi=DEMO_PLAN_TITLE).exists():
        return False
    plan = InitialPhasePlan.objects.create(
        owner=owner,
        title={
            "fi": DEMO_PLAN_TITLE,
            "sv": "Beskrivning av integrationsprogrammet i Esbonejden",
            "en": "Description of the Espoo region kotoutumisohjelma",
        },
        introduction={
            "fi": "Kotoutumisohjelma on tarkoitettu maahan muuttaneille kolmen vuoden ajan ensimmäisestä "
            "oleskeluluvasta. Työnhakijoiden palvelut järjestää työllisyysalue, muiden kunta.",
            "en": "The kotoutumisohjelma serves newcomers for three years from their first permit. The "
            "employment area serves jobseekers and the municipality everyone else.",
        },
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2027, 12, 31),
        status=InitialPhasePlanStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    plan.municipalities.set(["049", "235", "257"])
    day = datetime.date(2025, 1, 1)
    for element in InitialPhaseElement.objects.filter(valid_from__lte=day):
        organiser_name, partner_names = ORGANISERS.get(element.slug, ("", []))
        partners = [found for name in partner_names if (found := _organisation(name))]
        for group in ClientGroup.objects.filter(is_active=True):
            # One cell is left open on purpose: the page's check shows what is missing.
            if element.slug == "other-training" and group.slug == "others":
                continue
            municipal = group.slug in MUNICIPAL_GROUPS or not organiser_name
            organiser = owner if municipal else (_organisation(organiser_name) or owner)
            cell = InitialPhaseResponsibility.objects.create(
                plan=plan,
                element=element,
                client_group=group,
                organiser=organiser,
                delivery={"fi": "Ryhmissä ja yksilöllisesti; tulkkaus tarvittaessa."},
            )
            cell.partners.set([partner for partner in partners if partner.pk != organiser.pk])
    return True


@transaction.atomic
def load_consultation_and_initial_phase_demo() -> int:
    """A closed consultation with answered comments on the demo programme, and a published
    kotoutumisohjelma description for the demo municipality. Returns how many were created."""
    created = 0
    programme = _demo_programme()
    if programme is not None:
        created += _consultation(programme)
    owner = programme.owner if programme is not None else _organisation("espoon kaupunki")
    if owner is not None:
        created += _initial_phase_plan(owner)
    return created

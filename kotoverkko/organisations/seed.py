"""Demo data: Kirkkonummi, Kauniainen and Espoo cooperating, organisations of every type and a
demo user for every role. Idempotent: a second run finds everything in place and changes nothing.

Built through the services, so demo data obeys the same rules as real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kotoverkko.accounts.models import Membership, User
from kotoverkko.accounts.roles import Role
from kotoverkko.accounts.services import membership_grant
from kotoverkko.reference.models import Language, Municipality

from .models import Organisation, OrganisationKind
from .services import OrganisationData, cooperation_area_ensure, organisation_create

DEMO_PASSWORD = "kotoverkko-demo"  # noqa: S105 - published demo credential, seeded only by `make seed`
AREA = ["049", "235", "257"]  # Espoo, Kauniainen, Kirkkonummi


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: dict[str, str]
    kind: str
    home: str | None
    business_id: str = ""
    parent: str | None = None
    languages: tuple[str, ...] = ("fi", "sv", "en")
    served: tuple[str, ...] = tuple(AREA)
    email: str = ""
    website: str = ""
    description: dict[str, str] | None = None


ORGANISATIONS = [
    DemoOrganisation(
        "espoo",
        {"fi": "Espoon kaupunki", "sv": "Esbo stad", "en": "City of Espoo"},
        OrganisationKind.MUNICIPALITY,
        "049",
        business_id="0101263-6",
        served=("049",),
        email="kirjaamo@espoo.example",
        description={
            "fi": "Espoon kaupunki vastaa kotoutumisen edistämisen kokonaisuudesta Espoossa.",
            "sv": "Esbo stad ansvarar för helheten i främjandet av integration i Esbo.",
            "en": "The City of Espoo is responsible for promoting integration in Espoo as a whole.",
        },
    ),
    DemoOrganisation(
        "espoo-integration",
        {
            "fi": "Espoon kotoutumispalvelut",
            "sv": "Esbo integrationstjänster",
            "en": "Espoo integration services",
        },
        OrganisationKind.MUNICIPAL_UNIT,
        "049",
        parent="espoo",
        languages=("fi", "sv", "en", "ar", "so", "ru", "uk"),
        served=("049",),
    ),
    DemoOrganisation(
        "kauniainen",
        {"fi": "Kauniaisten kaupunki", "sv": "Grankulla stad", "en": "City of Kauniainen"},
        OrganisationKind.MUNICIPALITY,
        "235",
        served=("235",),
    ),
    DemoOrganisation(
        "kirkkonummi",
        {"fi": "Kirkkonummen kunta", "sv": "Kyrkslätts kommun", "en": "Municipality of Kirkkonummi"},
        OrganisationKind.MUNICIPALITY,
        "257",
        served=("257",),
    ),
    DemoOrganisation(
        "employment",
        {
            "fi": "Espoon seudun työllisyysalue",
            "sv": "Esbonejdens sysselsättningsområde",
            "en": "Espoo region employment area",
        },
        OrganisationKind.EMPLOYMENT_AUTHORITY,
        "049",
    ),
    DemoOrganisation(
        "county",
        {
            "fi": "Länsi-Uudenmaan hyvinvointialue",
            "sv": "Västra Nylands välfärdsområde",
            "en": "Wellbeing services county of West Uusimaa",
        },
        OrganisationKind.WELLBEING_COUNTY,
        "049",
    ),
    DemoOrganisation(
        "ely",
        {"fi": "Uudenmaan ELY-keskus", "sv": "NTM-centralen i Nyland", "en": "ELY Centre for Uusimaa"},
        OrganisationKind.ELY_CENTRE,
        "091",
    ),
    DemoOrganisation("kela", {"fi": "Kela", "sv": "FPA", "en": "Kela"}, OrganisationKind.KELA, "091"),
    DemoOrganisation(
        "police",
        {
            "fi": "Länsi-Uudenmaan poliisilaitos",
            "sv": "Västra Nylands polisinrättning",
            "en": "Western Uusimaa Police",
        },
        OrganisationKind.POLICE,
        "049",
    ),
    DemoOrganisation(
        "migri",
        {"fi": "Maahanmuuttovirasto", "sv": "Migrationsverket", "en": "Finnish Immigration Service"},
        OrganisationKind.MIGRI,
        "091",
    ),
    DemoOrganisation(
        "college",
        {"fi": "Omnia", "sv": "Omnia", "en": "Omnia"},
        OrganisationKind.EDUCATIONAL_INSTITUTION,
        "049",
        languages=("fi", "sv", "en", "ar"),
    ),
    DemoOrganisation(
        "ngo",
        {
            "fi": "Kielikahvila ry (demo)",
            "sv": "Språkcafé rf (demo)",
            "en": "Language Café Association (demo)",
        },
        OrganisationKind.NGO,
        "257",
        languages=("fi", "ar", "so", "fa"),
        description={
            "fi": "Vapaaehtoisten pyörittämiä kielikahviloita ja läksykerhoja.",
            "ar": "مقاهي لغة ونوادي واجبات منزلية يديرها متطوعون.",
        },
    ),
    DemoOrganisation(
        "immigrant-association",
        {"fi": "Somalialaisten perheiden yhdistys (demo)", "so": "Ururka Qoysaska Soomaaliyeed (demo)"},
        OrganisationKind.IMMIGRANT_ASSOCIATION,
        "049",
        languages=("so", "fi"),
    ),
    DemoOrganisation(
        "parish",
        {"fi": "Espoon seurakuntayhtymä", "sv": "Esbo kyrkliga samfällighet", "en": "Parish Union of Espoo"},
        OrganisationKind.RELIGIOUS_COMMUNITY,
        "049",
    ),
    DemoOrganisation(
        "company",
        {"fi": "Esimerkkiyritys Oy (demo)", "en": "Example Company Ltd (demo)"},
        OrganisationKind.COMPANY,
        "049",
    ),
    DemoOrganisation(
        "other",
        {"fi": "Seudun kotoutumisverkosto (demo)", "en": "Regional integration network (demo)"},
        OrganisationKind.OTHER,
        "235",
    ),
]

# (e-mail, name, organisation key, role): one demo user for every role.
USERS = [
    ("admin@kotoverkko.example", "Alma Admin", "espoo", Role.PLATFORM_ADMIN),
    ("coordinator@kotoverkko.example", "Kaisa Koordinaattori", "kirkkonummi", Role.COORDINATOR),
    ("orgadmin@kotoverkko.example", "Omar Organisaatio", "ngo", Role.ORG_ADMIN),
    ("editor@kotoverkko.example", "Eeva Editori", "ngo", Role.EDITOR),
    ("counsellor@kotoverkko.example", "Noora Neuvoja", "espoo-integration", Role.COUNSELLOR),
    ("viewer@kotoverkko.example", "Ville Vierailija", "kauniainen", Role.VIEWER),
]


def _organisation_named(name_fi: str) -> Organisation | None:
    return next((o for o in Organisation.objects.filter(sort_name=name_fi.casefold())), None)


def _ensure_organisation(
    spec: DemoOrganisation, created: dict[str, Organisation], actor: Any
) -> Organisation:
    first_name = spec.name.get("fi") or next(iter(spec.name.values()))
    existing = _organisation_named(first_name)
    if existing is not None:
        return existing
    data = OrganisationData(
        name=spec.name,
        kind=spec.kind,
        business_id=spec.business_id,
        parent=created.get(spec.parent) if spec.parent else None,
        description=spec.description or {},
        home_municipality=Municipality.objects.get(code=spec.home) if spec.home else None,
        municipalities_served=list(Municipality.objects.filter(code__in=spec.served)),
        languages_served=list(Language.objects.filter(code__in=spec.languages)),
        email=spec.email,
        website=spec.website,
    )
    return organisation_create(data=data, actor=actor)


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo region; returns (e-mail, role, organisation) for every demo sign-in."""
    admin_email, admin_name, _org_key, _role = USERS[0]
    admin = User.objects.filter(email=admin_email).first()
    if admin is None:
        admin = User.objects.create_user(admin_email, DEMO_PASSWORD, full_name=admin_name)

    created: dict[str, Organisation] = {}
    # The platform's first organisation exists before anyone holds a role that may create one,
    # so the system (no actor) creates it; the platform admin creates the rest.
    created[ORGANISATIONS[0].key] = _ensure_organisation(ORGANISATIONS[0], created, None)
    membership_grant(user=admin, organisation=created["espoo"], role=Role.PLATFORM_ADMIN, actor=None)

    for spec in ORGANISATIONS[1:]:
        created[spec.key] = _ensure_organisation(spec, created, admin)

    cooperation_area_ensure(
        name={
            "fi": "Espoon, Kauniaisten ja Kirkkonummen yhteistyöalue",
            "sv": "Samarbetsområdet Esbo, Grankulla och Kyrkslätt",
            "en": "Espoo, Kauniainen and Kirkkonummi cooperation area",
        },
        municipalities=list(Municipality.objects.filter(code__in=AREA)),
        lead=created["espoo"],
        actor=admin,
    )

    sign_ins = []
    for email, name, org_key, role in USERS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name
        )
        if not Membership.objects.filter(user=user, organisation=created[org_key]).exists():
            membership_grant(user=user, organisation=created[org_key], role=role, actor=None)
        sign_ins.append((email, str(role.label), str(created[org_key])))
    return sign_ins

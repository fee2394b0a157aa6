"""Demo data of service paths for `manage.py seed_demo` (idempotent).

Kirkkonummi's coordinator starts the quota-refugee and unaccompanied-minor paths from the law's
templates, through the services, so the demo obeys the same rules and leaves an audit trail.
One step is left without a responsible organisation so the gap report has something to show.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kotoverkko.accounts.models import User
from kotoverkko.reference.models import Municipality

from . import path_templates, services
from .enums import StepKind
from .models import ClientGroup, ServicePath

DEMO_MUNICIPALITY = "257"  # Kirkkonummi, where the demo coordinator works
JOINT_WITH = "235"  # Kauniainen joins the unaccompanied minors' path
COORDINATOR_EMAIL = "coordinator@kotoverkko.example"

CONTACT_POINT = {
    "fi": "Kirkkonummen maahanmuuttajapalvelut (demo), Asematie 14, 02400 Kirkkonummi.\n"
    "Puhelinpalvelu arkisin klo 9–12.",
    "sv": "Kyrkslätts invandrartjänster (demo), Stationsvägen 14, 02400 Kyrkslätt.\n"
    "Telefontjänst vardagar kl. 9–12.",
    "en": "Kirkkonummi immigrant services (demo), Asematie 14, 02400 Kirkkonummi.\n"
    "Telephone service on weekdays 9–12.",
}
INTERPRETING = services.StepData(
    kind=StepKind.OTHER,
    title={"fi": "Tulkkauspalvelut", "sv": "Tolkningstjänster", "en": "Interpreting services"},
    description={
        "fi": "Tulkkauksen järjestäjästä ei ole vielä sovittu.",
        "sv": "Det är ännu inte avtalat vem som ordnar tolkningen.",
        "en": "It has not been agreed yet who arranges interpreting.",
    },
)


def _create_from_template(
    *, actor: User, municipality: Municipality, slug: str, is_public: bool, joint: list[Municipality]
) -> ServicePath | None:
    group = ClientGroup.objects.get(slug=slug)
    existing = ServicePath.objects.filter(municipality=municipality, client_group=group).first()
    if existing is not None:
        return None
    template = path_templates.templates_for(slug, on=timezone.localdate())[0]
    return services.path_create(
        actor=actor,
        municipality=municipality,
        client_group=group,
        template_key=template.key,
        data=services.PathData(is_public=is_public, municipalities=joint),
    )


@transaction.atomic
def load_demo() -> int:
    """Create the demo region's service paths; return how many paths were created."""
    actor = User.objects.filter(email=COORDINATOR_EMAIL).first()
    municipality = Municipality.objects.filter(code=DEMO_MUNICIPALITY).first()
    if actor is None or municipality is None:
        return 0
    created = 0
    quota = _create_from_template(
        actor=actor, municipality=municipality, slug="quota-refugees", is_public=True, joint=[]
    )
    if quota is not None:
        created += 1
        services.step_create(path=quota, data=INTERPRETING, actor=actor)
        arrival = quota.steps.get(template_key="arrival")
        services.step_update_details(
            step=arrival, description=arrival.description, contact_point=CONTACT_POINT, actor=actor
        )
    joint = list(Municipality.objects.filter(code=JOINT_WITH))
    minors = _create_from_template(
        actor=actor, municipality=municipality, slug="unaccompanied-minors", is_public=False, joint=joint
    )
    if minors is not None:
        created += 1
    return created

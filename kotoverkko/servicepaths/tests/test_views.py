from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kotoverkko.accounts.roles import Role
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.models import OrganisationKind
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.servicepaths.demo import load_demo
from kotoverkko.servicepaths.models import ServicePath, ServiceStep
from kotoverkko.servicepaths.tests.factories import create_path, create_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirkkonummi():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


def test_detail__step_without_responsible__gap_summary_and_badge_in_text(client, kirkkonummi):
    path = create_path(is_public=True)
    create_step(path=path, title="Tulkkaus", responsible=None)
    with translation.override("en"):
        html = client.get(reverse("servicepaths:detail", args=[path.pk])).content.decode()
    assert "This path has 1 gap to fix." in html
    assert "Gap: No responsible organisation" in html


def test_detail__interface_step__badge_with_text(client, kirkkonummi):
    county = OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY)
    path = create_path(is_public=True)
    create_step(path=path, responsible=kirkkonummi, partners=(county,))
    with translation.override("en"):
        html = client.get(reverse("servicepaths:detail", args=[path.pk])).content.decode()
    assert "Interface: municipality and wellbeing services county" in html


def test_print__path__no_site_navigation(client, kirkkonummi):
    path = create_path(is_public=True)
    create_step(path=path, title="Tulkkaus", responsible=kirkkonummi)
    html = client.get(reverse("servicepaths:print", args=[path.pk])).content.decode()
    assert "Tulkkaus" in html
    assert 'class="main-nav"' not in html


def test_who_does_what__public_path__responsible_shown_in_phase_column(client, kirkkonummi):
    path = create_path(is_public=True)
    create_step(path=path, title="Suunnitelma", responsible=kirkkonummi)
    html = client.get(reverse("servicepaths:who_does_what", args=["257"])).content.decode()
    assert "Suunnitelma" in html
    assert "Kirkkonummen kunta" in html
    assert "<caption" in html


def test_who_does_what__unpublished_path__anonymous_sees_empty_state(client, kirkkonummi):
    path = create_path(is_public=False)
    create_step(path=path, title="Suunnitelma", responsible=kirkkonummi)
    html = client.get(reverse("servicepaths:who_does_what", args=["257"])).content.decode()
    assert "Suunnitelma" not in html


def test_who_does_what__member_of_area_organisation__sees_unpublished_path(client, kirkkonummi):
    path = create_path(is_public=False)
    create_step(path=path, title="Suunnitelma", responsible=kirkkonummi)
    ngo = OrganisationFactory(home_municipality_id="257")
    client.force_login(member(Role.VIEWER, ngo))
    html = client.get(reverse("servicepaths:who_does_what", args=["257"])).content.decode()
    assert "Suunnitelma" in html


def test_path_detail__national_organisation_named_in_step__its_member_sees_path(client, kirkkonummi):
    kela = OrganisationFactory(kind=OrganisationKind.KELA, home_municipality_id="091")
    path = create_path(is_public=False)
    create_step(path=path, title="Kela-asiat", responsible=kirkkonummi, partners=(kela,))
    client.force_login(member(Role.VIEWER, kela))
    assert client.get(reverse("servicepaths:detail", args=[path.pk])).status_code == 200


def test_create__coordinator_from_template__redirects_to_path_with_steps(client, kirkkonummi):
    client.force_login(member(Role.COORDINATOR, kirkkonummi))
    from kotoverkko.servicepaths.models import ClientGroup

    group = ClientGroup.objects.get(slug="students")
    response = client.post(
        reverse("servicepaths:create"), {"municipality": "257", "client_group": group.pk, "start": "template"}
    )
    path = ServicePath.objects.get()
    assert response.url == reverse("servicepaths:detail", args=[path.pk])
    assert path.steps.count() == 4


def test_create__duplicate__error_on_client_group_field(client, kirkkonummi):
    create_path(group="students")
    client.force_login(member(Role.COORDINATOR, kirkkonummi))
    from kotoverkko.servicepaths.models import ClientGroup

    group = ClientGroup.objects.get(slug="students")
    response = client.post(
        reverse("servicepaths:create"), {"municipality": "257", "client_group": group.pk, "start": "empty"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["client_group"]


def test_step_edit__invalid_anchor__error_shown_and_nothing_saved(client, kirkkonummi):
    path = create_path()
    step = create_step(path=path, title="A")
    client.force_login(member(Role.COORDINATOR, kirkkonummi))
    response = client.post(
        reverse("servicepaths:step_edit", args=[step.pk]),
        {
            "kind": "plan",
            "title_fi": "A",
            "deadline_amount": "3",
            "deadline_unit": "months",
            "deadline_anchor": "step",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deadline_anchor_step"]
    assert ServiceStep.objects.get(pk=step.pk).deadline_amount is None


def test_index__list_of_paths__query_count_does_not_grow_with_paths(
    client, kirkkonummi, django_assert_max_num_queries
):
    for slug in ("students", "others", "family-members"):
        path = create_path(group=slug, is_public=True)
        create_step(path=path, responsible=kirkkonummi)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("servicepaths:index")).status_code == 200


# --- Demo -----------------------------------------------------------------------------------------


def test_load_demo__twice__two_paths_with_one_gap_and_no_duplicates():
    from kotoverkko.organisations.seed import seed_demo

    seed_demo()
    assert load_demo() == 2
    assert load_demo() == 0

    from kotoverkko.servicepaths import selectors

    quota = ServicePath.objects.get(client_group__slug="quota-refugees")
    minors = ServicePath.objects.get(client_group__slug="unaccompanied-minors")
    assert [gap.step.title["en"] for gap in selectors.path_gaps(quota)] == ["Interpreting services"]
    assert minors.steps.count() >= 8
    assert AuditEvent.objects.filter(action="servicepaths.path_created").count() == 2


def test_detail__many_steps__query_count_does_not_grow_with_steps(
    client, kirkkonummi, django_assert_max_num_queries
):
    county = OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY)
    path = create_path()
    for number in range(8):
        create_step(path=path, title=f"Vaihe {number}", responsible=kirkkonummi, partners=(county,))
    client.force_login(member(Role.EDITOR, kirkkonummi))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("servicepaths:detail", args=[path.pk]))
    assert response.status_code == 200

"""The kotoutumisohjelma description: dated elements, the matrix, its check, pages and documents."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document as read_docx

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning.documents import builder, docx_renderer, pdf_renderer
from kotoverkko.planning.documents import initial_phase as services
from kotoverkko.planning.models import (
    InitialPhaseElement,
    InitialPhasePlan,
    InitialPhasePlanStatus,
    InitialPhaseResponsibility,
)
from kotoverkko.servicepaths.models import ClientGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def plan(owner):
    plan = InitialPhasePlan.objects.create(
        owner=owner, title={"fi": "Kotoutumisohjelman kuvaus"}, valid_from=datetime.date(2025, 1, 1)
    )
    plan.municipalities.set(["257"])
    return plan


def test_elements__six_loaded_from_data_with_dates():
    elements = InitialPhaseElement.objects.filter(valid_from=datetime.date(2025, 1, 1))
    assert elements.count() == 6
    civic = elements.get(slug="civic-orientation")
    assert civic.legal_reference == "681/2023 25 §"
    assert civic.is_in_force(datetime.date(2026, 6, 1))


def test_elements__not_in_force_before_the_act():
    assert services.elements_in_force(datetime.date(2024, 12, 31)) == []


def test_matrix__every_cell_missing_until_filled(plan, owner):
    matrix = services.plan_matrix(plan, language="fi")
    groups = ClientGroup.objects.filter(is_active=True).count()
    assert matrix.missing_count == 6 * groups
    coordinator = member(Role.COORDINATOR, owner)
    element = InitialPhaseElement.objects.get(slug="guidance")
    group = ClientGroup.objects.filter(is_active=True).first()
    services.responsibility_set(
        plan=plan,
        element=element,
        client_group=group,
        actor=coordinator,
        organiser=owner,
        delivery={"fi": "Ryhmissä"},
    )
    matrix = services.plan_matrix(plan, language="fi")
    assert matrix.missing_count == 6 * groups - 1
    assert (element.name["fi"], group.name["fi"]) not in services.missing_cells(matrix)


def test_matrix__legal_reference_from_reference_data(plan):
    matrix = services.plan_matrix(plan, language="fi")
    row = next(row for row in matrix.rows if row.element.slug == "civic-orientation")
    assert "Monikielinen yhteiskuntaorientaatio" in row.legal_reference


def test_responsibility_set__coordinator_of_other_municipality__refused(plan):
    outsider = member(Role.COORDINATOR, OrganisationFactory.municipality("049"))
    element = InitialPhaseElement.objects.get(slug="guidance")
    with pytest.raises(ApplicationError):
        services.responsibility_set(
            plan=plan,
            element=element,
            client_group=ClientGroup.objects.first(),
            actor=outsider,
            organiser=None,
        )
    assert not InitialPhaseResponsibility.objects.exists()


def test_detail__draft_hidden_from_public_published_shown(client, plan, owner):
    url = reverse("planning:document_initial_phase_detail", args=[plan.pk])
    assert client.get(url).status_code == 404
    services.plan_set_status(
        plan=plan, actor=member(Role.COORDINATOR, owner), status=InitialPhasePlanStatus.PUBLISHED
    )
    html = client.get(url).content.decode()
    assert "Kotoutumisohjelman kuvaus" in html
    assert "Not decided" in html or "Ei päätetty" in html


def test_cell_page__coordinator_names_the_organiser(client, plan, owner):
    client.force_login(member(Role.COORDINATOR, owner))
    element = InitialPhaseElement.objects.get(slug="assessment")
    group = ClientGroup.objects.filter(is_active=True).first()
    url = reverse("planning:document_initial_phase_cell", args=[plan.pk, element.pk, group.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organiser": str(owner.pk), "delivery_fi": "Yksilöllisesti, tulkin kanssa"})
    assert response.status_code == 302
    cell = InitialPhaseResponsibility.objects.get()
    assert (cell.organiser, cell.delivery) == (owner, {"fi": "Yksilöllisesti, tulkin kanssa"})


def test_create_page__coordinator_starts_a_description(client, owner):
    client.force_login(member(Role.COORDINATOR, owner))
    response = client.post(
        reverse("planning:document_initial_phase_create"),
        {
            "owner": str(owner.pk),
            "title_fi": "Uusi kuvaus",
            "municipalities": ["257"],
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert InitialPhasePlan.objects.get().owner == owner


def test_document__docx_and_pdf_name_the_organiser(plan, owner):
    element = InitialPhaseElement.objects.get(slug="integration-training")
    group = ClientGroup.objects.filter(is_active=True).first()
    employment = OrganisationFactory(name={"fi": "Espoon seudun työllisyysalue"})
    services.responsibility_set(
        plan=plan,
        element=element,
        client_group=group,
        actor=member(Role.COORDINATOR, owner),
        organiser=employment,
    )
    content = builder.initial_phase_document(plan, language="fi")
    document = read_docx(io.BytesIO(docx_renderer.render_docx(content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Espoon seudun työllisyysalue" in cells
    assert len(document.tables) == 6
    assert pdf_renderer.render_pdf(content).startswith(b"%PDF")

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning import services

from .factories import add_measure, adopt, create_programme, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = OrganisationFactory.municipality("257")
    ngo = OrganisationFactory(name={"fi": "Kielikahvila ry"})
    coordinator = member(Role.COORDINATOR, owner)
    programme = create_programme(owner, coordinator=coordinator)
    ngo_measure = add_measure(programme, organisation=ngo, actor=coordinator, title="Läksykerho")
    own_measure = add_measure(programme, organisation=owner, actor=coordinator, title="Koulutus")
    return {
        "owner": owner,
        "ngo": ngo,
        "coordinator": coordinator,
        "programme": programme,
        "ngo_measure": ngo_measure,
        "own_measure": own_measure,
    }


def test_create__coordinator__draft_with_checklist(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("planning:create"),
        {
            "title_fi": "Uusi ohjelma",
            "owner": world["owner"].pk,
            "mode": "strategy",
            "starts_year": 2026,
            "ends_year": 2029,
        },
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Uusi ohjelma" in page.text
    assert "Kunta määrittelee vastuutahon" in page.text or "responsible party" in page.text


def test_create__end_before_start__error_on_field(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("planning:create"),
        {
            "title_fi": "X",
            "owner": world["owner"].pk,
            "mode": "separate",
            "starts_year": 2029,
            "ends_year": 2026,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_year"]


def test_public_detail__shows_status_of_latest_compiled_round_only(client, world):
    programme, coordinator = world["programme"], world["coordinator"]
    adopt(programme, actor=coordinator)
    first = open_round(programme, actor=coordinator)
    services.measure_report(
        actor=coordinator,
        monitoring_round=first,
        measure=world["ngo_measure"],
        status="delayed",
        comment="Tila puuttuu",
    )
    services.round_compile(actor=coordinator, monitoring_round=first, summary="")
    second = open_round(programme, actor=coordinator)
    services.measure_report(
        actor=coordinator,
        monitoring_round=second,
        measure=world["ngo_measure"],
        status="done",
        comment="Luonnos",
    )
    response = client.get(reverse("planning:public_detail", args=[programme.pk]))
    assert "Tila puuttuu" in response.text
    assert "Luonnos" not in response.text


def test_round_detail__ngo_editor__can_update_only_own_measure(client, world):
    programme, coordinator = world["programme"], world["coordinator"]
    adopt(programme, actor=coordinator)
    monitoring_round = open_round(programme, actor=coordinator)
    editor = member(Role.EDITOR, world["ngo"])
    client.force_login(editor)
    response = client.get(reverse("planning:round_detail", args=[monitoring_round.pk]))
    assert response.status_code == 200
    own_url = reverse("planning:measure_report", args=[monitoring_round.pk, world["ngo_measure"].pk])
    other_url = reverse("planning:measure_report", args=[monitoring_round.pk, world["own_measure"].pk])
    assert own_url in response.text
    assert other_url not in response.text
    assert client.post(other_url, {"status": "done"}).status_code == 404
    assert client.post(own_url, {"status": "done", "comment": "Valmis"}).status_code == 302
    world["ngo_measure"].refresh_from_db()
    assert world["ngo_measure"].status == "done"


def test_compare__shows_before_and_after(client, world):
    programme, coordinator = world["programme"], world["coordinator"]
    adopt(programme, actor=coordinator)
    revision = services.programme_revise(actor=coordinator, programme=programme)
    measure = revision.measures.get(title__fi="Koulutus")
    services.measure_save(
        actor=coordinator, programme=revision, measure=measure, values={"title": {"fi": "Täydennyskoulutus"}}
    )
    client.force_login(coordinator)
    response = client.get(reverse("planning:compare", args=[revision.pk]))
    assert "Koulutus" in response.text
    assert "Täydennyskoulutus" in response.text


def test_checklist_link__situation_step_links_to_area(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("planning:detail", args=[world["programme"].pk]))
    assert reverse("situation:area", args=["257"]) in response.text


def test_detail__ngo_editor__checklist_links_only_where_they_may_go(client, world):
    adopt_url = reverse("planning:adopt", args=[world["programme"].pk])
    client.force_login(member(Role.EDITOR, world["ngo"]))
    assert (
        f'href="{adopt_url}"' not in client.get(reverse("planning:detail", args=[world["programme"].pk])).text
    )

    client.force_login(world["coordinator"])
    assert f'href="{adopt_url}"' in client.get(reverse("planning:detail", args=[world["programme"].pk])).text

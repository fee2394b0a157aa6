"""Signal pages as a user notices them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.seed import seed_demo
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.signals import demo, services
from kotoverkko.signals.models import Signal, SignalRoute
from kotoverkko.signals.tests.factories import send_signal, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirkkonummi():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def ngo():
    return OrganisationFactory(name={"fi": "Kielikahvila ry"}, home_municipality_id="257")


def _form(ngo, description: str) -> dict:
    return {
        "sender_organisation": ngo.pk,
        "theme": theme().pk,
        "municipality": "257",
        "target_group": "families",
        "urgency": "high",
        "description": description,
    }


def test_send__phone_number_in_text__refused_with_masked_fragment_nothing_stored(client, kirkkonummi, ngo):
    client.force_login(member(Role.VIEWER, ngo))
    response = client.post(
        "/en/signals/new/", _form(ngo, "Perhe tarvitsee apua.\nSoita äidille 040 123 4567.")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2 contains a telephone number (&quot;040 *** ****&quot;)." in html
    assert 'aria-invalid="true"' in html
    assert "4567" not in html.replace("040 123 4567", "")  # only the user's own input echoes it
    assert not Signal.objects.exists()


def test_send__clean_text__routed_and_shown_to_sender(client, kirkkonummi, ngo):
    client.force_login(member(Role.VIEWER, ngo))
    response = client.post(reverse("signals:send"), _form(ngo, "Iltakursseille ei mahdu."), follow=True)
    signal = Signal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("signals:detail", args=[signal.pk])
    assert "Kirkkonummen kunta" in response.content.decode()
    assert signal.routed_organisation == kirkkonummi


def test_detail__sender_sees_answer_but_no_handling_forms(client, kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    services.signal_answer(
        signal=signal,
        answer="Lisäämme ryhmiä syksyllä.",
        actor=member(Role.COORDINATOR, kirkkonummi),
        notify=False,
    )
    client.force_login(member(Role.EDITOR, ngo))
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Lisäämme ryhmiä syksyllä." in html
    assert 'name="answer"' not in html
    assert 'name="status"' not in html


def test_inbox__status_filter_and_htmx_fragment(client, kirkkonummi, ngo):
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    first = send_signal(sender=ngo)
    second = send_signal(sender=ngo, theme_slug="employment")
    services.signal_change_status(signal=second, status="received", actor=handler)
    client.force_login(handler)
    response = client.get(reverse("signals:inbox"), {"status": "received"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f"/signals/{second.pk}/" in html
    assert f"/signals/{first.pk}/" not in html
    assert "<h1>" not in html


def test_inbox__query_budget_does_not_grow_with_signals(
    client, kirkkonummi, ngo, django_assert_max_num_queries
):
    for _index in range(15):
        send_signal(sender=ngo)
    client.force_login(member(Role.ORG_ADMIN, kirkkonummi))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("signals:inbox")).status_code == 200


def test_statistics_csv__counts_by_theme_and_month(client, kirkkonummi, ngo):
    send_signal(sender=ngo)
    send_signal(sender=ngo)
    client.force_login(member(Role.COORDINATOR, kirkkonummi))
    response = client.get("/en/signals/statistics.csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "Period start,Theme,Theme identifier,Signals"
    assert lines[1].endswith(",Housing,housing,2")


def test_routing_page__coordinator_saves_route(client, kirkkonummi):
    county = OrganisationFactory(home_municipality_id="257", name={"fi": "Hyvinvointialue"})
    client.force_login(member(Role.COORDINATOR, kirkkonummi))
    response = client.post(
        reverse("signals:routing"), {"municipality": "257", "theme_health-social": county.pk}
    )
    assert response.status_code == 302
    assert SignalRoute.objects.get().organisation == county


def test_load_demo__idempotent_with_answers_and_routing():
    seed_demo()
    assert demo.load_demo() == 7
    assert demo.load_demo() == 0
    assert Signal.objects.count() == 7
    assert Signal.objects.filter(status="answered").count() == 2
    assert SignalRoute.objects.filter(municipality_id="257").count() == 3

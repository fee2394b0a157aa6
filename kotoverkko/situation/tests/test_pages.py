"""The situation pages: the area page in fi/sv/en, the index, query count, findings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from kotoverkko.accounts.roles import Role
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.situation.models import Finding, FindingQuestion

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    factories.demo_languages()
    factories.population_dataset()
    factories.jobseekers_dataset()


def _url(name: str, *args, language: str = "fi") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_area_page__each_language__shows_numbers_and_synthetic_label(client, data, language):
    response = client.get(_url("situation:area", "049", language=language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("Synthetic demo data — not real statistics") in html
    assert 'role="img"' in html
    assert "<caption" in html
    assert 'href="' + _url("situation:chart_csv", "049", "trend", language=language) + '"' in html


def test_area_page__english__shows_sections(client, data):
    html = client.get(_url("situation:area", "049", language="en")).content.decode()
    assert "Foreign-language speakers" in html
    assert "Largest language groups" in html
    assert "least squares" in html
    assert "Foreign jobseekers" in html
    assert "Data as of" in html
    assert "Source: Statistics Finland" in html
    assert "CC BY 4.0" in html


def test_area_page__country__shows_pyramid(client, data):
    html = client.get(_url("situation:area", "SSS", language="en")).content.decode()
    assert "Age structure" in html
    assert "Population by age and sex" in html


def test_area_page__group__sums_and_marks_suppression(client):
    factories.language_dataset(lambda c: None if c["area"] == "KU235" and c["language"] == "so" else 10)
    html = client.get(_url("situation:area", "049+235", language="en")).content.decode()
    assert "at least" in html
    assert "Espoo" in html
    assert "Kauniainen" in html


@pytest.mark.parametrize("area", ["999", "MK99", "HV77", "049+999", "nonsense", "KU049"])
def test_area_page__unknown_area__404(client, area):
    assert client.get(_url("situation:area", area)).status_code == 404


def test_area_page__region_and_county__200(client, data):
    assert client.get(_url("situation:area", "MK01")).status_code == 200
    assert client.get(_url("situation:area", "HV03")).status_code == 200


def test_area_page__no_data__200_with_notice(client):
    response = client.get(_url("situation:area", "257", language="en"))
    assert response.status_code == 200
    assert "no statistics" in response.content.decode()


def test_area_page__queries__bounded(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(_url("situation:area", "049")).status_code == 200


def test_index__choose_municipality__redirects(client):
    response = client.get(_url("situation:index"), {"municipality": "049"})
    assert response.status_code == 302
    assert response.url == _url("situation:area", "049")


def test_index__plain__lists_links(client):
    html = client.get(_url("situation:index")).content.decode()
    assert _url("situation:area", "049+235+257") in html
    assert _url("situation:area", "SSS") in html


def test_chart_csv__unknown_chart__404(client, data):
    assert client.get(_url("situation:chart_csv", "049", "nonsense")).status_code == 404


# --- Findings ---------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "question": FindingQuestion.NEEDS,
        "text_fi": "Kielikahvilassa tarvitaan lastenhoitoa.",
        "text_other_0_lang": "ar",
        "text_other_0_text": "نحتاج رعاية الأطفال",
        "source": "Kävijäkysely 2024",
        "observed_on": "2024-05-01",
    }
    return data | overrides


def test_finding_create__coordinator__saved_audited_and_shown(client):
    organisation = OrganisationFactory.municipality("049")
    client.force_login(member(Role.COORDINATOR, organisation))
    response = client.post(_url("situation:finding_create", "049"), _form())
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.municipality_id == "049"
    assert finding.organisation == organisation
    assert finding.text == {"fi": "Kielikahvilassa tarvitaan lastenhoitoa.", "ar": "نحتاج رعاية الأطفال"}
    assert AuditEvent.objects.filter(action="finding.created", object_id=str(finding.pk)).exists()
    html = client.get(_url("situation:area", "049")).content.decode()
    assert "Kielikahvilassa tarvitaan lastenhoitoa." in html
    assert 'lang="fi" dir="ltr"' in html


def test_finding_create__arabic_only__rtl(client):
    organisation = OrganisationFactory.municipality("049")
    factories.finding("049", organisation, text={"ar": "نحتاج"})
    html = client.get(_url("situation:area", "049")).content.decode()
    assert 'lang="ar" dir="rtl"' in html


def test_finding_create__no_text__error(client):
    client.force_login(member(Role.COORDINATOR, OrganisationFactory.municipality("049")))
    response = client.post(
        _url("situation:finding_create", "049"), _form(text_fi="", text_other_0_lang="", text_other_0_text="")
    )
    assert response.status_code == 200
    assert not Finding.objects.exists()


def test_finding_edit__coordinator__updated_and_audited(client):
    organisation = OrganisationFactory.municipality("049")
    finding = factories.finding("049", organisation)
    client.force_login(member(Role.COORDINATOR, organisation))
    response = client.post(_url("situation:finding_edit", finding.pk), _form(source="Uusi lähde"))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.source == "Uusi lähde"
    assert finding.observed_on == datetime.date(2024, 5, 1)
    event = AuditEvent.objects.get(action="finding.updated")
    assert event.changes["source"]["to"] == "Uusi lähde"


def test_finding_delete__coordinator__deleted_and_audited(client):
    organisation = OrganisationFactory.municipality("049")
    finding = factories.finding("049", organisation)
    client.force_login(member(Role.COORDINATOR, organisation))
    response = client.post(_url("situation:finding_delete", finding.pk))
    assert response.status_code == 302
    assert not Finding.objects.exists()
    assert AuditEvent.objects.filter(action="finding.deleted").exists()


def test_finding_edit__coordinator_of_other_municipality__404(client):
    finding = factories.finding("049", OrganisationFactory.municipality("049"))
    client.force_login(member(Role.COORDINATOR, OrganisationFactory.municipality("257")))
    assert client.post(_url("situation:finding_edit", finding.pk), _form()).status_code == 404
    assert client.post(_url("situation:finding_delete", finding.pk)).status_code == 404
    assert Finding.objects.count() == 1


def test_finding_create__platform_admin__allowed_anywhere(client):
    client.force_login(member(Role.PLATFORM_ADMIN, OrganisationFactory()))
    assert client.post(_url("situation:finding_create", "257"), _form()).status_code == 302
    assert Finding.objects.get().municipality_id == "257"


def test_finding_create__region__404(client):
    client.force_login(member(Role.PLATFORM_ADMIN, OrganisationFactory()))
    assert client.get(_url("situation:finding_create", "MK01")).status_code == 404


def test_area_page__coordinator__sees_signal_counts_by_theme_but_not_their_text(client):
    from kotoverkko.signals.tests.factories import DESCRIPTION, send_signal

    municipality = OrganisationFactory.municipality("257")
    ngo = OrganisationFactory(name={"fi": "Monikulttuurinen yhdistys ry"})
    send_signal(sender=ngo, theme_slug="housing")
    send_signal(sender=ngo, theme_slug="housing")
    client.force_login(member(Role.COORDINATOR, municipality))

    text = client.get(reverse("situation:area", args=["257"])).content.decode()

    assert translation.gettext("Signals from the field") in text
    assert ">2</td>" in text
    assert DESCRIPTION not in text


def test_area_page__anonymous__no_signal_section(client):
    from kotoverkko.signals.tests.factories import send_signal

    OrganisationFactory.municipality("257")
    send_signal(sender=OrganisationFactory(name={"fi": "Yhdistys ry"}))

    text = client.get(reverse("situation:area", args=["257"])).content.decode()

    assert translation.gettext("Signals from the field") not in text

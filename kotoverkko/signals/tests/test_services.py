"""Signal services: routing, the guard, the workflow, notifications and the audit trail."""

from __future__ import annotations

import pytest

from kotoverkko.accounts.roles import Role
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.reference.models import Municipality
from kotoverkko.signals import services
from kotoverkko.signals.enums import SignalStatus
from kotoverkko.signals.models import Signal, SignalRoute
from kotoverkko.signals.tests.factories import DESCRIPTION, send_signal, signal_data, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirkkonummi():
    return OrganisationFactory.municipality("257", name={"fi": "Kirkkonummen kunta"})


@pytest.fixture
def ngo():
    return OrganisationFactory(name={"fi": "Kielikahvila ry"}, home_municipality_id="257")


def _serving_257(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    organisation.municipalities_served.set(Municipality.objects.filter(code="257"))
    return organisation


def _events(signal: Signal, action: str):
    return AuditEvent.objects.filter(object_type="signals.signal", object_id=str(signal.pk), action=action)


def test_signal_send__no_route__goes_to_municipality_organisation(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    assert signal.routed_organisation == kirkkonummi
    assert signal.status == SignalStatus.NEW


def test_signal_send__route_for_theme__goes_to_that_organisation(kirkkonummi, ngo):
    county = _serving_257(name={"fi": "Hyvinvointialue"})
    SignalRoute.objects.create(municipality_id="257", theme=theme("health-social"), organisation=county)
    assert send_signal(sender=ngo, theme_slug="health-social").routed_organisation == county
    assert send_signal(sender=ngo, theme_slug="housing").routed_organisation == kirkkonummi


def test_signal_send__municipality_without_organisation__refused(ngo):
    with pytest.raises(ApplicationError) as error:
        send_signal(sender=ngo, municipality="091")
    assert error.value.code == services.SignalErrorCode.NO_RECIPIENT
    assert not Signal.objects.exists()


def test_signal_send__personal_data__refused_nothing_stored_nor_audited(kirkkonummi, ngo):
    with pytest.raises(ApplicationError) as error:
        send_signal(sender=ngo, description="Soita äidille 040 123 4567", locality="a@b.fi")
    assert error.value.code == services.SignalErrorCode.PERSONAL_DATA
    assert set(error.value.fields) == {"description", "locality"}
    assert not Signal.objects.exists()
    assert not AuditEvent.objects.filter(object_type="signals.signal").exists()


def test_signal_send__member_of_another_organisation__refused(kirkkonummi, ngo):
    outsider = member(Role.EDITOR)
    with pytest.raises(ApplicationError):
        services.signal_send(data=signal_data(sender=ngo), actor=outsider, notify=False)


def test_signal_send__audit_names_fields_but_never_the_text(kirkkonummi, ngo):
    signal = send_signal(sender=ngo, locality="Masala")
    event = _events(signal, "signal.sent").get()
    assert event.organisation_id == ngo.pk
    assert event.municipality_code == "257"
    assert event.changes["description"] == {"from": "[redacted]", "to": "[redacted]"}
    assert event.changes["routed_organisation"]["to"] == kirkkonummi.pk
    stored = str(event.changes) + event.object_repr
    assert DESCRIPTION not in stored
    assert "Masala" not in stored


def test_signal_send__handlers_emailed_after_commit_without_the_text(
    kirkkonummi, ngo, mailoutbox, django_capture_on_commit_callbacks
):
    handler = member(Role.ORG_ADMIN, kirkkonummi, email="handler@example.fi")
    member(Role.EDITOR, kirkkonummi, email="editor@example.fi")  # may not handle signals
    sender = member(Role.VIEWER, ngo)
    with django_capture_on_commit_callbacks(execute=True):
        signal = services.signal_send(data=signal_data(sender=ngo), actor=sender)
    [mail] = mailoutbox
    assert mail.to == [handler.email]
    assert f"/signals/{signal.pk}/" in mail.body
    assert "Asuminen" in mail.body
    assert DESCRIPTION not in mail.body


def test_signal_answer__sender_emailed_and_status_answered(
    kirkkonummi, ngo, mailoutbox, django_capture_on_commit_callbacks
):
    sender = member(Role.VIEWER, ngo, email="sender@example.fi")
    signal = send_signal(sender=ngo, actor=sender)
    handler = member(Role.COORDINATOR, kirkkonummi)
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_answer(signal=signal, answer="Kiitos, korjaamme asian.", actor=handler)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ANSWERED
    assert signal.answered_at is not None
    [mail] = mailoutbox
    assert mail.to == ["sender@example.fi"]
    assert "Kiitos, korjaamme" not in mail.body
    event = _events(signal, "signal.answered").get()
    assert event.changes["answer"] == {"from": "[redacted]", "to": "[redacted]"}
    assert event.changes["status"] == {"from": "new", "to": "answered"}


def test_signal_answer__personal_data__refused_and_answer_unchanged(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    with pytest.raises(ApplicationError) as error:
        services.signal_answer(
            signal=signal, answer="Soita 09-1234567", actor=member(Role.COORDINATOR, kirkkonummi)
        )
    assert list(error.value.fields) == ["answer"]
    signal.refresh_from_db()
    assert (signal.status, signal.answer) == (SignalStatus.NEW, "")


def test_signal_answer__handler_of_other_organisation__refused(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    with pytest.raises(ApplicationError) as error:
        services.signal_answer(signal=signal, answer="Hei", actor=member(Role.ORG_ADMIN))
    assert error.value.code == services.SignalErrorCode.NOT_ALLOWED


def test_signal_answer__closed__refused(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    services.signal_change_status(signal=signal, status=SignalStatus.CLOSED, actor=handler)
    with pytest.raises(ApplicationError) as error:
        services.signal_answer(signal=signal, answer="Myöhässä", actor=handler)
    assert error.value.code == services.SignalErrorCode.NOT_ANSWERABLE


def test_signal_answer__again__answer_corrected_and_audited_as_change(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    services.signal_answer(signal=signal, answer="Ensimmäinen", actor=handler, notify=False)
    services.signal_answer(signal=signal, answer="Korjattu", actor=handler, notify=False)
    assert Signal.objects.get().answer == "Korjattu"
    assert _events(signal, "signal.answer_changed").count() == 1


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([SignalStatus.RECEIVED, SignalStatus.IN_PROGRESS, SignalStatus.CLOSED], True),
        ([SignalStatus.CLOSED, SignalStatus.IN_PROGRESS], True),
        ([SignalStatus.RECEIVED, SignalStatus.NEW], False),
        ([SignalStatus.ANSWERED], False),  # answering needs the answer text
    ],
)
def test_signal_change_status__workflow(kirkkonummi, ngo, path, allowed):
    signal = send_signal(sender=ngo)
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    if allowed:
        for status in path:
            services.signal_change_status(signal=signal, status=status, actor=handler)
        assert Signal.objects.get().status == path[-1]
        assert _events(signal, "signal.status_changed").count() == len(path)
    else:
        for status in path[:-1]:
            services.signal_change_status(signal=signal, status=status, actor=handler)
        with pytest.raises(ApplicationError):
            services.signal_change_status(signal=signal, status=path[-1], actor=handler)


def test_signal_reroute__to_serving_organisation__new_there_and_notified(
    kirkkonummi, ngo, mailoutbox, django_capture_on_commit_callbacks
):
    county = _serving_257(name={"fi": "Hyvinvointialue"})
    member(Role.ORG_ADMIN, county, email="county@example.fi")
    signal = send_signal(sender=ngo)
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    services.signal_change_status(signal=signal, status=SignalStatus.RECEIVED, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_reroute(signal=signal, organisation=county, actor=handler)
    signal.refresh_from_db()
    assert (signal.routed_organisation, signal.status) == (county, SignalStatus.NEW)
    assert [mail.to for mail in mailoutbox] == [["county@example.fi"]]
    event = _events(signal, "signal.rerouted").get()
    assert event.changes["routed_organisation"] == {"from": kirkkonummi.pk, "to": county.pk}


def test_signal_reroute__organisation_not_serving_municipality__refused(kirkkonummi, ngo):
    signal = send_signal(sender=ngo)
    elsewhere = OrganisationFactory(home_municipality_id="091")
    with pytest.raises(ApplicationError) as error:
        services.signal_reroute(
            signal=signal, organisation=elsewhere, actor=member(Role.ORG_ADMIN, kirkkonummi)
        )
    assert error.value.code == services.SignalErrorCode.NOT_SERVING


def test_routing_table_save__coordinator__sets_changes_and_clears_with_audit(kirkkonummi):
    coordinator = member(Role.COORDINATOR, kirkkonummi)
    county = _serving_257()
    municipality = Municipality.objects.get(code="257")
    changed = services.routing_table_save(
        municipality=municipality, routes={theme("housing"): county, theme("other"): None}, actor=coordinator
    )
    assert changed == 1
    assert SignalRoute.objects.get().organisation == county
    assert (
        services.routing_table_save(
            municipality=municipality, routes={theme("housing"): None}, actor=coordinator
        )
        == 1
    )
    assert not SignalRoute.objects.exists()
    assert AuditEvent.objects.filter(action="signal_route.changed", municipality_code="257").count() == 2


def test_routing_table_save__coordinator_of_other_municipality__refused(kirkkonummi):
    other = member(Role.COORDINATOR, OrganisationFactory.municipality("049"))
    with pytest.raises(ApplicationError):
        services.routing_table_save(
            municipality=Municipality.objects.get(code="257"), routes={theme(): _serving_257()}, actor=other
        )

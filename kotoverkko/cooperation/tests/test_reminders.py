"""Reminders of action items and agreements: who gets them, when, and only once per date."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from kotoverkko.accounts.roles import Role
from kotoverkko.cooperation.enums import ActionItemStatus, AgreementStatus
from kotoverkko.cooperation.tasks import queue_reminders
from kotoverkko.cooperation.tests.factories import ActionItemFactory, AgreementFactory, BodyFactory
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def ngo():
    organisation = OrganisationFactory(name={"fi": "Kielikahvila ry"})
    member(Role.ORG_ADMIN, organisation, email="admin@ngo.example")
    member(Role.EDITOR, organisation, email="editor@ngo.example")
    return organisation


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_action_item__due_within_window__owner_admins_reminded_once(ngo, django_capture_on_commit_callbacks):
    item = ActionItemFactory(owner=ngo, due_on=TODAY + datetime.timedelta(days=5), title="Kartoita tilat")
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_reminders(on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_reminders(on=TODAY)
    item.refresh_from_db()
    assert (first.action_items_due, second.total) == (1, 0)
    assert _recipients() == ["admin@ngo.example"]
    assert "Kartoita tilat" in mail.outbox[0].subject
    assert item.due_reminder_sent_for == item.due_on


def test_action_item__due_later_than_window__not_reminded(ngo, settings):
    settings.COOPERATION_ACTION_ITEM_REMINDER_DAYS = 3
    ActionItemFactory(owner=ngo, due_on=TODAY + datetime.timedelta(days=5))
    assert queue_reminders(on=TODAY).total == 0


def test_action_item__overdue__reminded_once_then_again_after_new_due_date(
    ngo, django_capture_on_commit_callbacks
):
    item = ActionItemFactory(owner=ngo, due_on=TODAY - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_reminders(on=TODAY).action_items_overdue == 1
    assert queue_reminders(on=TODAY + datetime.timedelta(days=1)).total == 0
    item.due_on = TODAY  # postponed, and overdue again two days later
    item.save()
    assert queue_reminders(on=TODAY + datetime.timedelta(days=2)).action_items_overdue == 1
    with translation.override("fi"):
        assert mail.outbox[0].subject == gettext("Overdue action item: %(title)s") % {"title": item.title}


def test_action_item__done__never_reminded(ngo):
    ActionItemFactory(owner=ngo, due_on=TODAY + datetime.timedelta(days=1), status=ActionItemStatus.DONE)
    ActionItemFactory(owner=ngo, due_on=TODAY - datetime.timedelta(days=1), status=ActionItemStatus.CANCELLED)
    assert queue_reminders(on=TODAY).total == 0


def test_agreement__review_within_60_days__manager_coordinator_reminded(django_capture_on_commit_callbacks):
    municipality = OrganisationFactory.municipality("257")
    member(Role.COORDINATOR, municipality, email="koordinaattori@kunta.example", preferred_language="sv")
    member(Role.VIEWER, municipality, email="viewer@kunta.example")
    AgreementFactory(owner=municipality, review_on=TODAY + datetime.timedelta(days=45), valid_until=None)
    with django_capture_on_commit_callbacks(execute=True):
        queued = queue_reminders(on=TODAY)
    assert queued.agreement_reviews == 1
    assert _recipients() == ["koordinaattori@kunta.example"]
    assert "wellbeing" not in mail.outbox[0].body  # written in Swedish, the recipient's language


def test_agreement__expiry_within_14_days__reminded_once(django_capture_on_commit_callbacks):
    municipality = OrganisationFactory.municipality("257")
    member(Role.ORG_ADMIN, municipality, email="admin@kunta.example")
    AgreementFactory(owner=municipality, review_on=None, valid_until=TODAY + datetime.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_reminders(on=TODAY).agreement_expiries == 1
        assert queue_reminders(on=TODAY).total == 0
    assert len(mail.outbox) == 1


def test_agreement__ended__not_reminded():
    AgreementFactory(status=AgreementStatus.ENDED, review_on=TODAY + datetime.timedelta(days=1))
    assert queue_reminders(on=TODAY).total == 0


def test_command__runs_and_reports(ngo, capsys):
    BodyFactory()
    call_command("cooperation_reminders")
    assert "Reminders queued" in capsys.readouterr().out

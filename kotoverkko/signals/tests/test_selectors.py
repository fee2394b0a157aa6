"""The counts other areas use, and the access-scoped lists."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.signals import selectors
from kotoverkko.signals.models import Signal
from kotoverkko.signals.selectors import SignalCount
from kotoverkko.signals.tests.factories import send_signal

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def _sent_on(signal: Signal, day: datetime.datetime) -> None:
    Signal.objects.filter(pk=signal.pk).update(created_at=day)


@pytest.fixture
def counted():
    OrganisationFactory.municipality("257")
    OrganisationFactory.municipality("049")
    ngo = OrganisationFactory()
    for day, slug, code in [
        (datetime.datetime(2025, 1, 5, 12, tzinfo=HELSINKI), "housing", "257"),
        (datetime.datetime(2025, 1, 31, 23, 30, tzinfo=HELSINKI), "housing", "257"),  # UTC: still January
        (datetime.datetime(2025, 2, 1, 0, 30, tzinfo=HELSINKI), "housing", "257"),  # UTC: still January 31
        (datetime.datetime(2025, 3, 10, tzinfo=HELSINKI), "employment", "257"),
        (datetime.datetime(2025, 4, 1, tzinfo=HELSINKI), "employment", "257"),
        (datetime.datetime(2025, 1, 10, tzinfo=HELSINKI), "housing", "049"),
    ]:
        _sent_on(send_signal(sender=ngo, theme_slug=slug, municipality=code), day)


def test_signal_counts__by_month__helsinki_months_and_localized_labels(counted):
    with translation.override("en"):
        counts = selectors.signal_counts(
            municipality_codes=["257"], start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31)
        )
    assert counts == [
        SignalCount("housing", "Housing", datetime.date(2025, 1, 1), 2),
        SignalCount("housing", "Housing", datetime.date(2025, 2, 1), 1),
        SignalCount("employment", "Employment", datetime.date(2025, 3, 1), 1),
    ]


def test_signal_counts__by_quarter__all_municipalities(counted):
    counts = selectors.signal_counts(
        municipality_codes=None,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        period="quarter",
    )
    assert [(c.theme_slug, c.period_start, c.count) for c in counts] == [
        ("housing", datetime.date(2025, 1, 1), 4),
        ("employment", datetime.date(2025, 1, 1), 1),
        ("employment", datetime.date(2025, 4, 1), 1),
    ]


def test_signal_counts__unknown_period__value_error():
    with pytest.raises(ValueError, match="week"):
        selectors.signal_counts(
            municipality_codes=None,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 1, 2),
            period="week",
        )


def test_signal_counts_by_theme__most_first(counted):
    with translation.override("fi"):
        rows = selectors.signal_counts_by_theme(
            municipality_codes=["257", "049"],
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
        )
    assert rows == [("Asuminen", "housing", 4), ("Työllistyminen", "employment", 2)]


def test_signal_list_inbox__handler__only_own_organisations_signals():
    kirkkonummi = OrganisationFactory.municipality("257")
    espoo = OrganisationFactory.municipality("049")
    ngo = OrganisationFactory()
    mine = send_signal(sender=ngo, municipality="257")
    send_signal(sender=ngo, municipality="049")
    handler = member(Role.ORG_ADMIN, kirkkonummi)
    assert list(selectors.signal_list_inbox(user=handler, filters=selectors.InboxFilters())) == [mine]
    coordinator = member(Role.COORDINATOR, espoo)
    assert mine not in selectors.signal_list_inbox(user=coordinator, filters=selectors.InboxFilters())

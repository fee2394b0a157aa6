import pytest
from django.utils import timezone

from kotoverkko.accounts.roles import Role
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.planning import services
from kotoverkko.situation.tests.factories import demo_languages

from .factories import create_programme

pytestmark = pytest.mark.django_db


def _indicator(programme, actor, source_kind, definition):
    return services.indicator_save(
        actor=actor,
        programme=programme,
        indicator=None,
        values={
            "name": {"fi": "Mittari"},
            "direction": "increase",
            "source_kind": source_kind,
            "definition": definition,
        },
    )


@pytest.fixture
def setup():
    owner = OrganisationFactory.municipality("257")
    coordinator = member(Role.COORDINATOR, owner)
    return create_programme(owner, coordinator=coordinator), coordinator


def test_situation_indicator__computes_series_and_follows_new_version(setup):
    programme, coordinator = setup
    demo_languages()
    indicator = _indicator(
        programme,
        coordinator,
        "situation",
        {"table_id": "lang-demo", "area": "257", "fixed": {"language": "ar"}},
    )
    values = list(indicator.measurements.values_list("measured_on__year", "value"))
    assert values[0] == (2015, 80)  # (20 + 0) * factor 2 * 2 (sex total)
    assert len(values) == 10
    # A new version of the dataset is imported: the next read recomputes the indicator.
    demo_languages(dataset_obj=indicator_dataset(), years=range(2015, 2026))
    assert services.indicators_refresh(programme=programme) == 1
    assert indicator.measurements.count() == 11
    assert services.indicators_refresh(programme=programme) == 0


def indicator_dataset():
    from kotoverkko.situation.models import Dataset

    return Dataset.objects.get(table_id="lang-demo")


def test_directory_indicator__counts_published_listings(setup):
    programme, coordinator = setup
    create_listing(municipality_id="257")
    indicator = _indicator(
        programme, coordinator, "directory", {"metric": "published_listings", "municipality": "257"}
    )
    measurement = indicator.measurements.get()
    assert (measurement.measured_on, measurement.value) == (timezone.localdate(), 1)


def test_indicator_save__unknown_dataset_area__invalid_definition(setup):
    programme, coordinator = setup
    with pytest.raises(ApplicationError) as error:
        _indicator(programme, coordinator, "situation", {"table_id": "x", "area": "999"})
    assert error.value.code == "planning_invalid_definition"


def test_measurement_add__computed_indicator__refused(setup):
    import datetime
    from decimal import Decimal

    programme, coordinator = setup
    indicator = _indicator(
        programme, coordinator, "directory", {"metric": "published_listings", "municipality": "257"}
    )
    with pytest.raises(ApplicationError) as error:
        services.measurement_add(
            actor=coordinator,
            indicator=indicator,
            data=services.MeasurementData(datetime.date(2025, 1, 1), Decimal(1)),
        )
    assert error.value.code == "planning_manual_only"


def test_refresh_indicators_command__recomputes_changed(setup):
    from io import StringIO

    from django.core.management import call_command

    programme, coordinator = setup
    _indicator(programme, coordinator, "directory", {"metric": "published_listings", "municipality": "257"})
    out = StringIO()
    call_command("refresh_indicators", "--force", stdout=out)
    assert out.getvalue().startswith("1 ")


def test_situation_indicator__monthly_table__one_measurement_per_month_not_a_yearly_sum(setup):
    from kotoverkko.situation.tests.factories import jobseekers_dataset

    programme, coordinator = setup
    jobseekers_dataset()
    indicator = _indicator(
        programme,
        coordinator,
        "situation",
        {"table_id": "jobseekers-demo", "area": "257", "fixed": {"content": "TYOTTOMATULK"}},
    )

    values = [
        (str(day), int(value)) for day, value in indicator.measurements.values_list("measured_on", "value")
    ]

    assert values == [("2024-01-31", 7), ("2024-02-29", 7), ("2024-03-31", 7)]


def test_directory_indicator__signals_per_month__counts_this_municipalitys_signals(setup):
    from kotoverkko.signals.tests.factories import send_signal

    programme, coordinator = setup
    ngo = OrganisationFactory(name={"fi": "Yhdistys ry"})
    OrganisationFactory.municipality("049")  # signals need the municipality's organisation to go to
    send_signal(sender=ngo, theme_slug="housing")
    send_signal(sender=ngo, theme_slug="employment")
    send_signal(sender=ngo, municipality="049")  # another municipality's signal does not count

    indicator = _indicator(
        programme, coordinator, "directory", {"metric": "signals_per_month", "municipality": "257"}
    )

    assert list(indicator.measurements.values_list("value", flat=True)) == [2]

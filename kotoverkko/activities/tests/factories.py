"""Factories and scenario builders for the activity directory."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from kotoverkko.activities import services
from kotoverkko.activities.enums import ListingSection, ListingStatus
from kotoverkko.activities.models import Listing, TargetGroup, Theme
from kotoverkko.organisations.tests.factories import OrganisationFactory
from kotoverkko.reference.models import Language, Municipality

HELSINKI = ZoneInfo("Europe/Helsinki")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    label_fi = factory.Sequence(lambda n: f"Teema {n}")
    label_sv = factory.Sequence(lambda n: f"Tema {n}")
    label_en = factory.Sequence(lambda n: f"Theme {n}")


class TargetGroupFactory(ThemeFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")


def next_weekday(weekday: int, *, hour: int = 17) -> datetime.datetime:
    """The next given weekday (0 = Monday) at `hour`, Helsinki time, at least a day ahead."""
    today = timezone.localdate() + datetime.timedelta(days=1)
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    return datetime.datetime.combine(day, datetime.time(hour), HELSINKI)


def listing_data(**overrides) -> services.ListingData:
    """Valid input for a weekly Tuesday 17–19 club in Kirkkonummi, run in Finnish and Arabic."""
    organisation = overrides.pop("organisation", None) or OrganisationFactory()
    start = next_weekday(1)
    data = services.ListingData(
        section=ListingSection.ACTIVITY,
        organisation=organisation,
        title={"fi": "Suomen kielen kerho", "ar": "نادي اللغة الفنلندية"},
        summary={"fi": "Harjoittelemme suomea rennosti.", "en": "We practise Finnish together."},
        languages=list(Language.objects.filter(code__in=["fi", "ar"])),
        municipality=Municipality.objects.get(code="257"),
        place_name={"fi": "Kirkkonummen pääkirjasto"},
        street_address="Asematie 7",
        postal_code="02400",
        criteria_confirmed=True,
        schedules=[
            services.ScheduleData(
                starts_at=start, ends_at=start + datetime.timedelta(hours=2), rrule="FREQ=WEEKLY;BYDAY=TU"
            )
        ],
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def create_listing(*, status: str = ListingStatus.PUBLISHED, **overrides) -> Listing:
    """A listing built through the services, moved to `status` (published by default)."""
    listing = services.listing_create(data=listing_data(**overrides), actor=None)
    if status in (ListingStatus.SUBMITTED, ListingStatus.PUBLISHED):
        listing.status = ListingStatus.SUBMITTED
        listing.save(update_fields=["status"])
    if status == ListingStatus.PUBLISHED:
        services.listing_publish(listing=listing, actor=None)
    elif status in (ListingStatus.RETURNED, ListingStatus.ARCHIVED):
        Listing.objects.filter(pk=listing.pk).update(status=status)
        listing.refresh_from_db()
    return listing

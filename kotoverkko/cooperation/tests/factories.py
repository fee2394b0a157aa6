"""Factories and scenario builders for the cooperation area."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kotoverkko.cooperation.enums import AgreementKind, BodyKind, MemberRole
from kotoverkko.cooperation.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementParty,
    BodyMember,
    CooperationBody,
    Meeting,
    PlacementQuota,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationBody

    name = factory.Sequence(lambda n: {"fi": f"Neuvottelukunta {n}", "en": f"Advisory board {n}"})
    kind = BodyKind.ADVISORY_BOARD
    owner = factory.LazyFunction(lambda: OrganisationFactory.municipality("257"))
    is_public = True


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Kunnantalo, kokoushuone 2"
    online_url = "https://meet.example.fi/salainen-linkki"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Asia {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Toimenpide {n}")
    owner = factory.LazyAttribute(lambda o: o.body.owner)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    kind = AgreementKind.PLACEMENT
    title = factory.Sequence(lambda n: {"fi": f"Kuntapaikkasopimus {n}"})
    owner = factory.LazyFunction(lambda: OrganisationFactory.municipality("257"))
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2027, 12, 31)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=200))

    @factory.post_generation
    def with_party(self, create: bool, extracted, **kwargs) -> None:
        if create:
            AgreementParty.objects.create(agreement=self, organisation=self.owner, role="Kunta")
            PlacementQuota.objects.create(agreement=self, year=2026, places=25)

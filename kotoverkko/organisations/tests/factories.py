"""Factories for organisations and the people in them."""

from __future__ import annotations

import factory

from kotoverkko.accounts.models import Membership, User
from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.models import Organisation, OrganisationKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.fi")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: {"fi": f"Yhdistys {n} ry", "en": f"Association {n}"})
    kind = OrganisationKind.NGO
    home_municipality_id = "049"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        organisation = model_class(*args, **kwargs)
        organisation.refresh_derived_fields()
        organisation.save()
        return organisation

    @classmethod
    def municipality(cls, code: str = "257", **kwargs) -> Organisation:
        return cls(kind=OrganisationKind.MUNICIPALITY, home_municipality_id=code, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


def member(role: Role, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding `role` in `organisation` (a new NGO, or a municipality for coordinators)."""
    if organisation is None:
        organisation = (
            OrganisationFactory.municipality() if role == Role.COORDINATOR else OrganisationFactory()
        )
    return MembershipFactory(role=role, organisation=organisation, user=UserFactory(**user_fields)).user

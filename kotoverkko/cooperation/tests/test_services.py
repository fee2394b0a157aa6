"""Rules the services keep for every caller, not just for the forms."""

from __future__ import annotations

import datetime

import pytest

from kotoverkko.accounts.roles import Role
from kotoverkko.cooperation import services
from kotoverkko.cooperation.models import ActionItem
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

from .factories import BodyFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _action(owner):
    return services.ActionItemData(
        title="Tulkkauspalvelun selvitys", owner=owner, due_on=datetime.date(2027, 1, 31)
    )


def test_action_item_create__owner_outside_the_body__refused_on_the_owner_field():
    body = BodyFactory()
    coordinator = member(Role.COORDINATOR, body.owner)
    outsider = OrganisationFactory(name={"fi": "Ulkopuolinen ry"})

    with pytest.raises(ApplicationError) as refused:
        services.action_item_create(body=body, data=_action(outsider), actor=coordinator)

    assert refused.value.code == "owner_not_in_body"
    assert "owner" in refused.value.fields
    assert not ActionItem.objects.exists()


def test_action_item_create__member_organisation__saved():
    body = BodyFactory()
    seat = MemberFactory(body=body)
    coordinator = member(Role.COORDINATOR, body.owner)

    item = services.action_item_create(body=body, data=_action(seat.organisation), actor=coordinator)

    assert item.owner == seat.organisation

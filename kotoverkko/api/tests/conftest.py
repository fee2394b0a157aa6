"""Fixtures of the API tests: organisations, tokens and an API client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kotoverkko.accounts.roles import Role
from kotoverkko.api import services
from kotoverkko.organisations.tests.factories import OrganisationFactory, member


@dataclass
class Tokens:
    own: str
    other: str
    revoked: str
    organisation: object
    other_organisation: object
    own_token: object


@pytest.fixture
def tokens(db) -> Tokens:
    organisation = OrganisationFactory(name={"fi": "Kotoyhdistys ry", "en": "Koto Association"})
    other = OrganisationFactory(name={"fi": "Toinen yhdistys ry"})
    admin = member(Role.ORG_ADMIN, organisation)
    other_admin = member(Role.ORG_ADMIN, other)
    own = services.api_token_create(organisation=organisation, name="Website", actor=admin)
    foreign = services.api_token_create(organisation=other, name="Other", actor=other_admin)
    revoked = services.api_token_create(organisation=organisation, name="Old", actor=admin)
    services.api_token_revoke(token=revoked.token, actor=admin)
    return Tokens(
        own=own.secret,
        other=foreign.secret,
        revoked=revoked.secret,
        organisation=organisation,
        other_organisation=other,
        own_token=own.token,
    )


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

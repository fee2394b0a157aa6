"""Contract and fuzz test: schemathesis drives every operation of /api/v1/openapi.json.

Reads go anonymously, writes with a token of the test organisation. No answer may be a 5xx,
and every answer must match the schema (status code and body). Bounded and derandomised so it
runs in well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from kotoverkko.accounts.roles import Role
from kotoverkko.activities.tests.factories import ThemeFactory, create_listing
from kotoverkko.api import services
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def _keep_test_connection():
    # Schemathesis calls the WSGI app directly; as in Django's test client, the request signals
    # must not close the connection that holds the test's transaction (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def write_token(db, settings, _keep_test_connection) -> str:
    # Rate limiting has its own tests; here it would only cut the fuzzing short.
    settings.API_ANON_RATE = "1000000/60"
    settings.API_TOKEN_RATE = "1000000/60"
    organisation = OrganisationFactory()
    ThemeFactory(slug="language")
    create_listing(organisation=organisation)
    return services.api_token_create(
        organisation=organisation, name="Contract test", actor=member(Role.ORG_ADMIN, organisation)
    ).secret


# The schema is served by the app itself (no database needed to generate it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api__conforms_to_its_openapi_schema(case, write_token) -> None:
    headers = {"Authorization": f"Bearer {write_token}"} if case.method.upper() in WRITE_METHODS else {}
    case.call_and_validate(headers=headers, checks=CHECKS)

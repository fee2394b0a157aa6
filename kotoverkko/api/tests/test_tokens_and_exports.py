"""Tokens (hashed, shown once, revocable, audited) and search exports (CSV, XLSX, JSON)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kotoverkko.accounts.roles import Role
from kotoverkko.activities.tests.factories import create_listing
from kotoverkko.api import services
from kotoverkko.api.models import ApiToken
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_token_create__secret_shown_once_and_stored_hashed(client):
    organisation = OrganisationFactory()
    client.force_login(member(Role.ORG_ADMIN, organisation))
    response = client.post(reverse("api_pages:token_create", args=[organisation.pk]), {"name": "Verkkosivut"})
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert secret not in (token.secret_hash, token.prefix)
    assert token.secret_hash == services.hash_secret(secret)
    assert secret not in client.get(reverse("api_pages:tokens", args=[organisation.pk])).content.decode()
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()


def test_token_revoke__stops_working_and_is_audited(client):
    organisation = OrganisationFactory()
    admin = member(Role.ORG_ADMIN, organisation)
    issued = services.api_token_create(organisation=organisation, name="Sync", actor=admin)
    assert services.api_token_authenticate(secret=issued.secret) is not None
    client.force_login(admin)
    client.post(reverse("api_pages:token_revoke", args=[organisation.pk, issued.token.pk]))
    assert services.api_token_authenticate(secret=issued.secret) is None
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(issued.token.pk)).exists()


def test_token_create__editor__refused():
    organisation = OrganisationFactory()
    with pytest.raises(ApplicationError) as refused:
        services.api_token_create(
            organisation=organisation, name="X", actor=member(Role.EDITOR, organisation)
        )
    assert refused.value.code == "not_allowed"


def test_token_actor__not_a_member_of_the_organisation():
    organisation = OrganisationFactory()
    issued = services.api_token_create(
        organisation=organisation, name="Sync", actor=member(Role.ORG_ADMIN, organisation)
    )
    assert not organisation.memberships.filter(user=issued.token.service_user).exists()
    assert not issued.token.service_user.has_usable_password()


def test_export_csv__utf8_bom_and_a_column_per_language(client):
    create_listing()
    response = client.get(reverse("api:listing_export", args=["csv"]), {"q": "kerho"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["title_fi"] == "Suomen kielen kerho"
    assert rows[0]["title_ar"] == "نادي اللغة الفنلندية"
    assert response["X-Total-Count"] == "1"


def test_export_xlsx__opens_with_the_listing(client):
    create_listing()
    response = client.get(reverse("api:listing_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("title_fi") + 1).value == "Suomen kielen kerho"


def test_export_json__same_filters_as_search(client):
    create_listing()
    create_listing(title={"fi": "Kuoro"})
    body = json.loads(client.get(reverse("api:listing_export", args=["json"]), {"q": "kuoro"}).content)
    assert [item["title"]["fi"] for item in body["data"]] == ["Kuoro"]
    assert body["meta"]["truncated"] is False


def test_export__formula_text__neutralised(client):
    create_listing(title={"fi": '=HYPERLINK("x")'})
    text = client.get(reverse("api:listing_export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_docs__every_endpoint_and_the_token_howto_in_swedish(client):
    with translation.override("sv"):
        url = reverse("api_pages:docs")
    response = client.get(url)
    text = response.content.decode()
    assert '<html lang="sv">' in text
    for path in ("/api/v1/listings/", "/api/v1/places/", "/api/v1/municipalities/"):
        assert path in text
    assert "Authorization: Bearer" in text
    assert "cdn" not in text.lower()


def test_openapi__version_3_with_every_resource(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"post", "get"} <= set(schema["paths"]["/api/v1/listings/"])
    assert "patch" in schema["paths"]["/api/v1/listings/{listing_id}/"]

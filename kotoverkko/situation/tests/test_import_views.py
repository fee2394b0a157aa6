"""The upload page, the import task and the status page with its progress bar."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from kotoverkko.accounts.roles import Role
from kotoverkko.organisations.tests.factories import OrganisationFactory, member
from kotoverkko.situation.models import Dataset, DatasetVersion, ImportJob, ImportJobStatus, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English source texts (other tests cover fi and sv)."""
    translation.activate("en")
    yield
    translation.activate("fi")


ECKERO = Path(__file__).resolve().parents[1] / "data" / "statfin_px" / "statfin_tyonv_eckero.px"


@pytest.fixture
def coordinator_client(client):
    client.force_login(member(Role.COORDINATOR, OrganisationFactory.municipality("257")))
    return client


def _upload(client, raw: bytes, name: str, capture, **fields):
    upload = io.BytesIO(raw)
    upload.name = name
    data = {"file": upload, "source": "statfin", "table_id": "", "label_language": "fi", **fields}
    with capture(execute=True):
        return client.post(reverse("situation:import"), data)


def test_import_page__get__shows_form(coordinator_client):
    response = coordinator_client.get(reverse("situation:import"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_import__upload_px__task_runs_and_status_shows_cells(
    coordinator_client, django_capture_on_commit_callbacks
):
    response = _upload(
        coordinator_client, ECKERO.read_bytes(), ECKERO.name, django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("situation:import_status", args=[job.pk])
    assert job.status == ImportJobStatus.DONE
    assert job.cells_done == 253
    assert job.version.is_current
    assert not default_storage.exists(job.stored_name)  # the upload is removed once imported
    page = coordinator_client.get(response.url).content.decode()
    assert "<progress" in page
    assert "253 cells" in page
    assert "hx-trigger" not in page  # finished: no more polling


def test_import__malformed_upload__status_shows_error_with_line(
    coordinator_client, django_capture_on_commit_callbacks
):
    raw = ECKERO.read_bytes()
    response = _upload(
        coordinator_client, raw[: raw.index(b"DATA=")], "broken.px", django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.message.startswith("Line ")
    assert not Dataset.objects.exists()
    assert not DatasetVersion.objects.exists()
    assert not Observation.objects.exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "Nothing was saved" in page
    assert job.message.split(":")[0] in page


def test_import_status__running__polls_every_2s_and_shows_progress(coordinator_client):
    job = ImportJob.objects.create(
        file_name="big.px",
        source="statfin",
        status=ImportJobStatus.RUNNING,
        created_by=None,
        cells_done=5000,
        cells_total=20000,
    )
    url = reverse("situation:import_status", args=[job.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="25"' in page
    assert "5000 of 20000 cells" in page
    assert f'href="{url}"' in page  # a plain refresh link without JavaScript
    fragment = coordinator_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="import-status"')


def test_import_status__unknown_job__404(coordinator_client):
    assert coordinator_client.get(reverse("situation:import_status", args=[999999])).status_code == 404


def test_import__editor__403(client):
    client.force_login(member(Role.EDITOR))
    assert client.get(reverse("situation:import")).status_code == 403

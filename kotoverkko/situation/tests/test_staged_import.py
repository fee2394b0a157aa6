"""A long import is written in committed batches under a staged version: progress can be seen while
it runs, nothing of it is visible before it is complete, and a failure leaves no rows behind."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from kotoverkko.core.errors import ApplicationError
from kotoverkko.situation import selectors, services, tasks
from kotoverkko.situation.models import DatasetVersion, ImportJob, ImportJobStatus, Observation

DATA = Path(__file__).resolve().parents[1] / "data"
POPULATION = DATA / "statfin_px" / "statfin_vaerak_pxt_11rc.px"


def _import(raw: bytes, **options) -> DatasetVersion:
    return services.import_file(
        stream=io.BytesIO(raw), file_name="11rc.px", source="statfin", table_id="11rc", actor=None, **options
    )


def _broken_near_the_end(raw: bytes) -> bytes:
    data = raw.index(b"DATA=")
    late = raw.index(b" ", data + (len(raw) - data) * 9 // 10)
    return raw[:late] + b" xyz" + raw[late + 1 :]


@pytest.mark.django_db
def test_dataset_import__fails_after_batches__staged_rows_removed_old_version_current(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 50)
    old = _import(POPULATION.read_bytes())
    old_rows = Observation.objects.filter(version=old).count()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        # Mid-import the staged rows exist, but every reader still gets the old version only.
        staged = DatasetVersion.objects.get(is_staged=True)
        assert Observation.objects.filter(version=staged).count() == done
        assert [source.version.pk for source in selectors.current_sources()] == [old.pk]

    with pytest.raises(ApplicationError):
        _import(_broken_near_the_end(POPULATION.read_bytes()), progress=progress)
    assert len(seen) > 3
    assert not DatasetVersion.objects.filter(is_staged=True).exists()
    assert list(DatasetVersion.objects.values_list("pk", "is_current")) == [(old.pk, True)]
    assert Observation.objects.count() == old_rows


@pytest.mark.django_db
def test_dataset_import__success__progress_grows_and_version_flips(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 100)
    old = _import(POPULATION.read_bytes())
    seen: list[int] = []
    new = _import(POPULATION.read_bytes(), progress=lambda done, total: seen.append(done))
    old.refresh_from_db()
    assert seen == sorted(seen)
    assert len(set(seen)) > 3
    assert seen[-1] == new.cell_count
    assert new.is_current
    assert not new.is_staged
    assert not old.is_current  # kept as history


@pytest.mark.django_db
def test_dataset_import__new_dataset_fails__no_dataset_left():
    with pytest.raises(ApplicationError):
        _import(_broken_near_the_end(POPULATION.read_bytes()))
    assert not DatasetVersion.objects.exists()
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_discard_abandoned_imports__old_staged_version__removed():
    version = _import(POPULATION.read_bytes())
    DatasetVersion.objects.filter(pk=version.pk).update(
        is_current=False, is_staged=True, updated_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert services.discard_abandoned_imports() == 1
    assert not Observation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_import_task__progress__committed_on_the_job_row_between_batches(monkeypatch, reference_data):
    """With real commits (no test transaction around it), each progress report is outside any
    transaction, so the status page (another request) sees it at once."""
    monkeypatch.setattr(services, "BATCH_SIZE", 200)
    stored = default_storage.save("situation-imports/test/11rc.px", ContentFile(POPULATION.read_bytes()))
    job = ImportJob.objects.create(file_name="11rc.px", stored_name=stored, source="statfin")
    recorded: list[tuple[int, int, bool]] = []
    original = services._stream_observations

    def watched(version, table, roles, progress):
        def wrapped(done: int, total: int) -> None:
            progress(done, total)
            saved = ImportJob.objects.get(pk=job.pk)
            recorded.append((saved.cells_done, saved.cells_total, connection.in_atomic_block))

        return original(version, table, roles, wrapped)

    monkeypatch.setattr(services, "_stream_observations", watched)
    tasks.import_statistics_file.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert len(recorded) > 3
    assert all(not in_transaction for _done, _total, in_transaction in recorded)
    done = [cells for cells, _total, _t in recorded]
    assert done == sorted(done)
    assert done[0] < done[-1] == job.cells_done
    assert all(total == job.cells_total for _d, total, _t in recorded)

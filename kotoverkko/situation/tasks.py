"""Background work of the situation picture: importing an uploaded statistics file."""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from kotoverkko.core.errors import ApplicationError

PROGRESS_KEY = "situation-import-progress:{pk}"
PROGRESS_SECONDS = 24 * 60 * 60


def progress_of(job) -> tuple[int, int]:  # noqa: ANN001
    """(cells done, cells expected) of a job: live from the cache while it runs, else as saved."""
    live = cache.get(PROGRESS_KEY.format(pk=job.pk))
    if live is not None and not job.is_finished:
        return live
    return job.cells_done, job.cells_total


def enqueue_import(job_id: int) -> None:
    """Queue the import once the job row is committed."""
    transaction.on_commit(lambda: import_statistics_file.enqueue(job_id=job_id))


@task()
def import_statistics_file(*, job_id: int) -> None:
    """Run an ImportJob: parse the stored upload and import it, recording progress and the result.

    The import itself is one transaction, so progress goes to the cache (visible to the status page
    while the transaction is open); the job row records the start and the outcome.
    """
    from .models import ImportJob, ImportJobStatus
    from .services import import_file

    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJobStatus.QUEUED:
        return
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    key = PROGRESS_KEY.format(pk=job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), PROGRESS_SECONDS)

    try:
        with default_storage.open(job.stored_name, "rb") as stream:
            version = import_file(
                stream=stream,
                file_name=job.file_name,
                source=job.source,
                table_id=job.table_id,
                actor=job.created_by,
                language=job.label_language,
                progress=progress,
            )
    except ApplicationError as error:
        job.status = ImportJobStatus.FAILED
        job.message = error.message
        job.save(update_fields=["status", "message", "updated_at"])
    except Exception:
        job.status = ImportJobStatus.FAILED
        job.message = _("The import failed because of an unexpected error. Nothing was saved.")
        job.save(update_fields=["status", "message", "updated_at"])
        raise
    else:
        job.status = ImportJobStatus.DONE
        job.version = version
        job.cells_done = job.cells_total = version.cell_count
        job.table_id = version.dataset.table_id
        job.save(update_fields=["status", "version", "cells_done", "cells_total", "table_id", "updated_at"])
    finally:
        cache.delete(key)
        if job.stored_name and default_storage.exists(job.stored_name):
            default_storage.delete(job.stored_name)

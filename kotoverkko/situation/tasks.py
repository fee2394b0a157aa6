"""Background work of the situation picture: importing an uploaded statistics file."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from kotoverkko.core.errors import ApplicationError


def progress_of(job) -> tuple[int, int]:  # noqa: ANN001
    """(cells done, cells expected) of a job, as the running import last committed them."""
    return job.cells_done, job.cells_total


def enqueue_import(job_id: int) -> None:
    """Queue the import once the job row is committed."""
    transaction.on_commit(lambda: import_statistics_file.enqueue(job_id=job_id))


@task()
def import_statistics_file(*, job_id: int) -> None:
    """Run an ImportJob: parse the stored upload and import it, recording progress and the result.

    The import commits its rows in batches under a staged version, and after each batch the job row
    gets the cells done (committed at once, so the status page shows live progress without a
    shared cache); the row records the outcome too.
    """
    from .models import ImportJob, ImportJobStatus
    from .services import import_file

    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJobStatus.QUEUED:
        return
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(cells_done=done, cells_total=total)

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
        if job.stored_name and default_storage.exists(job.stored_name):
            default_storage.delete(job.stored_name)

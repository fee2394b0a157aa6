"""Statistics import: the upload page and the status page of an import. Thin views over tasks/services."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kotoverkko.core.htmx import render_page_or_fragment

from . import policies, tasks
from .forms_import import StatisticsImportForm
from .models import ImportJob

POLL_SECONDS = 2
SHOW_RECENT = 10


def _require_importer(request: HttpRequest) -> None:
    if not policies.can_import_statistics(request.user):
        raise PermissionDenied


@login_required
def statistics_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = StatisticsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_name = Path(upload.name).name
        with transaction.atomic():
            stored = default_storage.save(f"situation-imports/{uuid.uuid4().hex}/{file_name}", upload)
            job = ImportJob.objects.create(
                file_name=file_name,
                stored_name=stored,
                source=form.cleaned_data["source"],
                table_id=form.cleaned_data["table_id"].strip(),
                label_language=form.cleaned_data["label_language"],
                created_by=request.user,
            )
            tasks.enqueue_import(job.pk)
        return redirect("situation:import_status", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user).select_related("version__dataset")[
        :SHOW_RECENT
    ]
    return render(request, "situation/import.html", {"form": form, "recent": recent})


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = get_object_or_404(ImportJob.objects.select_related("version__dataset"), pk=pk)
    if not policies.can_view_import(request.user, job):
        raise PermissionDenied
    done, total = tasks.progress_of(job)
    context = {
        "job": job,
        "cells_done": done,
        "cells_total": total,
        "percent": int(100 * done / total) if total else 0,
        "poll_seconds": POLL_SECONDS,
    }
    return render_page_or_fragment(request, "situation/import_status.html", context, fragment="status")

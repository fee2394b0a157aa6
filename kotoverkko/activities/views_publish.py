"""Publishing: editors' listings, the editing form, preview and lifecycle buttons, the e-mailed
confirmation link, moderation, vocabularies and the coordinator's statistics. Thin views:
parse → policy/selector → service → render."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core import i18n
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.htmx import render_page_or_fragment
from kotoverkko.core.models import AuditEvent
from kotoverkko.core.pagination import paginate

from . import images, policies, recurrence, selectors, services, statistics, vocabularies, workflow
from .enums import ListingStatus, ReportStatus
from .forms import (
    LISTING_CRITERIA,
    LISTING_TEXTS,
    ListingEditor,
    MineFilterForm,
    ReturnForm,
    StatisticsFilterForm,
    VocabularyForm,
    language_coverage,
)
from .models import Listing, Report

LISTING_OBJECT_TYPE = "activities.listing"


def _require_publisher(request: HttpRequest) -> None:
    if not policies.organisations_for_listings(request.user).exists():
        raise PermissionDenied


def _require_moderator(request: HttpRequest) -> None:
    if not policies.can_moderate(request.user):
        raise PermissionDenied


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


def _freshness_limits() -> dict[str, datetime.datetime]:
    now = timezone.now()
    return {
        "reminder_before": now - datetime.timedelta(days=settings.LISTING_REMINDER_DAYS),
        "hide_before": now - datetime.timedelta(days=settings.LISTING_HIDE_DAYS),
    }


# --- The editor's listings ----------------------------------------------------------------------


@login_required
def listing_mine(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    form = MineFilterForm(request.GET or None)
    listings = selectors.listings_of_user(user=request.user, status=form.selected_status())
    counts = dict(
        policies.listings_editable_by(request.user)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    context = {
        "form": form,
        "page": paginate(request, listings),
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in ListingStatus.choices],
        **_freshness_limits(),
    }
    return render_page_or_fragment(request, "activities/publish/mine.html", context)


def _save(request: HttpRequest, editor: ListingEditor, listing: Listing | None) -> Listing | None:
    """Save the listing and its images together; on refusal nothing is saved and the form says why."""
    try:
        with transaction.atomic():
            if listing is None:
                listing = services.listing_create(data=editor.to_data(), actor=request.user)
            else:
                listing = services.listing_update(listing=listing, data=editor.to_data(), actor=request.user)
            images.listing_images_change(listing=listing, changes=editor.image_changes(), actor=request.user)
    except ApplicationError as error:
        editor.add_error(error)
        return None
    return listing


def _form_page(request: HttpRequest, editor: ListingEditor, listing: Listing | None) -> HttpResponse:
    context = {
        "editor": editor,
        "form": editor.form,
        "listing": listing,
        "criteria": LISTING_CRITERIA,
        "coverage": language_coverage(listing) if listing is not None else [],
        "images": list(listing.images.all()) if listing is not None else [],
    }
    return render(request, "activities/publish/listing_form.html", context)


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    post = request.method == "POST"
    editor = ListingEditor(request.POST if post else None, request.FILES if post else None, user=request.user)
    if post and editor.is_valid():
        listing = _save(request, editor, None)
        if listing is not None:
            messages.success(
                request, _("The listing was saved as a draft. Check it and submit it for moderation.")
            )
            return redirect("activities:preview", pk=listing.pk)
    return _form_page(request, editor, None)


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    post = request.method == "POST"
    editor = ListingEditor(
        request.POST if post else None, request.FILES if post else None, user=request.user, listing=listing
    )
    if post and editor.is_valid() and _save(request, editor, listing) is not None:
        messages.success(request, _("The changes were saved."))
        return redirect("activities:preview", pk=listing.pk)
    return _form_page(request, editor, listing)


# --- Preview, lifecycle and history -------------------------------------------------------------


def _texts(listing: Listing, language: str, names: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each multilingual text in `language`, with the language actually shown and a fallback flag."""
    texts = {}
    for name in LISTING_TEXTS:
        value = getattr(listing, name) or {}
        code = i18n.localized_language(value, language)
        texts[name] = {
            "text": i18n.localized(value, language),
            "lang": code,
            "dir": i18n.text_direction(code),
            "lang_name": names.get(code, code),
            "fallback": bool(value) and code != language,
        }
    return texts


@login_required
def listing_preview(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    prefetch_related_objects(
        [listing], "themes", "target_groups", "languages", "municipalities_served", "co_organisers", "images"
    )
    coverage = language_coverage(listing)
    codes = [row.code for row in coverage]
    ui_language = (get_language() or settings.LANGUAGE_CODE)[:2]
    language = request.GET.get("lang", "")
    if language not in codes:
        language = ui_language
    names = {row.code: row.name for row in coverage}
    schedules = [
        (
            schedule,
            recurrence.describe(
                rrule=schedule.rrule,
                starts_at=schedule.starts_at,
                ends_at=schedule.ends_at,
                language=ui_language,
            ),
        )
        for schedule in listing.schedules.all()
    ]
    status = listing.status
    context = {
        "listing": listing,
        "texts": _texts(listing, language, names),
        "language": language,
        "language_name": names.get(language, language),
        "language_names": names,
        "coverage": coverage,
        "schedules": schedules,
        "occurrences": selectors.next_occurrences(listing=listing, count=5),
        "reports": list(listing.reports.filter(status=ReportStatus.OPEN)),
        "can_submit": status in (ListingStatus.DRAFT, ListingStatus.RETURNED),
        "can_archive": workflow.can_transition(status, ListingStatus.ARCHIVED),
        "can_restore": status == ListingStatus.ARCHIVED,
        "can_confirm": status == ListingStatus.PUBLISHED,
        "can_moderate": policies.can_moderate(request.user) and status == ListingStatus.SUBMITTED,
        "can_edit": policies.can_edit_listing(request.user, listing),
        "criteria": LISTING_CRITERIA,
        **_freshness_limits(),
    }
    return render(request, "activities/publish/preview.html", context)


def _lifecycle(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    try:
        action(listing=listing, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_next_url(request, reverse("activities:preview", args=[listing.pk])))


@login_required
@require_POST
def listing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(
        request,
        pk,
        services.listing_submit,
        _("The listing was sent to moderation. You will see here when it is published."),
    )


@login_required
@require_POST
def listing_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(
        request, pk, services.listing_archive, _("The listing was archived. It is no longer public.")
    )


@login_required
@require_POST
def listing_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, services.listing_restore, _("The listing was restored as a draft."))


@login_required
@require_POST
def listing_confirm_now(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(
        request, pk, services.listing_confirm, _("Thank you. The listing was confirmed as still valid.")
    )


@login_required
@require_POST
def listing_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    try:
        copy = services.listing_duplicate(listing=listing, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("activities:preview", pk=listing.pk)
    messages.success(request, _("This is a copy of the listing, saved as a draft. Change what differs."))
    return redirect("activities:edit", pk=copy.pk)


def _field_label(name: str) -> str:
    extra = {
        "schedules": _("times"),
        "source": _("copied from listing"),
        "reason": _("reason"),
        "images": _("images"),
        "licence": _("licence"),
    }
    if name in extra:
        return extra[name]
    try:
        return str(Listing._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an old event may name a field that no longer exists
        return name


@login_required
def listing_history(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    events = AuditEvent.objects.filter(
        object_type=LISTING_OBJECT_TYPE, object_id=str(listing.pk)
    ).select_related("actor")
    page = paginate(request, events, per_page=50)
    statuses = dict(ListingStatus.choices)
    rows = []
    for event in page:
        status = event.changes.get("status") if isinstance(event.changes, dict) else None
        rows.append(
            {
                "event": event,
                "fields": [_field_label(name) for name in event.changes if name != "status"],
                "status_from": statuses.get(status["from"], "") if status else "",
                "status_to": statuses.get(status["to"], "") if status else "",
            }
        )
    return render(
        request, "activities/publish/history.html", {"listing": listing, "page": page, "rows": rows}
    )


def listing_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed one-click "still valid" link: no sign-in needed, the signature is the proof."""
    try:
        listing = services.listing_confirm_by_token(token=token)
    except ApplicationError as error:
        return render(
            request, "activities/publish/confirm_invalid.html", {"message": error.message}, status=410
        )
    return render(request, "activities/publish/confirm_done.html", {"listing": listing})


# --- Moderation -----------------------------------------------------------------------------------


def _moderation_page(
    request: HttpRequest, *, return_form: ReturnForm | None = None, return_for: int | None = None
) -> HttpResponse:
    queue = [
        {
            "listing": listing,
            "reason": return_form["reason"].value() if return_form and return_for == listing.pk else "",
            "errors": return_form.errors.get("reason", [])
            if return_form and return_for == listing.pk
            else [],
        }
        for listing in selectors.moderation_queue()
    ]
    context = {
        "queue": queue,
        "reports": list(selectors.open_reports().order_by("created_at")),
        "criteria": LISTING_CRITERIA,
        "has_errors": bool(return_form and return_form.errors),
    }
    return render(request, "activities/moderation/queue.html", context)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    return _moderation_page(request)


@login_required
@require_POST
def moderate_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    try:
        services.listing_publish(listing=listing, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The listing was published."))
    return redirect("activities:moderation")


@login_required
@require_POST
def moderate_return(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    listing = selectors.listing_get_for_editor(user=request.user, listing_id=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.listing_return(listing=listing, reason=form.cleaned_data["reason"], actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The listing was returned to its publisher with your reason."))
            return redirect("activities:moderation")
    return _moderation_page(request, return_form=form, return_for=listing.pk)


@login_required
@require_POST
def report_handle(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("listing__organisation"), pk=pk)
    if not (policies.can_moderate(request.user) or policies.can_edit_listing(request.user, report.listing)):
        raise Http404
    try:
        services.report_handle(report=report, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was marked as handled."))
    default = reverse("activities:moderation" if policies.can_moderate(request.user) else "activities:mine")
    return redirect(_next_url(request, default))


# --- Vocabularies ---------------------------------------------------------------------------------


def _require_vocabulary_manager(request: HttpRequest) -> None:
    if not policies.can_manage_vocabularies(request.user):
        raise PermissionDenied


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    _require_vocabulary_manager(request)
    kinds = [
        (kind, model._meta.verbose_name_plural, model.objects.annotate(listing_count=Count("listings")))
        for kind, model in vocabularies.KINDS.items()
    ]
    return render(request, "activities/vocabularies/list.html", {"kinds": kinds})


def _vocabulary_form(request: HttpRequest, kind: str, pk: int | None) -> HttpResponse:
    _require_vocabulary_manager(request)
    model = vocabularies.vocabulary_model(kind)
    if model is None:
        raise Http404
    instance = get_object_or_404(model, pk=pk) if pk is not None else model()
    form = VocabularyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            vocabularies.vocabulary_save(instance=instance, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The term was saved."))
            return redirect("activities:vocabularies")
    context = {
        "form": form,
        "kind": kind,
        "kind_name": model._meta.verbose_name,
        "term": instance if pk else None,
    }
    return render(request, "activities/vocabularies/form.html", context)


@login_required
def vocabulary_create(request: HttpRequest, kind: str) -> HttpResponse:
    return _vocabulary_form(request, kind, None)


@login_required
def vocabulary_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _vocabulary_form(request, kind, pk)


# --- Statistics -------------------------------------------------------------------------------------


@login_required
def directory_statistics(request: HttpRequest) -> HttpResponse:
    if not policies.can_view_directory_statistics(request.user):
        raise PermissionDenied
    form = StatisticsFilterForm(request.GET or None)
    figures = statistics.directory_statistics(municipality=form.selected_municipality())
    return render(request, "activities/statistics.html", {"form": form, "stats": figures})

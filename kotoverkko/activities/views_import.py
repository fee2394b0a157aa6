"""Bulk import: the upload page and the downloadable template. Thin views over `importing`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kotoverkko.organisations.models import Organisation

from . import importing, policies

CREATED_SESSION_KEY = "activities_import_created"
SHOW_CREATED = 50
SHOW_ORGANISATIONS = 20
SHOW_PROBLEMS = 500


class ListingImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy("At most 2,000 listings and 5 MB."),
        widget=forms.FileInput(attrs={"accept": f".csv,.xlsx,text/csv,{importing.XLSX_CONTENT_TYPE}"}),
    )

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": importing.MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _publisher_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations the user may import for; a page for editors only (403 for others)."""
    organisations = policies.organisations_for_listings(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


@login_required
def listing_import(request: HttpRequest) -> HttpResponse:
    organisations = _publisher_organisations(request)
    is_post = request.method == "POST"
    form = ListingImportForm(request.POST, request.FILES) if is_post else ListingImportForm()
    problems: list[importing.ImportProblem] = []
    if is_post and form.is_valid():
        upload = form.cleaned_data["file"]
        check_only = "check" in request.POST
        try:
            result = importing.import_listings(
                file_obj=upload, filename=upload.name, actor=request.user, dry_run=check_only
            )
        except importing.ListingImportFailed as error:
            problems = error.problems
        else:
            return _after_import(request, result)
    created = [] if is_post else _created_listings(request)
    context = {
        "form": form,
        "problems": problems[:SHOW_PROBLEMS],
        "problem_count": len(problems),
        "created": created[:SHOW_CREATED],
        "created_more": max(0, len(created) - SHOW_CREATED),
        "organisations": list(organisations[: SHOW_ORGANISATIONS + 1]),
        "show_organisations": SHOW_ORGANISATIONS,
        "columns": importing.COLUMNS,
        "terms": importing.vocabulary_terms(),
        "max_rows": importing.MAX_ROWS,
    }
    return render(request, "activities/import/import.html", context)


def _after_import(request: HttpRequest, result: importing.ImportResult) -> HttpResponse:
    if result.dry_run:
        messages.success(
            request,
            ngettext(
                "The file is fine: %(count)s listing can be imported. Nothing was saved yet.",
                "The file is fine: %(count)s listings can be imported. Nothing was saved yet.",
                result.count,
            )
            % {"count": result.count},
        )
    else:
        request.session[CREATED_SESSION_KEY] = [listing.pk for listing in result.listings]
        messages.success(
            request,
            ngettext(
                "%(count)s listing was imported as a draft.",
                "%(count)s listings were imported as drafts.",
                result.count,
            )
            % {"count": result.count},
        )
    return redirect("activities:import")


def _created_listings(request: HttpRequest) -> list:
    ids = request.session.pop(CREATED_SESSION_KEY, None) or []
    if not ids:
        return []
    return list(policies.listings_editable_by(request.user).filter(pk__in=ids).order_by("pk"))


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    organisations = _publisher_organisations(request)
    organisation = organisations.filter(memberships__user=request.user).first() or organisations.first()
    kind = request.GET.get("format", "csv")
    builders = {
        "xlsx": (importing.template_xlsx, importing.XLSX_CONTENT_TYPE),
        "csv": (importing.template_csv, importing.CSV_CONTENT_TYPE),
    }
    if kind not in builders:
        raise Http404
    build, content_type = builders[kind]
    response = HttpResponse(build(organisation=organisation), content_type=content_type)

    response["Content-Disposition"] = f'attachment; filename="kotoverkko-listings-template.{kind}"'
    return response

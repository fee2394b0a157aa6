"""HTML and file views of the API app: the documentation page, search exports, token pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kotoverkko.activities import selectors as listing_selectors
from kotoverkko.activities.forms_public import ListingSearchForm
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.organisations.models import Organisation
from kotoverkko.organisations.selectors import organisation_get_for_member

from . import docs as api_docs
from . import exports, policies, selectors, services
from .forms import ApiTokenForm

RESOURCES = (
    "listing_list",
    "occurrence_list",
    "place_list",
    "organisation_list",
    "theme_list",
    "target_group_list",
    "language_list",
    "municipality_list",
)


def api_root(request: HttpRequest) -> HttpResponse:
    """The resources, the schema and the documentation, as links."""
    links = {name.removesuffix("_list"): reverse(f"api:v1:{name}") for name in RESOURCES}
    links |= {"openapi": reverse("api:v1:openapi-json"), "docs": reverse("api_pages:docs")}
    return JsonResponse({name: request.build_absolute_uri(path) for name, path in links.items()})


def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation, rendered on the server from the generated OpenAPI schema."""
    return render(request, "api/docs.html", api_docs.context(request))


def listing_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Any public search (the search page's query string) as CSV, XLSX or JSON."""
    if file_format not in exports.FORMATS:
        raise Http404
    content_type, write = exports.FORMATS[file_format]
    filters = ListingSearchForm(request.GET or None).filters()
    listings, count = exports.bounded(listing_selectors.listing_list_public(filters=filters))
    response = HttpResponse(write(listings, count, request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="listings.{file_format}"'
    response["X-Total-Count"] = str(count)
    response["X-Export-Limit"] = str(exports.EXPORT_MAX_ROWS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Tokens (the organisation admin's pages) --------------------------------------------------------


def _organisation_for_token_admin(request: HttpRequest, pk: int) -> Organisation:
    """Outsiders get 404 (as for the organisation's other internal pages); members without the right 403."""
    organisation = organisation_get_for_member(user=request.user, organisation_id=pk)
    if not policies.can_manage_api_tokens(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def token_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_token_admin(request, pk)
    context = {"organisation": organisation, "tokens": selectors.api_token_list(organisation=organisation)}
    return render(request, "api/token_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_token_admin(request, pk)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                organisation=organisation, name=form.cleaned_data["name"], actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            response = render(
                request, "api/token_created.html", {"organisation": organisation, "issued": issued}
            )
            response["Cache-Control"] = "no-store"  # the secret is shown once and must not be cached
            return response
    return render(request, "api/token_form.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int, token_id: int) -> HttpResponse:
    organisation = _organisation_for_token_admin(request, pk)
    token = get_object_or_404(policies.api_tokens_visible_to(request.user, organisation), pk=token_id)
    if request.method == "POST":
        try:
            services.api_token_revoke(token=token, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
        return redirect("api_pages:tokens", pk=organisation.pk)
    return render(request, "api/token_revoke.html", {"organisation": organisation, "token": token})

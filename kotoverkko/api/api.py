"""The JSON API v1: thin endpoints over the api selectors, presenters and services.

Reads are anonymous (a token may be sent: it raises the rate limit and shows the token
organisation's own unpublished listings); writes need a token of the listing's organisation.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from typing import Any, Literal

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from kotoverkko.activities.services import listing_data_from as current_listing_data
from kotoverkko.core.errors import ApplicationError

from . import http, presenters, selectors, services
from .errors import FORBIDDEN_CODES, ApiErrorCode
from .filters import listing_filters_from
from .inputs import listing_data_from
from .models import ApiToken
from .schemas import (
    ErrorOut,
    LanguagePage,
    ListingCreateIn,
    ListingFieldsIn,
    ListingOut,
    ListingPage,
    MunicipalityPage,
    OccurrencePage,
    OrganisationOut,
    OrganisationPage,
    PlaceListItem,
    PlacePage,
    VocabularyPage,
)
from .throttling import ClientRateThrottle

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


# --- Authentication -------------------------------------------------------------------------------


class ApiTokenAuth(HttpBearer):
    """Authorization: Bearer <token>. The token is issued by the organisation's admin in the UI."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return services.api_token_authenticate(secret=token.strip())


class Anonymous:
    """No Authorization header at all: an anonymous read. A header with a bad token is a 401."""

    def __call__(self, request: HttpRequest) -> Anonymous | None:
        return None if request.headers.get("Authorization") else self

    def __bool__(self) -> bool:
        return True


TOKEN = ApiTokenAuth()
READ_AUTH = [TOKEN, Anonymous()]


def token_of(request: HttpRequest) -> ApiToken | None:
    return request.auth if isinstance(getattr(request, "auth", None), ApiToken) else None  # type: ignore[attr-defined]


# --- The API object -------------------------------------------------------------------------------------


class KotoverkkoApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # The machine-readable schema is always in English; the documentation page translates.
        with translation.override("en"):
            schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if operation.pop("x-anonymous-allowed", False):
                    operation["security"] = [*operation.get("security", []), {}]
        return schema


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Arabic or Tigrinya text stays a third of the size


api = KotoverkkoApi(
    renderer=Utf8JSONRenderer(),
    title="Kotoverkko API",
    version="1.0.0",
    description=(
        "Public directory of integration activities and events (both sections), with places, "
        "organisations and vocabularies. Reads are open; writes need an organisation's API token. "
        "Multilingual fields are objects keyed by language code."
    ),
    urls_namespace="api:v1",
    docs_url=None,
    throttle=[ClientRateThrottle()],
)

ERRORS_READ = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut}
ERRORS_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}
READ_EXTRA = {"x-anonymous-allowed": True}


# --- Errors: one shape, stable codes, the request's language ------------------------------------


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    return api.create_response(request, http.error_body(code, message, fields), status=status)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    if exc.code in FORBIDDEN_CODES:
        return _error(request, 403, ApiErrorCode.PERMISSION_DENIED.value, exc.message, exc.fields)
    return _error(request, 400, exc.code, exc.message, exc.fields)


def _field_name(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _error(request, 400, ApiErrorCode.INVALID.value, str(ApiErrorCode.INVALID.label), fields)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    code = (
        ApiErrorCode.INVALID_TOKEN if request.headers.get("Authorization") else ApiErrorCode.NOT_AUTHENTICATED
    )
    response = _error(request, 401, code.value, str(code.label))
    response["WWW-Authenticate"] = 'Bearer realm="kotoverkko"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ApiErrorCode.NOT_FOUND.value, str(ApiErrorCode.NOT_FOUND.label))


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _error(request, 429, ApiErrorCode.RATE_LIMITED.value, str(ApiErrorCode.RATE_LIMITED.label))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        401: ApiErrorCode.NOT_AUTHENTICATED,
        403: ApiErrorCode.PERMISSION_DENIED,
        404: ApiErrorCode.NOT_FOUND,
    }
    code = codes.get(exc.status_code, ApiErrorCode.INVALID)
    return _error(request, exc.status_code, code.value, str(code.label))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    if settings.DEBUG and getattr(settings, "API_RAISE_SERVER_ERRORS", False):
        raise exc
    return _error(request, 500, ApiErrorCode.SERVER_ERROR.value, str(ApiErrorCode.SERVER_ERROR.label))


# --- Paging and conditional reads ----------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100)."
    )


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _meta(request: HttpRequest, paging: PageQuery, count: int) -> dict[str, Any]:
    last = max(1, -(-count // paging.page_size))
    return {
        "count": count,
        "next": _page_url(request, paging.page + 1) if paging.page < last else None,
        "previous": _page_url(request, min(paging.page - 1, last)) if paging.page > 1 else None,
    }


def _slice(paging: PageQuery) -> slice:
    start = (paging.page - 1) * paging.page_size
    return slice(start, start + paging.page_size)


def _conditional_page(
    request: HttpRequest,
    response: HttpResponse,
    queryset: QuerySet[Any],
    paging: PageQuery,
    present: Callable[[Any], dict[str, Any]],
    *,
    changed_field: str | None = "updated_at",
    extra: Sequence[Any] = (),
) -> Any:
    """One page of `queryset` with ETag/Last-Modified; a 304 when the client's copy is current."""
    aggregates: dict[str, Any] = {"count": Count("pk")}
    if changed_field:
        aggregates["changed"] = Max(changed_field)
    state = queryset.order_by().aggregate(**aggregates)
    changed: datetime.datetime | None = state.get("changed")
    token = token_of(request)
    etag = http.etag_for(
        [request.path, sorted(request.GET.lists()), state["count"], changed, token and token.pk, *extra]
    )
    unchanged = http.not_modified(request, etag=etag, last_modified=changed)
    if unchanged is not None:
        return unchanged
    http.set_validators(response, etag=etag, last_modified=changed)
    items = [present(item) for item in queryset[_slice(paging)]]
    return {"meta": _meta(request, paging, state["count"]), "data": items}


def _conditional_one(request: HttpRequest, response: HttpResponse, data: dict[str, Any], changed: Any) -> Any:
    token = token_of(request)
    etag = http.etag_for([request.path, changed, token and token.pk, data.get("status")])
    unchanged = http.not_modified(request, etag=etag, last_modified=changed)
    if unchanged is not None:
        return unchanged
    http.set_validators(response, etag=etag, last_modified=changed)
    return data


# --- Listings ------------------------------------------------------------------------------------


class ListingQuery(Schema):
    """The public search's filters (the same names as on the search page), plus API-only ones."""

    q: str | None = Field(
        None, max_length=100, description="Search words (Finnish, Swedish and English are stemmed)."
    )
    section: Literal["activity", "event"] | None = Field(
        None, description="activity: for immigrants; event: for professionals."
    )
    municipality: list[str] | None = Field(
        None, description="Municipality codes (repeat the parameter for several)."
    )
    region: str | None = Field(
        None, max_length=2, description="Region code: every municipality of the region."
    )
    language: str | None = Field(None, max_length=3, description="Language code of the activity.")
    theme: str | None = Field(None, max_length=60, description="Theme id (see /themes/).")
    target_group: str | None = Field(
        None, max_length=60, description="Target group id (see /target-groups/)."
    )
    age: int | None = Field(None, ge=0, le=120, description="Age of the participant.")
    day: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = Field(
        None, description="Days of the week."
    )
    time: Literal["morning", "afternoon", "evening"] | None = Field(
        None, description="Time of day of the start."
    )
    date_from: datetime.date | None = Field(
        None, alias="from", description="Takes place on or after this date."
    )
    date_to: datetime.date | None = Field(None, alias="to", description="Takes place on or before this date.")
    start: datetime.date | None = Field(None, description="Same as from.")
    end: datetime.date | None = Field(None, description="Same as to.")
    free: bool | None = Field(None, description="true: only free of charge (as on the search page).")
    is_free: bool | None = Field(None, description="true: only free of charge; false: only with a fee.")
    mode: Literal["online", "in_person"] | None = None
    accessible: bool | None = Field(None, description="true: only accessible venues.")
    childcare: bool | None = Field(None, description="true: only with childcare.")
    sort: Literal["next", "relevance", "newest", "updated"] | None = Field(
        None, description="Order; updated = oldest change first (the default with updated_since)."
    )
    updated_since: datetime.datetime | None = Field(
        None,
        description="Only listings changed at or after this time (ISO 8601 with offset): incremental sync.",
    )


@api.get(
    "/listings/",
    response={200: ListingPage, 304: None, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="listing_list",
    summary=gettext_lazy("Search listings"),
    description=gettext_lazy("Public listings of both sections, filtered like the public search."),
    openapi_extra=READ_EXTRA,
    tags=["listings"],
)
def listing_list(
    request: HttpRequest, response: HttpResponse, filters: Query[ListingQuery], paging: Query[PageQuery]
) -> Any:
    listings = selectors.listing_list_for_api(filters=listing_filters_from(request.GET))
    return _conditional_page(
        request,
        response,
        selectors.with_relations(listings),
        paging,
        lambda listing: presenters.listing_data(listing, request),
    )


@api.get(
    "/listings/{int:listing_id}/",
    response={200: ListingOut, 304: None, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="listing_detail",
    summary=gettext_lazy("One listing"),
    description=gettext_lazy(
        "A public listing; a token also reads its own organisation's unpublished listings."
    ),
    openapi_extra=READ_EXTRA,
    tags=["listings"],
)
def listing_detail(request: HttpRequest, response: HttpResponse, listing_id: int) -> Any:
    listing = selectors.listing_get_for_api(listing_id=listing_id, token=token_of(request))
    return _conditional_one(request, response, presenters.listing_data(listing, request), listing.updated_at)


@api.post(
    "/listings/",
    response={201: ListingOut, **ERRORS_WRITE},
    auth=TOKEN,
    url_name="listing_create",
    summary=gettext_lazy("Create a listing"),
    description=gettext_lazy(
        "Creates a draft listing of the token's organisation; with submit=true it is sent to moderation. "
        "The same rules apply as in the editor."
    ),
    tags=["listings"],
)
def listing_create(request: HttpRequest, payload: ListingCreateIn) -> Any:
    token = token_of(request)
    data = listing_data_from(payload, organisation=token.organisation)
    listing = services.api_listing_create(token=token, data=data, submit=payload.submit)
    listing = selectors.listing_get_for_token_write(listing_id=listing.pk, token=token)
    return Status(201, presenters.listing_data(listing, request))


@api.patch(
    "/listings/{int:listing_id}/",
    response={200: ListingOut, **ERRORS_WRITE},
    auth=TOKEN,
    url_name="listing_update",
    summary=gettext_lazy("Change a listing"),
    description=gettext_lazy(
        "Changes the given fields of the token organisation's listing. A published listing stays "
        "published and the change is in its history; submit=true sends a draft to moderation."
    ),
    tags=["listings"],
)
def listing_update(request: HttpRequest, listing_id: int, payload: ListingFieldsIn) -> Any:
    token = token_of(request)
    listing = selectors.listing_get_for_token_write(listing_id=listing_id, token=token)
    data = listing_data_from(payload, organisation=token.organisation, current=current_listing_data(listing))
    services.api_listing_update(token=token, listing=listing, data=data, submit=payload.submit)
    listing = selectors.listing_get_for_token_write(listing_id=listing.pk, token=token)
    return presenters.listing_data(listing, request)


# --- Occurrences and places ------------------------------------------------------------------------


class OccurrenceQuery(ListingQuery):
    listing: int | None = Field(None, ge=1, description="Only this listing's occurrences.")


@api.get(
    "/occurrences/",
    response={200: OccurrencePage, 304: None, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="occurrence_list",
    summary=gettext_lazy("Upcoming occurrences"),
    description=gettext_lazy(
        "Each upcoming time of the public listings that match the filters (the search's filters; "
        "from/to, day and time narrow the times), in time order."
    ),
    openapi_extra=READ_EXTRA,
    tags=["listings"],
)
def occurrence_list(
    request: HttpRequest, response: HttpResponse, filters: Query[OccurrenceQuery], paging: Query[PageQuery]
) -> Any:
    params = request.GET.copy()
    params.pop("listing", None)
    occurrences = selectors.occurrence_list_for_api(
        filters=listing_filters_from(params), listing_id=filters.listing
    )
    return _conditional_page(
        request,
        response,
        occurrences,
        paging,
        presenters.occurrence_data,
        changed_field="listing__updated_at",
    )


@api.get(
    "/places/",
    response={200: PlacePage, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="place_list",
    summary=gettext_lazy("Places"),
    description=gettext_lazy(
        "The distinct locations of public listings. There is no separate place register: a place is an "
        "address in use, and its id is a hash of the address (or of the name), stable while the address is."
    ),
    openapi_extra=READ_EXTRA,
    tags=["places"],
)
def place_list(request: HttpRequest, paging: Query[PageQuery]) -> Any:
    places = selectors.place_list_public()
    data = [presenters.place_data(place) for place in places[_slice(paging)]]
    return {"meta": _meta(request, paging, len(places)), "data": data}


@api.get(
    "/places/{place_id}/",
    response={200: PlaceListItem, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="place_detail",
    summary=gettext_lazy("One place"),
    openapi_extra=READ_EXTRA,
    tags=["places"],
)
def place_detail(request: HttpRequest, place_id: str) -> Any:
    return presenters.place_data(selectors.place_get_public(place_id=place_id))


# --- Organisations and vocabularies --------------------------------------------------------------


@api.get(
    "/organisations/",
    response={200: OrganisationPage, 304: None, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="organisation_list",
    summary=gettext_lazy("Organisations"),
    description=gettext_lazy("Public organisations with their public contact details."),
    openapi_extra=READ_EXTRA,
    tags=["organisations"],
)
def organisation_list(request: HttpRequest, response: HttpResponse, paging: Query[PageQuery]) -> Any:
    organisations = selectors.organisation_list_for_api()
    return _conditional_page(
        request, response, organisations, paging, lambda o: presenters.organisation_data(o, request)
    )


@api.get(
    "/organisations/{int:organisation_id}/",
    response={200: OrganisationOut, 304: None, **ERRORS_READ},
    auth=READ_AUTH,
    url_name="organisation_detail",
    summary=gettext_lazy("One organisation"),
    openapi_extra=READ_EXTRA,
    tags=["organisations"],
)
def organisation_detail(request: HttpRequest, response: HttpResponse, organisation_id: int) -> Any:
    organisation = selectors.organisation_get_for_api(organisation_id=organisation_id)
    data = presenters.organisation_data(organisation, request)
    return _conditional_one(request, response, data, organisation.updated_at)


def _vocabulary_endpoint(
    path: str,
    name: str,
    summary: Any,
    tag: str,
    schema: Any,
    rows: Callable,
    present: Callable,
    changed: str | None,
) -> None:
    @api.get(
        path,
        response={200: schema, 304: None, **ERRORS_READ},
        auth=READ_AUTH,
        url_name=name,
        summary=summary,
        openapi_extra=READ_EXTRA,
        tags=[tag],
    )
    def endpoint(request: HttpRequest, response: HttpResponse, paging: Query[PageQuery]) -> Any:
        return _conditional_page(request, response, rows(), paging, present, changed_field=changed)

    endpoint.__name__ = name


_vocabulary_endpoint(
    "/themes/",
    "theme_list",
    gettext_lazy("Themes"),
    "vocabularies",
    VocabularyPage,
    selectors.theme_list,
    presenters.vocabulary_data,
    "updated_at",
)
_vocabulary_endpoint(
    "/target-groups/",
    "target_group_list",
    gettext_lazy("Target groups"),
    "vocabularies",
    VocabularyPage,
    selectors.target_group_list,
    presenters.vocabulary_data,
    "updated_at",
)
_vocabulary_endpoint(
    "/languages/",
    "language_list",
    gettext_lazy("Languages"),
    "vocabularies",
    LanguagePage,
    selectors.language_list,
    presenters.language_data,
    "updated_at",
)
_vocabulary_endpoint(
    "/municipalities/",
    "municipality_list",
    gettext_lazy("Municipalities"),
    "vocabularies",
    MunicipalityPage,
    selectors.municipality_list,
    presenters.municipality_data,
    "updated_at",
)

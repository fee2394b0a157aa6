"""Read-only Linked Events v1 endpoints (JSON-LD), public like the directory's search."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import selectors
from .presenters import Presenter

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
INCLUDABLE = frozenset({"location", "keywords", "in_language", "audience", "sub_events"})
TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}

View = Callable[..., HttpResponse]


class BadRequest(ValueError):
    pass


def linked_events_read(view: View) -> View:
    """GET/HEAD only; JSON with ETag and Last-Modified (conditional GET) and open CORS."""

    @require_safe
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            data, last_modified = view(request, *args, **kwargs)
        except (BadRequest, selectors.InvalidFilter) as error:
            response: HttpResponse = JsonResponse({"detail": str(error)}, status=400)
        except Http404:
            response = JsonResponse({"detail": "Not found."}, status=404)
        else:
            body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            timestamp = last_modified.timestamp() if last_modified else None
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["ETag"] = etag
            if timestamp is not None:
                response["Last-Modified"] = http_date(timestamp)
            response = (
                get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
                or response
            )
        response["Access-Control-Allow-Origin"] = "*"
        response["Vary"] = "Accept-Encoding"
        return response

    return wrapper


# --- Query parameters -------------------------------------------------------------------------------


def _page_numbers(request: HttpRequest) -> tuple[int, int]:
    try:
        page = int(request.GET.get("page", "1"))
        size = int(request.GET.get("page_size", str(DEFAULT_PAGE_SIZE)))
    except ValueError as error:
        raise BadRequest("page and page_size must be whole numbers.") from error
    if page < 1 or size < 1:
        raise BadRequest("page and page_size must be positive.")
    return page, min(size, MAX_PAGE_SIZE)


def _csv(request: HttpRequest, name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in request.GET.get(name, "").split(",") if part.strip())


def _boolean(request: HttpRequest, name: str) -> bool | None:
    value = request.GET.get(name, "").strip().lower()
    if not value:
        return None
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise BadRequest(f"{name} must be true or false.")


def _presenter(request: HttpRequest) -> Presenter:
    return Presenter(absolute=request.build_absolute_uri, include=set(_csv(request, "include")) & INCLUDABLE)


def _page(
    request: HttpRequest, items: Sequence[Any], render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """The Linked Events envelope: meta {count, next, previous} with absolute URLs, and data."""
    page, size = _page_numbers(request)
    count = len(items) if isinstance(items, list) else items.count()  # type: ignore[attr-defined]
    rows = items[(page - 1) * size : page * size]
    meta: dict[str, Any] = {"count": count}
    if page * size < count:
        meta["next"] = _page_url(request, page + 1)
    if page > 1:
        meta["previous"] = _page_url(request, page - 1)
    return {"meta": meta, "data": [render(item) for item in rows]}


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))


# --- Endpoints ---------------------------------------------------------------------------------------


@linked_events_read
def event_list(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    filters = selectors.EventFilters(
        start=selectors.parse_time(request.GET["start"], is_end=False) if request.GET.get("start") else None,
        end=selectors.parse_time(request.GET["end"], is_end=True) if request.GET.get("end") else None,
        text=request.GET.get("text", "").strip(),
        keywords=_csv(request, "keyword"),
        languages=_csv(request, "language") + _csv(request, "in_language"),
        locations=_csv(request, "location"),
        is_free=_boolean(request, "is_free"),
    )
    presenter = _presenter(request)
    return _page(
        request, selectors.event_list(filters=filters), presenter.event
    ), selectors.events_last_modified()


@linked_events_read
def event_detail(request: HttpRequest, event_id: str) -> tuple[dict[str, Any], Any]:
    found = selectors.event_get(event_id=event_id)
    return _presenter(request).event(found.listing, found.occurrence), found.listing.updated_at


@linked_events_read
def place_list(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    places = selectors.place_list()
    text = request.GET.get("text", request.GET.get("filter", "")).strip().casefold()
    if text:
        places = [p for p in places if any(text in name.casefold() for name in p.name.values())]
    latest = max((p.last_modified for p in places if p.last_modified), default=None)
    return _page(request, places, _presenter(request).place), latest


@linked_events_read
def place_detail(request: HttpRequest, place_id: str) -> tuple[dict[str, Any], Any]:
    place = selectors.place_get(place_id=place_id)
    return _presenter(request).place(place), place.last_modified


@linked_events_read
def keyword_list(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    keywords = selectors.keyword_list(
        text=request.GET.get("text", request.GET.get("filter", "")).strip(),
        show_all=bool(_boolean(request, "show_all_keywords")),
    )
    latest = max((k.updated_at for k in keywords), default=None)
    return _page(request, keywords, _presenter(request).keyword), latest


@linked_events_read
def keyword_detail(request: HttpRequest, keyword_id: str) -> tuple[dict[str, Any], Any]:
    keyword = selectors.keyword_get(keyword_id=keyword_id)
    return _presenter(request).keyword(keyword), keyword.updated_at


@linked_events_read
def language_list(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    languages = selectors.language_list()
    return _page(request, languages, _presenter(request).language), None


@linked_events_read
def language_detail(request: HttpRequest, code: str) -> tuple[dict[str, Any], Any]:
    language = selectors.language_get(code=code)
    return _presenter(request).language(language), language.updated_at

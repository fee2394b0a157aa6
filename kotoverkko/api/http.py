"""HTTP details of the API: conditional requests, CORS for reads, JSON answers to bare 405s."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _

from .errors import ApiErrorCode

READ_METHODS = ("GET", "HEAD")
CORS_MAX_AGE = 86400


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def etag_for(parts: Iterable[Any]) -> str:
    """A strong validator from what the answer is built of (the data's state and the query).

    Occurrence times move on without the listing changing, so the hour is part of it: a cached
    answer is at most an hour behind in its next_occurrence_at values.
    """
    hour = timezone.now().strftime("%Y%m%d%H")
    digest = hashlib.sha256(repr([*parts, hour]).encode()).hexdigest()[:32]
    return quote_etag(digest)


def _matches(header: str, etag: str) -> bool:
    candidates = [item.strip().removeprefix("W/") for item in header.split(",")]
    return "*" in candidates or etag in candidates


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: datetime.datetime | None
) -> HttpResponse | None:
    """A 304 when the client's copy is current (If-None-Match first, else If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = _matches(if_none_match, etag)
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        fresh = since is not None and last_modified is not None and int(last_modified.timestamp()) <= since
    if not fresh:
        return None
    response = HttpResponseNotModified()
    set_validators(response, etag=etag, last_modified=last_modified)
    return response


def set_validators(response: HttpResponse, *, etag: str, last_modified: datetime.datetime | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "no-cache"  # may be stored, but revalidated every time


def _json_error(status: int, code: ApiErrorCode, message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(error_body(code.value, message)), status=status, content_type="application/json"
    )


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps every API view: CORS for reads (any origin, no credentials), preflight, JSON 405."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = "Authorization, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = _json_error(
                405, ApiErrorCode.METHOD_NOT_ALLOWED, _("This method is not allowed here.")
            )
            response["Allow"] = allow
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        response["Vary"] = "Authorization, Accept-Language"
        return response

    return wrapper

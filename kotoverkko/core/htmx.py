"""htmx helpers: one view serves both the page and its fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_fragment(
    request: HttpRequest, template: str, context: dict[str, Any], *, fragment: str = "results"
) -> HttpResponse:
    """The whole page, or only `template#fragment` for an htmx request.

    History restoration (Back after an htmx navigation) asks for the whole page, and caches
    must keep the two answers apart, hence `Vary: HX-Request`.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template = f"{template}#{fragment}"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response

"""Public pages: adopted programmes with their latest compiled monitoring status. No sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kotoverkko.core.pagination import paginate

from . import charts, selectors, services


def public_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.programme_list_public())
    return render(request, "planning/public_list.html", {"page": page})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_public(programme_id=pk)
    services.indicators_refresh(programme=programme)
    board = selectors.public_page(programme=programme)
    context = {
        "programme": programme,
        "board": board,
        "goals": selectors.goals_of(programme),
        "versions": [v for v in selectors.versions_of(programme) if v.is_public],
        "charts": [(item, charts.indicator_chart(item.indicator)) for item in board.indicators],
    }
    return render(request, "planning/public_detail.html", context)

"""The situation picture's pages: choose an area, the area's page with its charts (CSV and SVG
downloads), and the coordinator's findings. Thin views: numbers come from selectors, writes
from findings.py."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core import i18n
from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.signals import policies as signal_policies
from kotoverkko.signals import selectors as signal_selectors

from . import charts, findings, indicators, selectors
from .forms_pages import AreaChoiceForm, FindingForm
from .models import Finding, FindingQuestion


def index(request: HttpRequest) -> HttpResponse:
    form = AreaChoiceForm(request.GET or None)
    if form.is_bound and (key := form.area_key()):
        return redirect("situation:area", area=key)
    context = {
        "form": form,
        "demo_group": selectors.DEMO_GROUP,
        "regions": selectors.region_choices(),
    }
    return render(request, "situation/index.html", context)


def _question_groups(area_findings: list[Finding]) -> list[dict[str, Any]]:
    groups = []
    for value, label in FindingQuestion.choices:
        items = [
            {
                "finding": finding,
                "text": i18n.localized(finding.text),
                "lang": i18n.localized_language(finding.text),
                "dir": i18n.text_direction(i18n.localized_language(finding.text)),
            }
            for finding in area_findings
            if finding.question == value
        ]
        groups.append({"value": value, "label": label, "findings": items})
    return groups


def _summary(part: selectors.LanguagePicture | None) -> dict[str, Any]:
    if part is None or part.latest is None:
        return {}
    latest = part.latest
    amounts = [latest.foreign, latest.population, part.men, part.women]
    summary: dict[str, Any] = {
        "year": latest.year,
        "foreign": charts.amount_text(latest.foreign),
        "share": charts.share_text(latest.share, csv_form=False),
        "growth": part.growth,
        "has_sex": part.men.has_data or part.women.has_data,
        "men": charts.amount_text(part.men),
        "women": charts.amount_text(part.women),
        "incomplete": any(a.suppressed for a in amounts) or any(row.foreign.suppressed for row in part.rows),
    }
    if part.growth:
        summary["growth_percent"] = charts.shown(part.growth.percent, 1)
        summary["growth_annual"] = charts.shown(part.growth.annual_percent, 1)
    if part.projection:
        summary["slope"] = charts.shown(part.projection.slope, 2)
    return summary


def _comparisons(part: selectors.LanguagePicture | None) -> list[dict[str, Any]]:
    if part is None:
        return []
    return [
        {
            "name": row.area.name,
            "key": row.area.key,
            "is_self": row.is_self,
            "foreign": charts.amount_text(row.foreign),
            "population": charts.amount_text(row.population),
            "share": charts.share_text(row.share, csv_form=False),
        }
        for row in part.comparisons
    ]


def _origin_summary(part: selectors.OriginPicture | None) -> dict[str, Any]:
    if part is None:
        return {}
    return {
        "year": part.year,
        "born_abroad": charts.amount_text(part.born_abroad),
        "share": charts.share_text(part.share, csv_form=False),
        "incomplete": part.born_abroad.suppressed > 0
        or part.top_hidden > 0
        or any(amount.suppressed for _g, _l, amount in part.groups),
        "groups": [
            {"label": label, "amount": charts.amount_text(amount)} for _g, label, amount in part.groups
        ],
    }


def area(request: HttpRequest, area: str) -> HttpResponse:
    place = selectors.area_get(area)
    picture = selectors.situation_picture(place)
    chart_map = charts.picture_charts(picture)
    area_findings = selectors.findings_for(place)
    can_write = place.kind == "municipality" and findings.can_write_findings(request.user, place.key)
    editable = {
        finding.pk
        for finding in area_findings
        if findings.can_write_findings(request.user, finding.municipality_id)
    }
    context = {
        "place": place,
        "picture": picture,
        "language": picture.languages[0] if picture.languages else None,
        "origin": picture.origins[0] if picture.origins else None,
        "origin_summary": _origin_summary(picture.origins[0] if picture.origins else None),
        "population": picture.populations[0] if picture.populations else None,
        "jobseekers": picture.jobseekers[0] if picture.jobseekers else None,
        "charts": chart_map,
        "question_groups": _question_groups(area_findings),
        "summary": _summary(picture.languages[0] if picture.languages else None),
        "comparisons": _comparisons(picture.languages[0] if picture.languages else None),
        "has_findings": bool(area_findings),
        "can_write": can_write,
        "editable": editable,
        "show_findings": place.kind in {"municipality", "group"},
        "projection_base": indicators.PROJECTION_BASE_YEARS,
        "projection_years": indicators.PROJECTION_YEARS,
        "signals": _signals_from_the_field(request.user, place),
    }
    return render(request, "situation/area.html", context)


SIGNAL_MONTHS = 12


def _signals_from_the_field(user: Any, place: selectors.Area) -> dict[str, Any] | None:
    """What the field reported in the area over the last year, by theme, for the coordinator.

    Counts only (no text, no senders): they sit next to the findings as qualitative evidence.
    """
    if place.kind not in {"municipality", "group"} or not signal_policies.can_coordinate_signals(user):
        return None
    end = timezone.localdate()
    start = (end.replace(day=1) - relativedelta(months=SIGNAL_MONTHS - 1)).replace(day=1)
    rows = signal_selectors.signal_counts_by_theme(municipality_codes=list(place.codes), start=start, end=end)
    return {"rows": rows, "start": start, "end": end, "total": sum(count for _label, _slug, count in rows)}


def _chart(area: str, chart: str) -> tuple[selectors.Area, charts.Chart]:
    place = selectors.area_get(area)
    found = charts.picture_charts(selectors.situation_picture(place)).get(chart)
    if found is None:
        raise Http404
    return place, found


def chart_csv(request: HttpRequest, area: str, chart: str) -> HttpResponse:
    place, found = _chart(area, chart)
    response = HttpResponse(found.csv_text(), content_type="text/csv; charset=utf-8")
    name = f"{place.key.replace('+', '-')}-{chart}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def chart_svg(request: HttpRequest, area: str, chart: str) -> HttpResponse:
    _place, found = _chart(area, chart)
    return HttpResponse(found.svg(standalone=True), content_type="image/svg+xml; charset=utf-8")


@login_required
def finding_create(request: HttpRequest, area: str) -> HttpResponse:
    place = selectors.area_get(area)
    if place.kind != "municipality" or place.municipality is None:
        raise Http404
    if not findings.can_write_findings(request.user, place.key):
        raise PermissionDenied
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            findings.finding_create(
                actor=request.user, municipality=place.municipality, data=form.finding_data()
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The finding was saved."))
            return redirect(reverse("situation:area", args=[place.key]) + "#findings")
    context = {"form": form, "place": place, "finding": None}
    return render(request, "situation/finding_form.html", context)


def _finding_for_writer(request: HttpRequest, pk: int) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("municipality"), pk=pk)
    if not findings.can_write_findings(request.user, finding.municipality_id):
        raise Http404
    return finding


@login_required
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_for_writer(request, pk)
    form = FindingForm(request.POST or None, finding=finding)
    if request.method == "POST" and form.is_valid():
        try:
            findings.finding_update(actor=request.user, finding=finding, data=form.finding_data())
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The finding was saved."))
            return redirect(reverse("situation:area", args=[finding.municipality_id]) + "#findings")
    place = selectors.area_get(finding.municipality_id)
    return render(request, "situation/finding_form.html", {"form": form, "place": place, "finding": finding})


@login_required
@require_POST
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_for_writer(request, pk)
    code = finding.municipality_id
    findings.finding_delete(actor=request.user, finding=finding)
    messages.success(request, _("The finding was deleted."))
    return redirect(reverse("situation:area", args=[code]) + "#findings")

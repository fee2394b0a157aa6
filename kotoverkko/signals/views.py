"""Signal pages: send, the sender's list, the handlers' inbox and detail, routing and statistics.
Thin views: parse → policy/selector → service → render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.htmx import render_page_or_fragment
from kotoverkko.core.pagination import paginate
from kotoverkko.reference.models import Municipality

from . import policies, selectors, services, workflow
from .enums import SignalStatus
from .forms import (
    AnswerForm,
    InboxFilterForm,
    RerouteForm,
    RoutingForm,
    SentFilterForm,
    SignalForm,
    StatisticsForm,
    StatusForm,
)
from .models import Signal

INBOX_PAGE_SIZE = 20


# --- Sending ---------------------------------------------------------------------------------------


@login_required
def signal_send(request: HttpRequest) -> HttpResponse:
    organisations = policies.organisations_for_sending(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = SignalForm(request.POST or None, user=request.user, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_send(data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you. The signal was sent to %(organisation)s.")
                % {"organisation": signal.routed_organisation},
            )
            return redirect("signals:detail", pk=signal.pk)
    return render(request, "signals/signal_form.html", {"form": form})


@login_required
def signal_sent(request: HttpRequest) -> HttpResponse:
    if not policies.can_send_signals(request.user):
        raise PermissionDenied
    form = SentFilterForm(request.GET or None)
    signals = selectors.signal_list_sent(user=request.user, status=form.selected_status())
    context = {"form": form, "page": paginate(request, signals, per_page=INBOX_PAGE_SIZE)}
    return render_page_or_fragment(request, "signals/signal_sent.html", context)


# --- Handling --------------------------------------------------------------------------------------


@login_required
def signal_inbox(request: HttpRequest) -> HttpResponse:
    if not policies.can_use_inbox(request.user):
        raise PermissionDenied
    form = InboxFilterForm(request.GET or None)
    signals = selectors.signal_list_inbox(user=request.user, filters=form.filters())
    context = {"form": form, "page": paginate(request, signals, per_page=INBOX_PAGE_SIZE)}
    return render_page_or_fragment(request, "signals/signal_inbox.html", context)


def _history_rows(signal: Signal) -> list[dict]:
    labels = {
        "signal.sent": _("Sent"),
        "signal.answered": _("Answered"),
        "signal.answer_changed": _("Answer corrected"),
        "signal.rerouted": _("Sent on to another organisation"),
        "signal.status_changed": _("Status changed"),
    }
    statuses = dict(SignalStatus.choices)
    rows = []
    for event in selectors.signal_history(signal=signal):
        change = event.changes.get("status") if isinstance(event.changes, dict) else None
        rows.append(
            {
                "event": event,
                "label": labels.get(event.action, event.action),
                "status": statuses.get(change["to"], "") if isinstance(change, dict) else "",
            }
        )
    return rows


def _detail_page(
    request: HttpRequest,
    signal: Signal,
    *,
    answer_form: AnswerForm | None = None,
    status_form: StatusForm | None = None,
    reroute_form: RerouteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_handle = policies.can_handle_signal(request.user, signal)
    can_reroute = policies.can_reroute_signal(request.user, signal)
    answerable = can_handle and signal.status in workflow.ANSWERABLE
    context = {
        "signal": signal,
        "can_handle": can_handle,
        "handling_view": policies.can_see_handling(request.user, signal),
        "answer_form": answer_form or (AnswerForm(initial={"answer": signal.answer}) if answerable else None),
        "status_form": status_form or (StatusForm(signal=signal) if can_handle else None),
        "reroute_form": reroute_form or (RerouteForm(signal=signal) if can_reroute else None),
        "history": _history_rows(signal),
    }
    return render(request, "signals/signal_detail.html", context, status=status)


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = selectors.signal_get_for_user(user=request.user, signal_id=pk)
    return _detail_page(request, signal)


def _signal_to_handle(request: HttpRequest, pk: int) -> Signal:
    signal = selectors.signal_get_for_user(user=request.user, signal_id=pk)
    if not policies.can_handle_signal(request.user, signal):
        raise PermissionDenied
    return signal


@login_required
@require_POST
def signal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_to_handle(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.signal_answer(signal=signal, answer=form.cleaned_data["answer"], actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The answer was saved. The sender can now read it."))
            return redirect("signals:detail", pk=signal.pk)
    signal.refresh_from_db()
    return _detail_page(request, signal, answer_form=form, status=400)


@login_required
@require_POST
def signal_status(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_to_handle(request, pk)
    form = StatusForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            services.signal_change_status(
                signal=signal, status=form.cleaned_data["status"], actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect("signals:detail", pk=signal.pk)
    return _detail_page(request, signal, status_form=form, status=400)


@login_required
@require_POST
def signal_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    signal = selectors.signal_get_for_user(user=request.user, signal_id=pk)
    if not policies.can_reroute_signal(request.user, signal):
        raise PermissionDenied
    form = RerouteForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            services.signal_reroute(
                signal=signal, organisation=form.cleaned_data["organisation"], actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(
                request,
                _("The signal was sent on to %(organisation)s.")
                % {"organisation": signal.routed_organisation},
            )
            if policies.signals_visible_to(request.user).filter(pk=signal.pk).exists():
                return redirect("signals:detail", pk=signal.pk)
            return redirect("signals:inbox")
    return _detail_page(request, signal, reroute_form=form, status=400)


# --- Routing table and statistics (coordinators) ---------------------------------------------------


def _coordinated_municipality(request: HttpRequest) -> Municipality:
    """The municipality asked for (?municipality=), else the coordinator's first one."""
    codes = policies.coordinated_municipalities(request.user)
    if codes is not None and not codes:
        raise PermissionDenied
    wanted = request.GET.get("municipality") or request.POST.get("municipality") or ""
    if not wanted:
        fallback = selectors.municipality_codes_with_organisation()
        wanted = sorted(codes)[0] if codes else (fallback[0] if fallback else "")
    if codes is not None and wanted not in codes:
        raise Http404
    municipality = Municipality.objects.filter(code=wanted).first()
    if municipality is None:
        raise Http404
    return municipality


@login_required
def routing_table(request: HttpRequest) -> HttpResponse:
    municipality = _coordinated_municipality(request)
    routes = selectors.routing_table(municipality_code=municipality.code)
    form = RoutingForm(request.POST or None, municipality_code=municipality.code, routes=routes)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.routing_table_save(
                municipality=municipality, routes=form.routes(), actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(
                request, _("The routing table was saved (%(count)s changes).") % {"count": changed}
            )
            return redirect(f"{request.path}?municipality={municipality.code}")
    codes = policies.coordinated_municipalities(request.user)
    context = {
        "form": form,
        "municipality": municipality,
        "fallback": selectors.municipality_organisation(municipality_code=municipality.code),
        "municipalities": Municipality.objects.current().filter(
            code__in=codes if codes is not None else selectors.municipality_codes_with_organisation()
        ),
    }
    return render(request, "signals/routing_table.html", context)


def _statistics_form(request: HttpRequest) -> StatisticsForm:
    if not policies.can_coordinate_signals(request.user):
        raise PermissionDenied
    return StatisticsForm(request.GET, municipality_codes=policies.coordinated_municipalities(request.user))


@login_required
def signal_statistics(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    context: dict = {"form": form, "rows": [], "by_theme": []}
    if form.is_valid():
        data = form.cleaned_data
        codes = form.municipality_codes()
        context["rows"] = selectors.signal_counts(
            municipality_codes=codes, start=data["start"], end=data["end"], period=data["period"]
        )
        context["by_theme"] = selectors.signal_counts_by_theme(
            municipality_codes=codes, start=data["start"], end=data["end"]
        )
        context["total"] = sum(count for _label, _slug, count in context["by_theme"])
        context["csv_query"] = request.GET.urlencode()
    return render(request, "signals/statistics.html", context)


@login_required
def signal_statistics_csv(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    if not form.is_valid():
        return redirect("signals:statistics")
    data = form.cleaned_data
    rows = selectors.signal_counts(
        municipality_codes=form.municipality_codes(),
        start=data["start"],
        end=data["end"],
        period=data["period"],
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="signals.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Period start"), _("Theme"), _("Theme identifier"), _("Signals")])
    for row in rows:
        writer.writerow([row.period_start.isoformat(), row.theme_label, row.theme_slug, row.count])
    return response

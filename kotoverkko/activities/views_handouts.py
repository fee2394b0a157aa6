"""Handing listings over: the counsellor's basket, and a handout's online, print, PDF and QR versions.

The basket pages are for people who may hand out listings; the handout itself is public to whoever
has its (unguessable) link until it expires, and holds nothing about the client.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.i18n import text_direction
from kotoverkko.reference.models import Language

from . import handouts, policies, selectors, services
from .models import Handout, Listing

RECENT_HANDOUTS = 10


def _counsellors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to sign in; people who may not hand out listings get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_hand_out(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else reverse("activities:basket")


# --- The basket ---------------------------------------------------------------------------------


def _render_basket(
    request: HttpRequest, *, listings: list[Listing], form: handouts.HandoutForm
) -> HttpResponse:
    recent = list(
        policies.handouts_visible_to(request.user)
        .filter(expires_at__gt=timezone.now(), is_draft=False)
        .annotate(item_count=Count("items"))
        .order_by("-created_at")[:RECENT_HANDOUTS]
    )
    names = {
        language.code: language.name
        for language in Language.objects.filter(code__in={handout.language for handout in recent})
    }
    for handout in recent:
        handout.language_name = names.get(handout.language, handout.language)
    context = {
        "listings": listings,
        "form": form,
        "limit": handouts.BASKET_LIMIT,
        "valid_days": settings.HANDOUT_VALID_DAYS,
        "recent": recent,
    }
    return render(request, "activities/handouts/basket.html", context)


@require_safe
@_counsellors_only
def basket(request: HttpRequest) -> HttpResponse:
    listings = handouts.Basket(request.session).listings()
    form = handouts.HandoutForm(organisations=handouts.organisations_to_hand_out_for(request.user))
    return _render_basket(request, listings=listings, form=form)


@require_POST
@_counsellors_only
def basket_add(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(selectors.listings_public(), pk=pk)
    basket = handouts.Basket(request.session)
    added = basket.add(listing.pk)
    if getattr(request, "htmx", False):
        context = {
            "listing": listing,
            "can_hand_out": True,
            "handout_basket_ids": set(basket.ids),
            "basket_full": not added,
            "next_url": _next_url(request),
        }
        return render(request, "activities/handouts/add_button.html", context)
    if added:
        messages.success(
            request,
            _("“%(title)s” is in the handout (%(count)s of at most %(limit)s).")
            % {"title": listing.display_title, "count": len(basket), "limit": handouts.BASKET_LIMIT},
        )
    else:
        messages.error(
            request,
            _("A handout can hold at most %(limit)s activities.") % {"limit": handouts.BASKET_LIMIT},
        )
    return redirect(_next_url(request))


@require_POST
@_counsellors_only
def basket_remove(request: HttpRequest, pk: int) -> HttpResponse:
    handouts.Basket(request.session).remove(pk)
    messages.success(request, _("The activity was removed from the handout."))
    return redirect(_next_url(request))


@require_POST
@_counsellors_only
def handout_create(request: HttpRequest) -> HttpResponse:
    basket = handouts.Basket(request.session)
    listings = basket.listings()
    form = handouts.HandoutForm(
        request.POST, organisations=handouts.organisations_to_hand_out_for(request.user)
    )
    if form.is_valid():
        try:
            handout = services.handout_create(
                listings=listings,
                language=form.cleaned_data["language"],
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            basket.clear()
            return redirect("activities:handout_print", token=handout.token)
    return _render_basket(request, listings=listings, form=form)


# --- The handout (public by its link) --------------------------------------------------------------


def _no_index(response: HttpResponse) -> HttpResponse:
    """Handouts are not for search engines or shared caches, and they expire."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _expired(request: HttpRequest, handout: Handout) -> HttpResponse:
    response = render(request, "activities/handouts/expired.html", {"handout": handout}, status=410)
    return _no_index(response)


def _handout_context(handout: Handout) -> dict[str, Any]:
    labels = handouts.label_language(handout.language)
    entries, gone = handouts.handout_entries(handout, labels=labels)
    return {
        "handout": handout,
        "entries": entries,
        "gone": gone,
        "labels": labels,
        "label_dir": text_direction(labels),
        "direction": text_direction(handout.language),
        "language_name": handouts.handout_language_name(handout, labels=labels),
        "link": handouts.short_link(handout),
    }


def _get_live(token: str) -> tuple[Handout, bool]:
    handout = handouts.handout_get(token=token)
    return handout, handouts.is_expired(handout)


@require_safe
def handout(request: HttpRequest, token: str) -> HttpResponse:
    handout, expired = _get_live(token)
    if expired:
        return _expired(request, handout)
    context = _handout_context(handout)
    context["qr_src"] = reverse("activities:handout_qr", kwargs={"token": handout.token})
    return _no_index(render(request, "activities/handouts/handout.html", context))


@require_safe
def handout_print(request: HttpRequest, token: str) -> HttpResponse:
    handout, expired = _get_live(token)
    if expired:
        return _expired(request, handout)
    context = _handout_context(handout)
    context["qr_src"] = reverse("activities:handout_qr", kwargs={"token": handout.token})
    context["for_pdf"] = False
    context["can_hand_out"] = policies.can_hand_out(request.user)
    return _no_index(render(request, "activities/handouts/print.html", context))


@require_safe
def handout_pdf(request: HttpRequest, token: str) -> HttpResponse:
    handout, expired = _get_live(token)
    if expired:
        return _expired(request, handout)
    context = _handout_context(handout)
    context["qr_src"] = handouts.qr_data_uri(context["link"])
    context["for_pdf"] = True
    html = render_to_string("activities/handouts/print.html", context, request=request)
    response = HttpResponse(handouts.pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=handouts.pdf_filename(handout)
    )
    return _no_index(response)


@require_safe
def handout_qr(request: HttpRequest, token: str) -> HttpResponse:
    handout, expired = _get_live(token)
    if expired:
        return _expired(request, handout)
    response = HttpResponse(handouts.qr_svg(handouts.short_link(handout)), content_type="image/svg+xml")
    return _no_index(response)

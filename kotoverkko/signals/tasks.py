"""Signal notifications. The e-mail carries the theme, urgency and a link, never the texts:
e-mail is not a safe channel for what a signal or its answer may say."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kotoverkko.accounts.models import Membership, User
from kotoverkko.accounts.roles import Permission, role_grants


def _link(signal_id: int, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse("signals:detail", args=[signal_id])


def _handler_addresses(signal) -> dict[str, list[str]]:  # noqa: ANN001 - a Signal; no model import at module level
    """Addresses of the routed organisation's handlers (also those of its parents), by language."""
    memberships = Membership.objects.filter(
        organisation_id__in=signal.routed_organisation.lineage_ids(), user__is_active=True
    ).select_related("user")
    by_language: dict[str, list[str]] = {}
    for membership in memberships:
        if role_grants(membership.role, Permission.HANDLE_SIGNALS):
            by_language.setdefault(membership.user.preferred_language, []).append(membership.user.email)
    return by_language


def _send(template: str, context: dict, language: str, addresses: list[str]) -> None:
    with translation.override(language):
        subject = render_to_string(f"signals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"signals/email/{template}_body.txt", context)
    send_mail(subject, body, None, sorted(set(addresses)))


@task()
def notify_signal_routed(*, signal_id: int) -> None:
    """Tell the handlers that a signal has come to their organisation."""
    from .models import Signal

    signal = (
        Signal.objects.select_related("theme", "routed_organisation", "municipality")
        .filter(pk=signal_id)
        .first()
    )
    if signal is None:
        return
    for language, addresses in _handler_addresses(signal).items():
        with translation.override(language):
            context = {
                "signal": signal,
                "theme": signal.theme.label,
                "urgency": signal.get_urgency_display(),
                "municipality": signal.municipality.name,
                "organisation": str(signal.routed_organisation),
                "url": _link(signal.pk, language),
                "site_name": settings.SITE_NAME,
            }
        _send("routed", context, language, addresses)


@task()
def notify_signal_answered(*, signal_id: int) -> None:
    """Tell the person who sent the signal that it has an answer."""
    from .models import Signal

    signal = Signal.objects.select_related("theme").filter(pk=signal_id).first()
    if signal is None or signal.sent_by_id is None:
        return
    sender = User.objects.filter(pk=signal.sent_by_id, is_active=True).first()
    if sender is None:
        return
    language = sender.preferred_language
    with translation.override(language):
        context = {
            "signal": signal,
            "theme": signal.theme.label,
            "url": _link(signal.pk, language),
            "site_name": settings.SITE_NAME,
        }
    _send("answered", context, language, [sender.email])

"""Write use-cases of signals. Every change is in the audit trail, by field name only: the texts
may hold sensitive content, so they never reach the trail, and the privacy guard refuses personal
data before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError, ErrorCode
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from . import policies, privacy, selectors, workflow
from .enums import SignalStatus
from .models import Signal, SignalRoute, SignalTheme
from .tasks import notify_signal_answered, notify_signal_routed

# Free texts: named in the trail when they change, their content never stored there.
TEXT_FIELDS = ("description", "locality", "answer")
AUDITED_FIELDS = (
    "theme",
    "target_group",
    "urgency",
    "municipality",
    "sender_organisation",
    "routed_organisation",
    "status",
    *TEXT_FIELDS,
)


class SignalErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    PERSONAL_DATA = "personal_data", _("The text contains personal data. Nothing was saved.")
    NO_RECIPIENT = (
        "no_recipient",
        _("Signals cannot be sent to this municipality yet: it has no organisation in the service."),
    )
    THEME_NOT_IN_USE = "theme_not_in_use", _("This theme is no longer in use. Choose another one.")
    ILLEGAL_TRANSITION = "illegal_transition", _("The signal cannot be moved to that status now.")
    ANSWER_REQUIRED = "answer_required", _("Write the answer.")
    NOT_ANSWERABLE = "not_answerable", _("A closed signal cannot be answered. Reopen it first.")
    NOT_REROUTABLE = "not_reroutable", _("An answered or closed signal cannot be sent on.")
    SAME_ORGANISATION = "same_organisation", _("The signal is already with this organisation.")
    NOT_SERVING = (
        "not_serving",
        _("Choose an organisation that works in the signal's municipality."),
    )


def _fail(code: SignalErrorCode, field_name: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name)


def guard_texts(texts: dict[str, str]) -> None:
    """Refuse personal data in any of the texts. Raises SignalError(PERSONAL_DATA) naming each field."""
    fields = {name: errors for name, text in texts.items() if (errors := privacy.personal_data_errors(text))}
    if fields:
        raise ApplicationError(
            SignalErrorCode.PERSONAL_DATA.value, str(SignalErrorCode.PERSONAL_DATA.label), fields=fields
        )


def _record(
    signal: Signal, action: str, actor: Any, changes: dict[str, Any], *, organisation_id: int
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=signal,
        organisation_id=organisation_id,
        municipality_code=signal.municipality_id,
        changes=changes,
    )


def _changes(before: dict[str, Any], signal: Signal) -> dict[str, Any]:
    return audit.changes_between(before, audit.snapshot(signal, AUDITED_FIELDS), personal=TEXT_FIELDS)


def _full_clean(signal: Signal) -> None:
    try:
        signal.full_clean()
    except ValidationError as error:
        messages = next(iter(error.message_dict.values()))
        raise ApplicationError("invalid", messages[0], fields=error.message_dict) from error


def _notify_routed(signal: Signal) -> None:
    signal_id = signal.pk
    transaction.on_commit(lambda: notify_signal_routed.enqueue(signal_id=signal_id))


# --- Sending ---------------------------------------------------------------------------------------


@dataclass
class SignalData:
    sender_organisation: Organisation
    theme: SignalTheme
    municipality: Municipality
    target_group: str
    description: str
    urgency: str
    locality: str = ""


@transaction.atomic
def signal_send(*, data: SignalData, actor: Any, notify: bool = True) -> Signal:
    """Send a signal on behalf of an organisation; it is routed by theme and its handlers are told.

    Raises SignalError(NOT_ALLOWED | PERSONAL_DATA | THEME_NOT_IN_USE | NO_RECIPIENT).
    """
    if not policies.can_send_for(actor, data.sender_organisation):
        raise _fail(SignalErrorCode.NOT_ALLOWED)
    description, locality = data.description.strip(), data.locality.strip()
    guard_texts({"description": description, "locality": locality})
    if not data.theme.is_active:
        raise _fail(SignalErrorCode.THEME_NOT_IN_USE, "theme")
    recipient = selectors.route_for(municipality_code=data.municipality.code, theme=data.theme)
    if recipient is None:
        raise _fail(SignalErrorCode.NO_RECIPIENT, "municipality")
    signal = Signal(
        theme=data.theme,
        target_group=data.target_group,
        description=description,
        urgency=data.urgency,
        municipality=data.municipality,
        locality=locality,
        sender_organisation=data.sender_organisation,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        routed_organisation=recipient,
    )
    _full_clean(signal)
    signal.save()
    changes = audit.changes_between({}, audit.snapshot(signal, AUDITED_FIELDS), personal=TEXT_FIELDS)
    _record(signal, "signal.sent", actor, changes, organisation_id=signal.sender_organisation_id)
    if notify:
        _notify_routed(signal)
    return signal


# --- Handling --------------------------------------------------------------------------------------


@transaction.atomic
def signal_change_status(*, signal: Signal, status: str, actor: Any) -> Signal:
    """A handler marks the signal received, in progress or closed (or reopens it).

    Raises SignalError(NOT_ALLOWED | ILLEGAL_TRANSITION | ANSWER_REQUIRED).
    """
    if not policies.can_handle_signal(actor, signal):
        raise _fail(SignalErrorCode.NOT_ALLOWED)
    if not workflow.can_transition(signal.status, status):
        raise _fail(SignalErrorCode.ILLEGAL_TRANSITION, "status")
    if status == SignalStatus.ANSWERED and not signal.answer:
        raise _fail(SignalErrorCode.ANSWER_REQUIRED, "answer")
    before = audit.snapshot(signal, AUDITED_FIELDS)
    signal.status = status
    signal.save(update_fields=["status", "updated_at"])
    _record(
        signal,
        "signal.status_changed",
        actor,
        _changes(before, signal),
        organisation_id=signal.routed_organisation_id,
    )
    return signal


@transaction.atomic
def signal_answer(*, signal: Signal, answer: str, actor: Any, notify: bool = True) -> Signal:
    """Write (or correct) the answer; the signal becomes answered and its sender is told.

    Raises SignalError(NOT_ALLOWED | NOT_ANSWERABLE | ANSWER_REQUIRED | PERSONAL_DATA).
    """
    if not policies.can_handle_signal(actor, signal):
        raise _fail(SignalErrorCode.NOT_ALLOWED)
    if signal.status not in workflow.ANSWERABLE:
        raise _fail(SignalErrorCode.NOT_ANSWERABLE)
    answer = answer.strip()
    if not answer:
        raise _fail(SignalErrorCode.ANSWER_REQUIRED, "answer")
    guard_texts({"answer": answer})
    before = audit.snapshot(signal, AUDITED_FIELDS)
    first_answer = signal.status != SignalStatus.ANSWERED
    signal.answer = answer
    signal.status = SignalStatus.ANSWERED
    signal.answered_at = timezone.now()
    signal.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    _full_clean(signal)
    signal.save(update_fields=["answer", "status", "answered_at", "answered_by", "updated_at"])
    action = "signal.answered" if first_answer else "signal.answer_changed"
    _record(signal, action, actor, _changes(before, signal), organisation_id=signal.routed_organisation_id)
    if notify:
        signal_id = signal.pk
        transaction.on_commit(lambda: notify_signal_answered.enqueue(signal_id=signal_id))
    return signal


@transaction.atomic
def signal_reroute(*, signal: Signal, organisation: Organisation, actor: Any, notify: bool = True) -> Signal:
    """Send the signal on to another organisation that serves its municipality; it starts as new there.

    Raises SignalError(NOT_ALLOWED | NOT_REROUTABLE | SAME_ORGANISATION | NOT_SERVING).
    """
    if not (
        policies.can_handle_signal(actor, signal)
        or policies.can_coordinate_municipality(actor, signal.municipality_id)
    ):
        raise _fail(SignalErrorCode.NOT_ALLOWED)
    if signal.status not in workflow.REROUTABLE:
        raise _fail(SignalErrorCode.NOT_REROUTABLE)
    if organisation.pk == signal.routed_organisation_id:
        raise _fail(SignalErrorCode.SAME_ORGANISATION, "organisation")
    if (
        not selectors.routing_candidates(municipality_code=signal.municipality_id)
        .filter(pk=organisation.pk)
        .exists()
    ):
        raise _fail(SignalErrorCode.NOT_SERVING, "organisation")
    before = audit.snapshot(signal, AUDITED_FIELDS)
    previous_organisation_id = signal.routed_organisation_id
    signal.routed_organisation = organisation
    signal.status = SignalStatus.NEW
    signal.save(update_fields=["routed_organisation", "status", "updated_at"])
    _record(
        signal, "signal.rerouted", actor, _changes(before, signal), organisation_id=previous_organisation_id
    )
    if notify:
        _notify_routed(signal)
    return signal


# --- Routing table ---------------------------------------------------------------------------------


@transaction.atomic
def routing_table_save(
    *, municipality: Municipality, routes: dict[SignalTheme, Organisation | None], actor: Any
) -> int:
    """Set the organisation for each theme (None: the municipality itself); returns how many changed.

    Raises SignalError(NOT_ALLOWED | NOT_SERVING).
    """
    if not policies.can_coordinate_municipality(actor, municipality.code):
        raise _fail(SignalErrorCode.NOT_ALLOWED)
    candidates = set(
        selectors.routing_candidates(municipality_code=municipality.code).values_list("pk", flat=True)
    )
    current = {route.theme_id: route for route in SignalRoute.objects.filter(municipality=municipality)}
    changed = 0
    for theme, organisation in routes.items():
        existing = current.get(theme.pk)
        old_id = existing.organisation_id if existing else None
        new_id = organisation.pk if organisation else None
        if old_id == new_id:
            continue
        if organisation is not None and organisation.pk not in candidates:
            raise _fail(SignalErrorCode.NOT_SERVING, f"theme_{theme.slug}")
        if organisation is None:
            existing.delete()
            route: SignalRoute = existing
        elif existing is None:
            route = SignalRoute.objects.create(
                municipality=municipality, theme=theme, organisation=organisation
            )
        else:
            existing.organisation = organisation
            existing.save(update_fields=["organisation", "updated_at"])
            route = existing
        audit.record(
            actor=actor,
            action="signal_route.changed",
            obj=route,
            municipality_code=municipality.code,
            changes={"theme": theme.slug, "organisation": {"from": old_id, "to": new_id}},
        )
        changed += 1
    return changed

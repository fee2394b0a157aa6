"""Consultation on a draft programme: who may see and comment, the comment workflow, and the
summary of comments and answers that goes into the programme document.

Public comments are anonymous on purpose: no name or e-mail is asked for, so there is no
personal data to protect, show by mistake or delete later, and taking part needs no account. The
coordinator answers in the consultation itself, where everyone can read the answer. Comments are
shown only after moderation; the privacy guard refuses identity codes, telephone numbers and
e-mail addresses before anything is stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.accounts import policies as account_policies
from kotoverkko.accounts.roles import Permission
from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError, ErrorCode, PermissionDeniedError
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation
from kotoverkko.signals import privacy

from .documents import access
from .models import (
    Consultation,
    ConsultationComment,
    ConsultationCommentStatus,
    ConsultationPhase,
    ConsultationStatus,
    Goal,
    Measure,
    Programme,
    RejectionReason,
)
from .models.consultation import PLAIN_FINNISH


class ConsultationErrorCode(ErrorCode):
    NOT_ALLOWED = "consultation_not_allowed", gettext_lazy("You may not do this.")
    NOT_OPEN = "consultation_not_open", gettext_lazy("The consultation is not open for comments.")
    NOT_INVITED = (
        "consultation_not_invited",
        gettext_lazy("Only the invited organisations may comment in this consultation."),
    )
    PERSONAL_DATA = (
        "consultation_personal_data",
        gettext_lazy("Remove personal data and send again. Nothing was saved."),
    )
    BAD_SECTION = "consultation_bad_section", gettext_lazy("Choose a part of this programme.")
    BAD_DATES = "consultation_bad_dates", gettext_lazy("The consultation must close after it opens.")
    ALREADY_PUBLISHED = (
        "consultation_already_published",
        gettext_lazy("The consultation is already published."),
    )
    REASON_REQUIRED = "consultation_reason_required", gettext_lazy("Choose why the comment is not published.")
    NOT_PUBLISHED = (
        "consultation_comment_not_published",
        gettext_lazy("Only published comments are answered."),
    )


def _require(allowed: bool) -> None:  # noqa: FBT001 - a guard that reads as _require(can_x(...))
    if not allowed:
        raise PermissionDeniedError(
            ConsultationErrorCode.NOT_ALLOWED.value, ConsultationErrorCode.NOT_ALLOWED.label
        )


# --- Policies ---------------------------------------------------------------------------------------


def can_manage_consultations(user: Any, programme: Programme) -> bool:
    return access.can_edit_programme(user, programme)


def can_moderate(user: Any, consultation: Consultation) -> bool:
    return access.can_moderate_consultation(user, consultation)


def commenting_organisations(user: Any, consultation: Consultation) -> list[Organisation]:
    """The invited organisations the user may comment for (a member with any role)."""
    if not getattr(user, "is_authenticated", False):
        return []
    invited = consultation.invited_organisations.order_by("sort_name", "pk")
    # Platform admins (None: every organisation) comment only for organisations they belong to.
    members = account_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)
    if members is None:
        members = {membership.organisation_id for membership in account_policies.memberships_of(user)}
    return list(invited.filter(pk__in=organisation_policies.with_units(members)))


def consultations_visible_to(user: Any) -> QuerySet[Consultation]:
    """Published public consultations for everyone; invited ones for members of invited
    organisations; every one of a programme for its editors and moderators."""
    published = Q(status=ConsultationStatus.PUBLISHED)
    query = published & Q(is_public=True)
    members = organisation_policies.organisation_ids_with(user, Permission.VIEW_ORGANISATION_INTERNAL)
    if members is None:
        return Consultation.objects.all()
    if members:
        query |= published & Q(invited_organisations__in=members)
    editors = organisation_policies.organisation_ids_with(user, Permission.EDIT_PROGRAMME) or set()
    moderators = organisation_policies.organisation_ids_with(user, Permission.MODERATE_CONSULTATION) or set()
    if editors or moderators:
        query |= Q(programme__owner_id__in=editors | moderators)
    ids = Consultation.objects.filter(query).values("pk")
    return Consultation.objects.filter(pk__in=ids)


def consultation_get_for_user(*, user: Any, consultation_id: int) -> Consultation:
    """The consultation if the user may see it; Http404 otherwise (like a missing one)."""
    return get_object_or_404(
        consultations_visible_to(user).select_related("programme__owner"), pk=consultation_id
    )


# --- Selectors ----------------------------------------------------------------------------------------


def consultations_of(programme: Programme) -> QuerySet[Consultation]:
    return programme.consultations.order_by("-opens_at", "-pk")


def published_comments(consultation: Consultation) -> QuerySet[ConsultationComment]:
    return (
        consultation.comments.filter(status=ConsultationCommentStatus.PUBLISHED)
        .select_related("goal", "measure", "organisation")
        .order_by("created_at", "pk")
    )


def comments_for_moderation(consultation: Consultation, *, status: str = "") -> QuerySet[ConsultationComment]:
    comments = consultation.comments.select_related("goal", "measure", "organisation")
    if status:
        comments = comments.filter(status=status)
    return comments.order_by("status", "created_at", "pk")


def comment_counts(consultation: Consultation) -> dict[str, int]:
    counts = dict.fromkeys(ConsultationCommentStatus.values, 0)
    for status in consultation.comments.values_list("status", flat=True):
        counts[status] += 1
    counts["total"] = sum(counts.values())
    return counts


def summary_text(consultation: Consultation, language: str) -> tuple[str, str]:
    """The summary in `language` (PLAIN_FINNISH for selkokieli) and the language it is in."""
    if language == PLAIN_FINNISH and consultation.plain_finnish_summary:
        return consultation.plain_finnish_summary, PLAIN_FINNISH
    code = i18n.localized_language(consultation.summary, language)
    return (consultation.summary.get(code, ""), code) if code else ("", "")


def summary_languages(consultation: Consultation) -> list[str]:
    """The languages the summary is written in, plain Finnish last."""
    codes = [code for code, text in consultation.summary.items() if text]
    if consultation.plain_finnish_summary:
        codes.append(PLAIN_FINNISH)
    return codes


@dataclass
class SummaryComment:
    text: str
    language: str
    organisation: str
    answer: str
    submitted_on: datetime.date


@dataclass
class SummaryGroup:
    """The published comments on one part of the programme, with the coordinator's answers."""

    heading: str
    comments: list[SummaryComment] = field(default_factory=list)


@dataclass
class ConsultationSummary:
    consultation: Consultation
    received: int
    published: int
    not_published: int
    groups: list[SummaryGroup]


def consultation_summary(programme: Programme, *, language: str) -> ConsultationSummary | None:
    """The latest closed (else latest published) consultation's comments and answers, grouped by
    the part of the programme they are about (general first, then goals and measures in order)."""
    consultations = list(programme.consultations.filter(status=ConsultationStatus.PUBLISHED))
    if not consultations:
        return None
    now = timezone.now()
    closed = [item for item in consultations if item.phase(now) == ConsultationPhase.CLOSED]
    chosen = max(closed or consultations, key=lambda item: (item.closes_at, item.pk))
    counts = comment_counts(chosen)
    groups: dict[tuple[int, int, int], SummaryGroup] = {}
    for comment in published_comments(chosen):
        key, heading = _section_of(comment, language)
        group = groups.setdefault(key, SummaryGroup(heading=heading))
        group.comments.append(
            SummaryComment(
                text=comment.text,
                language=comment.language,
                organisation=i18n.localized(comment.organisation.name, language)
                if comment.organisation
                else "",
                answer=comment.answer,
                submitted_on=timezone.localtime(comment.created_at).date(),
            )
        )
    return ConsultationSummary(
        consultation=chosen,
        received=counts["total"],
        published=counts[ConsultationCommentStatus.PUBLISHED],
        not_published=counts[ConsultationCommentStatus.REJECTED],
        groups=[groups[key] for key in sorted(groups)],
    )


def _section_of(comment: ConsultationComment, language: str) -> tuple[tuple[int, int, int], str]:
    if comment.goal_id and comment.goal:
        goal = comment.goal
        return (1, goal.position, goal.pk), _("Goal: %(title)s") % {
            "title": i18n.localized(goal.title, language)
        }
    if comment.measure_id and comment.measure:
        measure = comment.measure
        return (2, measure.position, measure.pk), _("Measure: %(title)s") % {
            "title": i18n.localized(measure.title, language)
        }
    return (0, 0, 0), _("The programme as a whole")


def section_choices(programme: Programme, *, language: str | None = None) -> list[tuple[str, str]]:
    """The parts a comment can be about: general, each goal, each measure ("", "goal:1", "measure:2")."""
    choices = [("", _("The programme as a whole"))]
    for goal in programme.goals.order_by("position", "pk"):
        choices.append(
            (f"goal:{goal.pk}", _("Goal: %(title)s") % {"title": i18n.localized(goal.title, language)})
        )
    for measure in programme.measures.order_by("position", "pk"):
        choices.append(
            (
                f"measure:{measure.pk}",
                _("Measure: %(title)s") % {"title": i18n.localized(measure.title, language)},
            )
        )
    return choices


def resolve_section(programme: Programme, value: str) -> tuple[Goal | None, Measure | None]:
    """The goal or measure a section choice names; ApplicationError when it is not this programme's."""
    if not value:
        return None, None
    kind, _sep, raw = value.partition(":")
    found: Goal | Measure | None = None
    if raw.isdigit() and kind == "goal":
        found = programme.goals.filter(pk=int(raw)).first()
    elif raw.isdigit() and kind == "measure":
        found = programme.measures.filter(pk=int(raw)).first()
    if found is None:
        raise ApplicationError.from_code(ConsultationErrorCode.BAD_SECTION, field="section")
    return (found, None) if kind == "goal" else (None, found)  # type: ignore[return-value]


# --- Services ----------------------------------------------------------------------------------------


CONSULTATION_FIELDS = (
    "title",
    "summary",
    "plain_finnish_summary",
    "opens_at",
    "closes_at",
    "is_public",
    "invited_organisations",
)


def _check_dates(opens_at: datetime.datetime, closes_at: datetime.datetime) -> None:
    if closes_at <= opens_at:
        raise ApplicationError.from_code(ConsultationErrorCode.BAD_DATES, field="closes_at")


@transaction.atomic
def consultation_create(
    *,
    programme: Programme,
    actor: Any,
    title: dict[str, str],
    summary: dict[str, str],
    plain_finnish_summary: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    is_public: bool,
    invited_organisations: Iterable[Organisation] = (),
) -> Consultation:
    """Plan a consultation on the programme (a draft until published). Raises NOT_ALLOWED | BAD_DATES."""
    _require(can_manage_consultations(actor, programme))
    _check_dates(opens_at, closes_at)
    consultation = Consultation(
        programme=programme,
        title=i18n.clean_multilingual(title),
        summary=i18n.clean_multilingual(summary),
        plain_finnish_summary=plain_finnish_summary.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        is_public=is_public,
    )
    consultation.full_clean(exclude=["programme"])
    consultation.save()
    consultation.invited_organisations.set(list(invited_organisations))
    audit.record(
        actor=actor,
        action="planning.consultation_created",
        obj=consultation,
        organisation_id=programme.owner_id,
        changes=audit.snapshot(consultation, CONSULTATION_FIELDS),
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    actor: Any,
    title: dict[str, str],
    summary: dict[str, str],
    plain_finnish_summary: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    is_public: bool,
    invited_organisations: Iterable[Organisation] = (),
) -> Consultation:
    """Change the consultation's texts, dates and audience. Raises NOT_ALLOWED | BAD_DATES."""
    _require(can_manage_consultations(actor, consultation.programme))
    _check_dates(opens_at, closes_at)
    before = audit.snapshot(consultation, CONSULTATION_FIELDS)
    consultation.title = i18n.clean_multilingual(title)
    consultation.summary = i18n.clean_multilingual(summary)
    consultation.plain_finnish_summary = plain_finnish_summary.strip()
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    consultation.is_public = is_public
    consultation.full_clean(exclude=["programme"])
    consultation.save()
    consultation.invited_organisations.set(list(invited_organisations))
    audit.record(
        actor=actor,
        action="planning.consultation_updated",
        obj=consultation,
        organisation_id=consultation.programme.owner_id,
        changes=audit.changes_between(before, audit.snapshot(consultation, CONSULTATION_FIELDS)),
    )
    return consultation


@transaction.atomic
def consultation_publish(*, consultation: Consultation, actor: Any) -> Consultation:
    """Announce the consultation: it opens and closes by its dates. Raises NOT_ALLOWED | ALREADY_PUBLISHED."""
    _require(can_manage_consultations(actor, consultation.programme))
    if consultation.status == ConsultationStatus.PUBLISHED:
        raise ApplicationError.from_code(ConsultationErrorCode.ALREADY_PUBLISHED)
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="planning.consultation_published",
        obj=consultation,
        organisation_id=consultation.programme.owner_id,
    )
    return consultation


def personal_data_messages(text: str) -> list[str]:
    """What the privacy guard found in a comment (masked), then what to do; empty when clean."""
    findings = privacy.find_personal_data(text)
    if not findings:
        return []
    messages = [privacy.describe(finding) for finding in findings[: privacy.MAX_REPORTED]]
    messages.append(str(ConsultationErrorCode.PERSONAL_DATA.label))
    return messages


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    text: str,
    language: str,
    section: str = "",
    organisation: Organisation | None = None,
    actor: Any = None,
) -> ConsultationComment:
    """Store a comment for moderation. Raises NOT_OPEN | NOT_INVITED | PERSONAL_DATA | BAD_SECTION.

    Without `organisation` the comment is anonymous (public consultations only).
    """
    if not consultation.is_open:
        raise ApplicationError.from_code(ConsultationErrorCode.NOT_OPEN)
    if organisation is not None:
        if organisation not in commenting_organisations(actor, consultation):
            raise ApplicationError.from_code(ConsultationErrorCode.NOT_INVITED)
    elif not consultation.is_public:
        raise ApplicationError.from_code(ConsultationErrorCode.NOT_INVITED)
    found = personal_data_messages(text)
    if found:
        raise ApplicationError(ConsultationErrorCode.PERSONAL_DATA.value, found[-1], fields={"text": found})
    goal, measure = resolve_section(consultation.programme, section)
    comment = ConsultationComment(
        consultation=consultation,
        text=text.strip(),
        language=language,
        goal=goal,
        measure=measure,
        organisation=organisation,
    )
    comment.full_clean(exclude=["consultation", "goal", "measure", "organisation"])
    comment.save()
    audit.record(
        actor=actor,
        action="planning.consultation_comment_submitted",
        obj=comment,
        organisation_id=organisation.pk if organisation else None,
        object_repr=f"comment #{comment.pk}",
    )
    return comment


@transaction.atomic
def comment_moderate(
    *,
    comment: ConsultationComment,
    actor: Any,
    publish: bool,
    reason: str = "",
    answer: str | None = None,
) -> ConsultationComment:
    """Publish or reject a comment, optionally answering it. Raises NOT_ALLOWED | REASON_REQUIRED."""
    _require(can_moderate(actor, comment.consultation))
    if not publish and reason not in RejectionReason.values:
        raise ApplicationError.from_code(ConsultationErrorCode.REASON_REQUIRED, field="reason")
    now = timezone.now()
    before = audit.snapshot(comment, ["status", "rejection_reason"])
    comment.status = ConsultationCommentStatus.PUBLISHED if publish else ConsultationCommentStatus.REJECTED
    comment.rejection_reason = "" if publish else reason
    comment.moderated_at = now
    if publish and answer is not None:
        _set_answer(comment, answer, now)
    comment.full_clean(exclude=["consultation", "goal", "measure", "organisation"])
    comment.save()
    audit.record(
        actor=actor,
        action="planning.consultation_comment_moderated",
        obj=comment,
        organisation_id=comment.consultation.programme.owner_id,
        changes=audit.changes_between(before, audit.snapshot(comment, ["status", "rejection_reason"])),
        object_repr=f"comment #{comment.pk}",
    )
    return comment


def _set_answer(comment: ConsultationComment, answer: str, now: datetime.datetime) -> None:
    answer = answer.strip()
    if answer != comment.answer:
        comment.answer = answer
        comment.answered_at = now if answer else None


@transaction.atomic
def comment_answer(*, comment: ConsultationComment, actor: Any, answer: str) -> ConsultationComment:
    """Write or change the coordinator's public answer. Raises NOT_ALLOWED | NOT_PUBLISHED."""
    _require(can_moderate(actor, comment.consultation))
    if comment.status != ConsultationCommentStatus.PUBLISHED:
        raise ApplicationError.from_code(ConsultationErrorCode.NOT_PUBLISHED, field="answer")
    _set_answer(comment, answer, timezone.now())
    comment.save(update_fields=["answer", "answered_at", "updated_at"])
    audit.record(
        actor=actor,
        action="planning.consultation_comment_answered",
        obj=comment,
        organisation_id=comment.consultation.programme.owner_id,
        object_repr=f"comment #{comment.pk}",
    )
    return comment

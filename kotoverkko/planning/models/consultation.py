"""Planning models: consultation on a draft programme.

A consultation opens the draft for comments from invited organisations and/or the public. Public
comments are anonymous: no name or e-mail is asked for, so the platform keeps no personal data
about commenters (nothing to show, leak or delete later). Comments are moderated before they
are shown; the coordinator answers them and the summary goes into the programme document.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotoverkko.core.i18n import localized
from kotoverkko.core.models import BaseModel

__all__ = [
    "Consultation",
    "ConsultationComment",
    "ConsultationCommentStatus",
    "ConsultationPhase",
    "ConsultationStatus",
    "RejectionReason",
]

# The plain-language Finnish (selkokieli) version is stored under this key in the summary,
# next to the ordinary languages, and offered as a language option to commenters.
PLAIN_FINNISH = "fi-x-selko"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("consultation status", "Draft")
    PUBLISHED = "published", pgettext_lazy("consultation status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("consultation status", "Cancelled")


class ConsultationPhase(models.TextChoices):
    """Where a published consultation is in time (derived, not stored)."""

    NOT_PUBLISHED = "not_published", _("Not published")
    UPCOMING = "upcoming", _("Opens later")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")


class Consultation(BaseModel):
    """A period during which a draft programme is open for comments."""

    programme = models.ForeignKey(
        "planning.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    title = models.JSONField(_("title"), default=dict)
    summary = models.JSONField(
        _("summary"),
        default=dict,
        blank=True,
        help_text=_("What the draft says and what feedback is wanted, in as many languages as possible."),
    )
    plain_finnish_summary = models.TextField(
        _("summary in plain-language Finnish (selkokieli)"), blank=True, max_length=5000
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    is_public = models.BooleanField(
        _("open to the public"),
        default=True,
        help_text=_("Anyone may comment without an account. Otherwise only invited organisations may."),
    )
    invited_organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("invited organisations"),
        blank=True,
        related_name="consultations_invited_to",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title) or f"#{self.pk}"

    @property
    def display_title(self) -> str:
        return localized(self.title) or f"#{self.pk}"

    def phase(self, now: datetime.datetime | None = None) -> ConsultationPhase:
        if self.status != ConsultationStatus.PUBLISHED:
            return ConsultationPhase.NOT_PUBLISHED
        now = now or timezone.now()
        if now < self.opens_at:
            return ConsultationPhase.UPCOMING
        if now >= self.closes_at:
            return ConsultationPhase.CLOSED
        return ConsultationPhase.OPEN

    @property
    def is_open(self) -> bool:
        return self.phase() == ConsultationPhase.OPEN


class ConsultationCommentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("comment status", "Waiting for moderation")
    PUBLISHED = "published", pgettext_lazy("comment status", "Published")
    REJECTED = "rejected", pgettext_lazy("comment status", "Not published")


class RejectionReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or discriminatory")
    PERSONAL_DATA = "personal_data", _("Contains personal data")
    OFF_TOPIC = "off_topic", _("Not about the programme")
    DUPLICATE = "duplicate", _("Duplicate")


class ConsultationComment(BaseModel):
    """One comment. Public comments are anonymous; invited organisations comment in their name."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("comment"), max_length=5000)
    language = models.CharField(
        _("language"), max_length=10, help_text=_("The language the commenter chose; any language.")
    )
    # What the comment is about: a goal, a measure or (neither) the programme as a whole.
    goal = models.ForeignKey(
        "planning.Goal",
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    measure = models.ForeignKey(
        "planning.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set for comments from invited organisations; empty for anonymous public comments."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConsultationCommentStatus.choices,
        default=ConsultationCommentStatus.PENDING,
    )
    rejection_reason = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(measure__isnull=True),
                name="consultation_comment_one_section",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="consultation_comment_rejected_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"], name="consultation_comment_status")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == ConsultationCommentStatus.PUBLISHED

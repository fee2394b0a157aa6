"""Signals from the field: observations NGOs raise to the authorities, and where they are routed.

A signal describes a phenomenon, never a person: the privacy guard (privacy.py) refuses texts with
personal identity codes, telephone numbers, e-mail addresses or bank accounts before anything is
stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from .enums import SignalStatus, SignalTargetGroup, SignalUrgency

DESCRIPTION_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 4000


class SignalTheme(BaseModel):
    """What a signal is about; the routing table maps a theme to the organisation responsible."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    label_fi = models.CharField(_("label in Finnish"), max_length=120)
    label_sv = models.CharField(_("label in Swedish"), max_length=120)
    label_en = models.CharField(_("label in English"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("signal theme")
        verbose_name_plural = _("signal themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"label_{language}", "") or self.label_fi


class SignalQuerySet(models.QuerySet["Signal"]):
    def in_municipalities(self, codes: list[str] | None) -> SignalQuerySet:
        return self if codes is None else self.filter(municipality_id__in=codes)

    def open(self) -> SignalQuerySet:
        return self.exclude(status__in=[SignalStatus.ANSWERED, SignalStatus.CLOSED])


class Signal(BaseModel):
    """An observation from the field, sent by an organisation and routed to the one responsible."""

    # --- What
    theme = models.ForeignKey(
        SignalTheme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="signals"
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=SignalTargetGroup.choices)
    description = models.TextField(_("observation"), max_length=DESCRIPTION_MAX_LENGTH)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=SignalUrgency.choices, default=SignalUrgency.NORMAL
    )

    # --- Where
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    locality = models.CharField(
        _("area within the municipality"),
        max_length=100,
        blank=True,
        help_text=_("For example a district or a village. Optional."),
    )

    # --- Who
    sender_organisation = models.ForeignKey(
        Organisation, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="signals_sent"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="signals_received",
    )

    # --- Handling
    status = models.CharField(
        _("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.NEW, db_index=True
    )
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["municipality", "created_at"], name="signal_municipality_idx"),
            models.Index(fields=["routed_organisation", "status"], name="signal_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=SignalStatus.ANSWERED) | ~models.Q(answer=""),
                name="signal_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: the string form reaches the audit trail and logs.
        return f"signal #{self.pk}"


class SignalRoute(BaseModel):
    """Routing table row: signals of this theme in this municipality go to this organisation.

    A theme without a row goes to the municipality's own organisation.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(
        SignalTheme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="routes"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["municipality_id", "theme__position", "pk"]
        verbose_name = _("signal route")
        verbose_name_plural = _("signal routes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "theme"], name="signal_route_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.theme_id} → {self.organisation_id}"

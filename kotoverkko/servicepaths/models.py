"""Service paths ("who does what") per client group of integration services."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.i18n import localized
from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import LegalProvision, Municipality

from .enums import DeadlineAnchor, DeadlineUnit, StepKind


class ClientGroup(BaseModel):
    """A group of newcomers whose service path the law sets apart (Act 681/2023).

    The groups are reference data created by a data migration and edited by the platform admin.
    """

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.JSONField(_("name"), default=dict, help_text=_("Name in each language."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")

    def __str__(self) -> str:
        return localized(self.name) or self.slug

    @property
    def display_name(self) -> str:
        return localized(self.name) or self.slug


class ServicePath(BaseModel):
    """The ordered services one client group meets in an area, and who is responsible for each."""

    client_group = models.ForeignKey(
        ClientGroup, verbose_name=_("client group"), on_delete=models.PROTECT, related_name="paths"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality whose coordinator maintains the path."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("area"),
        related_name="+",
        blank=True,
        help_text=_("Every municipality the path covers; several for a joint path."),
    )
    title = models.JSONField(_("title"), default=dict, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    reference_date = models.DateField(
        _("reference date"),
        null=True,
        blank=True,
        help_text=_("The legal bases are checked against this date; empty means today."),
    )
    is_public = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Published paths are shown to everyone; others only to members of organisations in the area."
        ),
    )
    template_key = models.CharField(_("template"), max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["municipality_id", "client_group__position", "pk"]
        verbose_name = _("service path")
        verbose_name_plural = _("service paths")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_group"], name="service_path_one_per_group_and_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.client_group.display_name

    def get_absolute_url(self) -> str:
        return reverse("servicepaths:detail", args=[self.pk])


class ServiceStep(BaseModel):
    """One step of a path: what is done, by whom, on which legal basis and by when."""

    # --- Place in the path
    path = models.ForeignKey(
        ServicePath, verbose_name=_("service path"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("phase"), max_length=30, choices=StepKind.choices, default=StepKind.OTHER)
    template_key = models.CharField(_("template step"), max_length=60, blank=True, editable=False)

    # --- Content
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    contact_point = models.JSONField(
        _("contact point"),
        default=dict,
        blank=True,
        help_text=_("The service's public contact (service address, phone line, web page) — never a person."),
    )

    # --- Who
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        # A removed organisation leaves a visible gap rather than removing the step.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), blank=True, related_name="+")
    is_interface_marked = models.BooleanField(
        _("municipality–wellbeing county interface"),
        default=False,
        help_text=_("Mark the step as an interface step even if the organisations do not show it."),
    )

    # --- Legal basis and deadline
    legal_provisions = models.ManyToManyField(
        LegalProvision, verbose_name=_("legal basis"), blank=True, related_name="+"
    )
    deadline_amount = models.PositiveSmallIntegerField(
        _("deadline"), null=True, blank=True, help_text=_("0 means without delay.")
    )
    deadline_unit = models.CharField(
        _("unit"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.MONTHS
    )
    deadline_anchor = models.CharField(
        _("counted from"), max_length=30, choices=DeadlineAnchor.choices, blank=True
    )
    deadline_anchor_step = models.ForeignKey(
        "self",
        verbose_name=_("counted from step"),
        null=True,
        blank=True,
        # Removing the anchor step keeps the rule and shows it as a gap to fix.
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["path_id", "position", "pk"]
        verbose_name = _("service step")
        verbose_name_plural = _("service steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_amount__isnull=True) | ~Q(deadline_anchor=""),
                name="service_step_deadline_has_anchor",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.get_kind_display()

    @property
    def has_deadline(self) -> bool:
        return self.deadline_amount is not None and bool(self.deadline_anchor)

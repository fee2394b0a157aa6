"""Planning models: the document describing the municipality's kotoutumisohjelma.

The kotoutumisohjelma (Act 681/2023 13 §) is the initial-phase service package. The municipality
must have it and a document describing it to receive state compensations (domain.md §2.2). The
document answers one question per cell of a matrix: who organises each mandatory element for
each client group.

The mandatory elements are dated data (the law changes almost yearly, domain.md §0): they are
loaded from `planning/data/initial_phase_elements.json` by a data migration and carry the dates
they are in force; code never lists them.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.i18n import localized
from kotoverkko.core.models import BaseModel

__all__ = [
    "InitialPhaseElement",
    "InitialPhasePlan",
    "InitialPhasePlanStatus",
    "InitialPhaseResponsibility",
]


class InitialPhaseElement(BaseModel):
    """One mandatory element of the kotoutumisohjelma, in force between two dates."""

    slug = models.SlugField(_("identifier"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    # The act and section as written in reference.LegalProvision; looked up when shown, because
    # reference data is loaded after migrations (`load_reference_data`).
    legal_act = models.CharField(_("act"), max_length=20, blank=True, help_text=_("For example 681/2023."))
    legal_section = models.CharField(
        _("section"), max_length=20, blank=True, help_text=_("For example 13 §.")
    )
    legal_note = models.JSONField(
        _("note on the legal basis"),
        default=dict,
        blank=True,
        help_text=_("For example a proposed repeal that is not yet in force."),
    )
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["position", "valid_from", "slug"]
        verbose_name = _("kotoutumisohjelma element")
        verbose_name_plural = _("kotoutumisohjelma elements")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "valid_from"], name="initial_phase_element_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="initial_phase_element_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.name) or self.slug

    @property
    def display_name(self) -> str:
        return localized(self.name) or self.slug

    @property
    def legal_reference(self) -> str:
        return f"{self.legal_act} {self.legal_section}".strip()

    def is_in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class InitialPhasePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class InitialPhasePlan(BaseModel):
    """The document describing one municipality's (or several municipalities') kotoutumisohjelma."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality responsible"),
        on_delete=models.PROTECT,
        related_name="initial_phase_plans",
    )
    municipalities = models.ManyToManyField(
        "reference.Municipality",
        verbose_name=_("municipalities covered"),
        related_name="+",
        help_text=_("The kotoutumisohjelma may be organised together with other municipalities."),
    )
    title = models.JSONField(_("title"), default=dict)
    introduction = models.JSONField(
        _("introduction"),
        default=dict,
        blank=True,
        help_text=_("Who the kotoutumisohjelma is for, how clients get to it and how long it lasts."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitialPhasePlanStatus.choices,
        default=InitialPhasePlanStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("kotoutumisohjelma description")
        verbose_name_plural = _("kotoutumisohjelma descriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="initial_phase_plan_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title) or f"#{self.pk}"

    @property
    def display_title(self) -> str:
        return localized(self.title) or f"#{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == InitialPhasePlanStatus.PUBLISHED


class InitialPhaseResponsibility(BaseModel):
    """One cell of the matrix: who organises an element for a client group, and how."""

    plan = models.ForeignKey(
        InitialPhasePlan,
        verbose_name=_("description"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    element = models.ForeignKey(
        InitialPhaseElement, verbose_name=_("element"), on_delete=models.PROTECT, related_name="+"
    )
    client_group = models.ForeignKey(
        "servicepaths.ClientGroup", verbose_name=_("client group"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation responsible for organising the service."),
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("partners"), blank=True, related_name="+"
    )
    delivery = models.JSONField(
        _("how it is delivered"),
        default=dict,
        blank=True,
        help_text=_("For example languages, group or individual, where and how often."),
    )
    notes = models.JSONField(_("notes"), default=dict, blank=True)

    class Meta:
        ordering = ["element__position", "client_group__position", "pk"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "element", "client_group"], name="initial_phase_responsibility_one_per_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element} / {self.client_group}"

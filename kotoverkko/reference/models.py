"""Classifications that the rest of the platform points at.

Labels come in the three languages the classifications themselves publish (fi/sv/en), so they
are plain columns; user-written content uses `core.i18n` multilingual fields instead.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.models import BaseModel


class TrilingualNameMixin(models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active UI language, falling back to Finnish."""
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


class Region(TrilingualNameMixin, BaseModel):
    """Maakunta, Statistics Finland classification maakunta_1."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class WellbeingCounty(TrilingualNameMixin, BaseModel):
    """An organiser of social, health and rescue services: a wellbeing services county or Helsinki."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    is_city = models.BooleanField(
        _("organised by a city"),
        default=False,
        help_text=_("The City of Helsinki organises these services itself."),
    )
    source_code = models.CharField(
        _("code in the source map"), max_length=4, blank=True, help_text=_("Yle's two-letter code.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def valid_on(self, day: datetime.date) -> MunicipalityQuerySet:
        return self.filter(Q(valid_from__lte=day) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__gte=day) | Q(valid_to__isnull=True)
        )

    def current(self) -> MunicipalityQuerySet:
        return self.valid_on(timezone.localdate())


class Municipality(TrilingualNameMixin, BaseModel):
    """Kunta, Statistics Finland classification kunta_1, with abolished ones kept for old data."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing services county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
        help_text=_("Empty for the municipalities of Åland."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}$"), name="municipality_code_three_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def statistics_code(self) -> str:
        """The area code Statistics Finland's tables use, e.g. KU091."""
        return f"KU{self.code}"


class Language(BaseModel):
    """A language: ISO 639-1 where one exists, otherwise ISO 639-3."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    iso639_3 = models.CharField(_("ISO 639-3 code"), max_length=3, blank=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    native_name = models.CharField(_("name in the language itself"), max_length=120, blank=True)
    classification_name_fi = models.CharField(_("name in the classification"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        value = getattr(self, f"name_{language}", "") or self.name_fi
        return value[:1].upper() + value[1:]


class Country(TrilingualNameMixin, BaseModel):
    """ISO 3166-1 alpha-2, as in Statistics Finland's valtio_2 classification ("99" = unknown)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class LegalProvision(BaseModel):
    """A section of an act the platform cites, with the dates it is in force."""

    act_number = models.CharField(_("act"), max_length=20, help_text=_("For example 681/2023."))
    section = models.CharField(_("section"), max_length=20, blank=True, help_text=_("For example 45 §."))
    title_fi = models.CharField(_("title in Finnish"), max_length=300)
    title_sv = models.CharField(_("title in Swedish"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["act_number", "valid_from", "section"]
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.UniqueConstraint(
                fields=["act_number", "section", "valid_from"], name="legal_provision_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="legal_provision_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_number} {self.section}".strip()

    @property
    def title(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"title_{language}", "") or self.title_fi

    def is_in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n
from kotoverkko.core.models import BaseModel
from kotoverkko.reference.models import Language, Municipality


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    MUNICIPAL_UNIT = "municipal_unit", _("Municipal unit or department")
    EMPLOYMENT_AUTHORITY = "employment_authority", _("Employment authority")
    WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
    ELY_CENTRE = "ely_centre", _("ELY Centre")
    KELA = "kela", _("Kela")
    POLICE = "police", _("Police")
    MIGRI = "migri", _("Finnish Immigration Service (Migri)")
    EDUCATIONAL_INSTITUTION = "educational_institution", _("Educational institution")
    NGO = "ngo", _("NGO or association")
    IMMIGRANT_ASSOCIATION = "immigrant_association", _("Immigrant association")
    RELIGIOUS_COMMUNITY = "religious_community", _("Religious community")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


MUNICIPAL_KINDS = frozenset({OrganisationKind.MUNICIPALITY, OrganisationKind.MUNICIPAL_UNIT})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def public(self) -> OrganisationQuerySet:
        return self.filter(is_public=True)

    def of_kind(self, kind: str) -> OrganisationQuerySet:
        return self.filter(kind=kind)

    def serving(self, municipality_code: str) -> OrganisationQuerySet:
        return self.filter(
            Q(home_municipality_id=municipality_code) | Q(municipalities_served__code=municipality_code)
        ).distinct()

    def matching(self, text: str) -> OrganisationQuerySet:
        query = self
        for word in text.lower().split():
            query = query.filter(search_text__contains=word)
        return query


class Organisation(BaseModel):
    """An actor in integration work: a municipality or its unit, an authority, an NGO, a company…"""

    # --- Identity
    name = models.JSONField(_("name"), help_text=_("In as many languages as the organisation uses."))
    sort_name = models.CharField(_("name for sorting"), max_length=300, editable=False, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    kind = models.CharField(_("type"), max_length=40, choices=OrganisationKind.choices)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, help_text=_("For example 0101263-6.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    description = models.JSONField(_("description"), default=dict, blank=True)

    # --- Area and languages
    home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipalities_served = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities served"), blank=True, related_name="+"
    )
    languages_served = models.ManyToManyField(
        Language, verbose_name=_("languages of service"), blank=True, related_name="+"
    )

    # --- Public contact details (the organisation's, never a person's)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)

    is_public = models.BooleanField(
        _("shown on public pages"),
        default=True,
        help_text=_("Hidden organisations are seen by members only."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.MUNICIPALITY) | Q(home_municipality__isnull=False),
                name="organisation_municipality_has_home",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.name)

    @property
    def display_name(self) -> str:
        return i18n.localized(self.name)

    @property
    def is_municipal(self) -> bool:
        return self.kind in MUNICIPAL_KINDS

    def lineage_ids(self) -> list[int]:
        """This organisation's id and its parents' ids, nearest first."""
        ids: list[int] = []
        node: Organisation | None = self
        while node is not None and node.pk not in ids:
            ids.append(node.pk)
            node = node.parent
        return ids

    def refresh_derived_fields(self) -> None:
        self.sort_name = i18n.localized(self.name, "fi").casefold()[:300]
        parts = [*self.name.values(), self.business_id, self.post_office]
        self.search_text = " ".join(part for part in parts if part).casefold()


class CooperationArea(BaseModel):
    """Municipalities that run this platform together, e.g. for a joint integration programme."""

    name = models.JSONField(_("name"))
    municipalities = models.ManyToManyField(Municipality, verbose_name=_("municipalities"), related_name="+")
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name=_("lead organisation"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self) -> str:
        return i18n.localized(self.name)

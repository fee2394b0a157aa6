"""Planning models: the checklist as data, VALKO reference data, and the programme with its goals,
measures, indicators and monitoring rounds.

Content written by people is multilingual JSON (`core.i18n`). A programme is versioned: a revision
is a new `Programme` row whose content rows carry the same `key` as the rows they were copied from,
so versions can be compared item by item.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotoverkko.activities.models import Listing
from kotoverkko.core import i18n
from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.planning.enums import (
    PUBLIC_STATUSES,
    IndicatorDirection,
    IndicatorSource,
    MeasureStatus,
    ProgrammeMode,
    ProgrammeStatus,
    RoundStatus,
    StepLink,
    StepStatus,
    ValkoKind,
)
from kotoverkko.reference.models import LegalProvision, Municipality

__all__ = [
    "ChecklistStep",
    "ChecklistStepTemplate",
    "ChecklistTemplate",
    "Goal",
    "Indicator",
    "Measure",
    "MeasureUpdate",
    "Measurement",
    "MonitoringRound",
    "Programme",
    "ValkoGoal",
]

DECIMAL = {"max_digits": 16, "decimal_places": 4}


# --- Reference data -------------------------------------------------------------------------------


class ChecklistTemplate(BaseModel):
    """A version of the official planning checklist (KOTO24); guidance changes with the law."""

    key = models.SlugField(_("identifier"), max_length=60)
    version = models.CharField(_("version"), max_length=40)
    name = models.JSONField(_("name"))
    source_url = models.URLField(_("source"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["key", "-valid_from"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="checklist_template_unique_version"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="checklist_template_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{i18n.localized(self.name)} ({self.version})"


class ChecklistStepTemplate(BaseModel):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("identifier"), max_length=60)
    title = models.JSONField(_("title"))
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    # A list of multilingual dicts, one per question.
    guiding_questions = models.JSONField(_("guiding questions"), default=list, blank=True)
    legal_provisions = models.ManyToManyField(
        LegalProvision, verbose_name=_("legal provisions"), blank=True, related_name="+"
    )
    link_target = models.CharField(
        _("done in"), max_length=30, choices=StepLink.choices, default=StepLink.NONE, blank=True
    )

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("checklist step template")
        verbose_name_plural = _("checklist step templates")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="checklist_step_template_unique_key"),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.title)


class ValkoGoal(BaseModel):
    """A goal or measure area of the Government Integration Programme (VALKO), versioned."""

    version = models.CharField(_("programme period"), max_length=20, help_text=_("For example 2024-2027."))
    kind = models.CharField(_("type"), max_length=20, choices=ValkoKind.choices)
    code = models.CharField(_("number"), max_length=10, help_text=_("For example 1 or 3.4."))
    title = models.JSONField(_("title"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    is_summary = models.BooleanField(
        _("summary wording"), default=False, help_text=_("Paraphrased, not the official wording.")
    )
    source_url = models.URLField(_("source"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "kind", "position", "code"]
        verbose_name = _("VALKO goal or measure area")
        verbose_name_plural = _("VALKO goals and measure areas")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "code"], name="valko_goal_unique_code"),
        ]

    def __str__(self) -> str:
        return f"VALKO {self.code} {i18n.localized(self.title)}"


# --- Programme ------------------------------------------------------------------------------------


class Programme(BaseModel):
    """One version of a municipality's (or several municipalities') integration-promotion programme."""

    # --- What and whose
    title = models.JSONField(_("title"))
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible municipality"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities involved"), related_name="+"
    )
    mode = models.CharField(
        _("form"), max_length=30, choices=ProgrammeMode.choices, default=ProgrammeMode.SEPARATE
    )
    starts_year = models.PositiveSmallIntegerField(_("first year"))
    ends_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    checklist_template = models.ForeignKey(
        ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # --- Decision
    adopted_by = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("For example the municipal council.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adoption_minute = models.CharField(
        _("minute section"), max_length=40, blank=True, help_text=_("For example § 45.")
    )
    decision_url = models.URLField(_("link to the decision"), blank=True)

    # --- Versions: every version of one programme shares `series`.
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version_number = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )

    class Meta:
        ordering = ["-starts_year", "pk"]
        verbose_name = _("integration programme")
        verbose_name_plural = _("integration programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__gte=models.F("starts_year")), name="programme_period_order"
            ),
            models.UniqueConstraint(fields=["series", "version_number"], name="programme_unique_version"),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.title)

    @property
    def period_label(self) -> str:
        return f"{self.starts_year}–{self.ends_year}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class ChecklistStep(BaseModel):
    """A programme's own copy of a checklist step, with its progress."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="checklist_steps")
    template_step = models.ForeignKey(
        ChecklistStepTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("identifier"), max_length=60)
    title = models.JSONField(_("title"))
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    guiding_questions = models.JSONField(_("guiding questions"), default=list, blank=True)
    legal_provisions = models.ManyToManyField(
        LegalProvision, verbose_name=_("legal provisions"), blank=True, related_name="+"
    )
    link_target = models.CharField(_("done in"), max_length=30, choices=StepLink.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.TODO)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="checklist_step_unique_key")]

    def __str__(self) -> str:
        return i18n.localized(self.title)


class Goal(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.JSONField(_("goal"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    valko_goals = models.ManyToManyField(
        ValkoGoal, verbose_name=_("VALKO goals and measure areas"), blank=True, related_name="+"
    )
    strategy_goal = models.CharField(_("goal of the municipal strategy"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="goal_unique_key")]

    def __str__(self) -> str:
        return i18n.localized(self.title)


class Measure(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.JSONField(_("measure"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), blank=True, related_name="+")
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    resources = models.TextField(_("resources"), blank=True)
    budget_eur = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    status_comment = models.TextField(_("comment on the status"), blank=True)
    listings = models.ManyToManyField(
        Listing, verbose_name=_("directory listings that carry it out"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="measure_unique_key"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="measure_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.title)


class Indicator(BaseModel):
    """A measurable sign of progress: entered by hand or computed from the platform's data."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.JSONField(_("name"))
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example %, persons or listings.")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=IndicatorDirection.choices, default=IndicatorDirection.INCREASE
    )
    source_kind = models.CharField(
        _("source"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    source_description = models.CharField(_("source description"), max_length=300, blank=True)
    # For computed indicators, see `indicator_sources.py`:
    # situation: {"source": "statfin", "table_id": "11rl", "area": "091", "filters": {"kieli": "02"}}
    # directory: {"metric": "published_listings", "municipality": "091"}
    definition = models.JSONField(_("definition"), default=dict, blank=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **DECIMAL)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), null=True, blank=True, **DECIMAL)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    # The data a computed indicator was last refreshed from (dataset version id or directory day).
    computed_from = models.CharField(max_length=80, blank=True, editable=False)
    refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="indicator_unique_key")]

    def __str__(self) -> str:
        return i18n.localized(self.name)

    @property
    def is_computed(self) -> bool:
        return self.source_kind != IndicatorSource.MANUAL


class Measurement(BaseModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **DECIMAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_computed = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["indicator", "measured_on", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="measurement_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class MonitoringRound(BaseModel):
    """A monitoring round (e.g. yearly): organisations report on their measures, the coordinator
    compiles the round, which freezes a snapshot of every measure and indicator."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="monitoring_rounds")
    name = models.CharField(_("name"), max_length=120, help_text=_("For example Monitoring 2025."))
    period_end = models.DateField(_("reporting period ends"))
    due_on = models.DateField(_("reports due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    summary = models.TextField(_("summary"), blank=True)
    compiled_at = models.DateTimeField(_("compiled"), null=True, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Frozen at compilation: {"measures": [...], "indicators": [...]} (see services.round_compile).
    snapshot = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["programme", "-period_end", "-pk"]
        verbose_name = _("monitoring round")
        verbose_name_plural = _("monitoring rounds")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class MeasureUpdate(BaseModel):
    """A responsible organisation's report on one measure in one monitoring round."""

    monitoring_round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="updates")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["monitoring_round", "measure__position", "pk"]
        verbose_name = _("measure report")
        verbose_name_plural = _("measure reports")
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_round", "measure"], name="measure_update_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_status_display()})"

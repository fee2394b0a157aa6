"""Choices of the integration-promotion programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeMode(models.TextChoices):
    """Where the municipality writes its integration goals and measures (KOTO24 guidance)."""

    SEPARATE = "separate", _("Separate integration action programme")
    STRATEGY = "strategy", _("Part of the municipal strategy")
    BUDGET = "budget", _("Part of the budget and financial plan")
    WELFARE_REPORT = "welfare_report", _("Part of the welfare report and plan")
    EMPLOYMENT_PLAN = "employment_plan", _("Part of the plan for organising employment services")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("programme status", "Draft")
    CONSULTATION = "consultation", pgettext_lazy("programme status", "In consultation")
    ADOPTED = "adopted", pgettext_lazy("programme status", "Adopted")
    MONITORING = "monitoring", pgettext_lazy("programme status", "In monitoring")
    REVISED = "revised", pgettext_lazy("programme status", "Replaced by a revision")
    ARCHIVED = "archived", pgettext_lazy("programme status", "Archived")


# Statuses whose programme is a decision of the municipality and so readable by everyone.
PUBLIC_STATUSES = frozenset(
    {ProgrammeStatus.ADOPTED, ProgrammeStatus.MONITORING, ProgrammeStatus.REVISED, ProgrammeStatus.ARCHIVED}
)


class StepStatus(models.TextChoices):
    TODO = "todo", pgettext_lazy("checklist step", "To do")
    IN_PROGRESS = "in_progress", pgettext_lazy("checklist step", "In progress")
    DONE = "done", pgettext_lazy("checklist step", "Done")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("checklist step", "Not applicable")


class StepLink(models.TextChoices):
    """Where in the platform a checklist step is carried out (resolved in `links.py`)."""

    NONE = "", _("No link")
    COOPERATION_GROUP = "cooperation_group", _("Cooperation group")
    SITUATION = "situation", _("Situation picture")
    GOALS = "goals", _("Goals and measures")
    CONSULTATION = "consultation", _("Consultation")
    DECISION = "decision", _("Decision")
    MONITORING = "monitoring", _("Monitoring")


class ValkoKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    MEASURE_AREA = "measure_area", _("Measure area")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("measure status", "Not started")
    ON_TRACK = "on_track", pgettext_lazy("measure status", "On track")
    DELAYED = "delayed", pgettext_lazy("measure status", "Delayed")
    DONE = "done", pgettext_lazy("measure status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("measure status", "Cancelled")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
    KEEP = "keep", _("Keep at the level")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    SITUATION = "situation", _("Computed from a situation-picture dataset")
    DIRECTORY = "directory", _("Computed from the activity directory")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("monitoring round", "Open")
    COMPILED = "compiled", pgettext_lazy("monitoring round", "Compiled")

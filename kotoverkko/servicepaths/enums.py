"""Vocabularies of service paths."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepKind(models.TextChoices):
    """The phase of the initial integration services a step belongs to."""

    PLACEMENT = "placement", _("Placement in the municipality")
    ARRIVAL = "arrival", _("Arrival and reception")
    RESIDENCE = "residence", _("Municipality of residence and registration")
    GUIDANCE = "guidance", _("Guidance and advice")
    ASSESSMENT = "assessment", _("Assessment of skills and service needs")
    PLAN = "plan", _("Integration plan")
    CIVIC_ORIENTATION = "civic_orientation", _("Civic orientation")
    TRAINING = "training", _("Integration training and education")
    EMPLOYMENT = "employment", _("Employment services")
    HOUSING = "housing", _("Housing")
    HEALTH_SOCIAL = "health_social", _("Health and social services")
    CHILDREN = "children", _("Early childhood education and schooling")
    OTHER = "other", pgettext_lazy("step kind", "Other")


class DeadlineUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class DeadlineAnchor(models.TextChoices):
    """What a deadline is counted from: another step of the path, or an event in the person's life."""

    STEP = "step", _("Another step of this path")
    ARRIVAL = "arrival", _("Arrival in the municipality")
    RESIDENCE_REGISTERED = "residence_registered", _("Municipality of residence registered")
    FIRST_PERMIT = "first_permit", _("First residence permit")
    PLAN_MADE = "plan_made", _("Integration plan made")
    ADULTHOOD = "adulthood", _("Turning 18")


class GapKind(models.TextChoices):
    NO_RESPONSIBLE = "no_responsible", _("No responsible organisation")
    RESPONSIBLE_HIDDEN = "responsible_hidden", _("The responsible organisation is hidden or inactive")
    ANCHOR_MISSING = "anchor_missing", _("The deadline counts from a step that is missing")
    PROVISION_NOT_IN_FORCE = "provision_not_in_force", _("A legal basis is not in force")

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SignalStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("signal status", "New")
    RECEIVED = "received", pgettext_lazy("signal status", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("signal status", "In progress")
    ANSWERED = "answered", pgettext_lazy("signal status", "Answered")
    CLOSED = "closed", pgettext_lazy("signal status", "Closed")


class SignalUrgency(models.TextChoices):
    LOW = "low", pgettext_lazy("urgency", "Low")
    NORMAL = "normal", pgettext_lazy("urgency", "Normal")
    HIGH = "high", pgettext_lazy("urgency", "High")
    URGENT = "urgent", pgettext_lazy("urgency", "Urgent")


class SignalTargetGroup(models.TextChoices):
    """Whom the observation concerns: groups, never individuals."""

    ALL = "all", _("Immigrants in general")
    NEWCOMERS = "newcomers", _("Recently arrived immigrants")
    CHILDREN_YOUTH = "children_youth", _("Children and young people")
    FAMILIES = "families", _("Families with children")
    WOMEN = "women", _("Women")
    ELDERLY = "elderly", _("Older people")
    PROTECTION = "protection", _("Refugees and beneficiaries of international protection")
    UNACCOMPANIED = "unaccompanied", _("Young people who arrived without a guardian")
    WORKERS_STUDENTS = "workers_students", _("Labour migrants and students")
    OUTSIDE_LABOUR_FORCE = "outside_labour_force", _("People outside the labour force")
    OTHER = "other", _("Another group")


class StatisticsPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ListingSection(models.TextChoices):
    ACTIVITY = "activity", _("Activities for immigrants")
    EVENT = "event", _("Events and trainings for professionals and volunteers")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("listing status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("listing status", "Waiting for moderation")
    PUBLISHED = "published", pgettext_lazy("listing status", "Published")
    RETURNED = "returned", pgettext_lazy("listing status", "Returned for changes")
    ARCHIVED = "archived", pgettext_lazy("listing status", "Archived")


class GenderRestriction(models.TextChoices):
    NONE = "", _("Everyone")
    WOMEN = "women", _("Women only")
    MEN = "men", _("Men only")


class Registration(models.TextChoices):
    DROP_IN = "drop_in", _("No registration: just come")
    LINK = "link", _("Register online")
    PHONE = "phone", _("Register by telephone")
    EMAIL = "email", _("Register by e-mail")


class ReportReason(models.TextChoices):
    OUTDATED = "outdated", _("The information is out of date")
    WRONG = "wrong", _("The information is wrong")
    NOT_LOW_THRESHOLD = "criteria", _("It does not meet the listing criteria")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("report status", "Open")
    HANDLED = "handled", pgettext_lazy("report status", "Handled")

"""Vocabularies of the cooperation area.

Body and agreement kinds are named by the Integration Act and the national guidance, and code
depends on them (the planning issue looks up the planning cooperation group), so they are
TextChoices rather than an editable table; "other" covers local variations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    ADVISORY_BOARD = "advisory_board", _("Local advisory board (neuvottelukunta)")
    PLANNING_GROUP = "planning_group", _("Planning cooperation group")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    REGIONAL_ETNO = "regional_etno", _("Regional advisory board for ethnic relations (ETNO)")
    WORKING_GROUP = "working_group", _("Working group")
    OTHER = "other", pgettext_lazy("body kind", "Other")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy member")
    EXPERT = "expert", _("Expert member")


# Members who may record meetings and update action items besides the owner's managers.
OFFICER_ROLES = frozenset({MemberRole.CHAIR, MemberRole.SECRETARY})


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    DEPUTY = "deputy", _("Represented by a deputy")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action item status", "In progress")
    DONE = "done", pgettext_lazy("action item status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action item status", "Cancelled")


ACTION_ITEM_OPEN_STATUSES = frozenset({ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS})


class AgreementKind(models.TextChoices):
    PLACEMENT = "placement", _("Refugee placement agreement with the ELY Centre")
    REGIONAL_COOPERATION = "regional_cooperation", _("Regional cooperation agreement")
    SERVICE_PURCHASE = "service_purchase", _("Service purchase")
    PARTNERSHIP = "partnership", _("Partnership agreement")
    OTHER = "other", pgettext_lazy("agreement kind", "Other")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement status", "Being prepared")
    IN_FORCE = "in_force", pgettext_lazy("agreement status", "In force")
    ENDED = "ended", pgettext_lazy("agreement status", "Ended")

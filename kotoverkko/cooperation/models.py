"""Cooperation bodies with their members, meetings and action items; agreements with their parties.

Names and descriptions meant for the public are multilingual JSON (core.i18n). Meeting papers
(agenda, minutes, decisions) are working documents written in the meeting's language, so they
are plain text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n
from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from .enums import (
    ActionItemStatus,
    AgreementKind,
    AgreementStatus,
    Attendance,
    BodyKind,
    MeetingStatus,
    MemberRole,
)

# --- Bodies ---------------------------------------------------------------------------------------


class CooperationBody(BaseModel):
    """A standing body: an advisory board, the planning cooperation group, a working group…"""

    name = models.JSONField(_("name"))
    kind = models.CharField(_("type"), max_length=40, choices=BodyKind.choices)
    description = models.JSONField(_("description"), default=dict, blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="cooperation_bodies",
        help_text=_("The organisation that runs the body, usually the municipality."),
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities covered"), blank=True, related_name="+"
    )
    term_starts_on = models.DateField(_("term starts"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends"), null=True, blank=True)
    is_public = models.BooleanField(
        _("shown on public pages"),
        default=True,
        help_text=_("The public sees the body, its members' organisations and its meeting times."),
    )
    minutes_public = models.BooleanField(
        _("minutes are public"),
        default=False,
        help_text=_("Publish the minutes and decisions of held meetings on the public page."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("cooperation body")
        verbose_name_plural = _("cooperation bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_starts_on__isnull=True)
                | Q(term_ends_on__gte=models.F("term_starts_on")),
                name="cooperation_body_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.name)


class BodyMember(BaseModel):
    """A seat in a body: an organisation, and optionally the person who holds it.

    The person is a staff account where one exists, otherwise a name and e-mail address. Persons
    are personal data: shown only to the body's members, never on public pages or in the trail.
    """

    body = models.ForeignKey(
        CooperationBody, verbose_name=_("body"), on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person (user account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperation_seats",
    )
    person_name = models.CharField(_("person's name"), max_length=150, blank=True)
    person_email = models.EmailField(_("person's e-mail address"), blank=True)

    class Meta:
        ordering = ["body_id", "pk"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) | (Q(person_name="") & Q(person_email="")),
                name="body_member_one_kind_of_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"

    @property
    def person_display(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.email
        return self.person_name


# --- Meetings -------------------------------------------------------------------------------------


class Meeting(BaseModel):
    body = models.ForeignKey(
        CooperationBody, verbose_name=_("body"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    # RFC 5545 SEQUENCE: calendar programs replace an earlier invitation only when it grows.
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.body)


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("agenda item"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["meeting_id", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingAttendance(BaseModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        BodyMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)

    class Meta:
        ordering = ["meeting_id", "member_id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class MeetingAttachment(BaseModel):
    """A meeting paper. Served through a permission-checked view, never straight from MEDIA_URL."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="cooperation/meetings/%Y/")
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


# --- Action items ---------------------------------------------------------------------------------


class ActionItem(BaseModel):
    body = models.ForeignKey(
        CooperationBody, verbose_name=_("body"), on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("agreed in meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    # The due date each reminder was sent for: a new due date makes both reminders due again.
    due_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


# --- Agreements -----------------------------------------------------------------------------------


class Agreement(BaseModel):
    kind = models.CharField(_("type"), max_length=40, choices=AgreementKind.choices)
    title = models.JSONField(_("title"))
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("managed by"),
        on_delete=models.PROTECT,
        related_name="cooperation_agreements",
        help_text=_("The organisation that keeps this record up to date."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.IN_FORCE
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    # --- Refugee placement agreements (Integration Act: consult the wellbeing county first)
    county_consulted = models.BooleanField(_("wellbeing services county consulted"), default=False)
    county_consulted_on = models.DateField(_("county consulted on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("summary is public"),
        default=False,
        help_text=_("Show the type, parties, validity and places on public pages (never the documents)."),
    )
    # The date each reminder was sent for: a new date makes the reminder due again.
    review_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    expiry_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.title)

    @property
    def is_placement(self) -> bool:
        return self.kind == AgreementKind.PLACEMENT


class AgreementParty(BaseModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)

    class Meta:
        ordering = ["agreement_id", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_once"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class PlacementQuota(BaseModel):
    """Municipal places agreed for one year of a placement agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["agreement_id", "year"]
        verbose_name = _("places for a year")
        verbose_name_plural = _("places per year")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="placement_quota_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.places}"


class AgreementDocument(BaseModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="cooperation/agreements/%Y/")
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["agreement_id", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

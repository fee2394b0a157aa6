"""The activity directory: listings, their schedules and occurrences, vocabularies, reports,
handouts and anonymous usage counts. No client's personal data is stored anywhere here."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n
from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from .enums import GenderRestriction, ListingSection, ListingStatus, Registration, ReportReason, ReportStatus


class Vocabulary(BaseModel):
    """A controlled term with fi/sv/en labels, edited by the platform admin."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    label_fi = models.CharField(_("label in Finnish"), max_length=120)
    label_sv = models.CharField(_("label in Swedish"), max_length=120)
    label_en = models.CharField(_("label in English"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "label_fi"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"label_{language}", "") or self.label_fi


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class TargetGroup(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class ListingQuerySet(models.QuerySet["Listing"]):
    def published(self) -> ListingQuerySet:
        return self.filter(status=ListingStatus.PUBLISHED)

    def current(self, *, today: datetime.date, stale_before: datetime.datetime) -> ListingQuerySet:
        """Published, not past its valid-until date and confirmed recently enough."""
        return (
            self.published()
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .filter(last_confirmed_at__gte=stale_before)
        )

    def of_organisations(self, organisation_ids: set[int] | None) -> ListingQuerySet:
        return self if organisation_ids is None else self.filter(organisation_id__in=organisation_ids)


class Listing(BaseModel):
    """An activity, event series or training, published by an organisation."""

    # --- What
    section = models.CharField(
        pgettext_lazy("listing", "section"), max_length=20, choices=ListingSection.choices
    )
    title = models.JSONField(_("title"))
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    plain_finnish = models.TextField(
        _("plain-language Finnish (selkokieli)"),
        blank=True,
        help_text=_("A short description in plain Finnish."),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="listings")
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="listings"
    )

    # --- Who
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="listings"
    )
    co_organisers = models.ManyToManyField(
        Organisation, verbose_name=_("co-organisers"), blank=True, related_name="co_organised_listings"
    )
    contact_email = models.EmailField(_("public e-mail"), blank=True)
    contact_phone = models.CharField(_("public telephone"), max_length=40, blank=True)
    contact_url = models.URLField(_("web page"), blank=True)

    # --- For whom, in which language
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages of the activity"), related_name="+", blank=True
    )
    has_interpretation = models.BooleanField(_("interpretation available"), default=False)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    gender_restriction = models.CharField(
        _("for"), max_length=10, choices=GenderRestriction.choices, default=GenderRestriction.NONE, blank=True
    )
    is_for_families = models.BooleanField(_("for families"), default=False)
    has_childcare = models.BooleanField(_("childcare available"), default=False)
    is_accessible = models.BooleanField(_("accessible venue"), default=False)
    accessibility_info = models.JSONField(_("accessibility details"), default=dict, blank=True)

    # --- Cost and registration
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_info = models.JSONField(_("fee"), default=dict, blank=True)
    registration = models.CharField(
        _("registration"), max_length=10, choices=Registration.choices, default=Registration.DROP_IN
    )
    registration_info = models.CharField(
        _("where to register"),
        max_length=300,
        blank=True,
        help_text=_("The link, telephone number or e-mail."),
    )

    # --- Where
    is_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online address"), blank=True)
    place_name = models.JSONField(_("place"), default=dict, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(59), MaxValueValidator(71)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(19), MaxValueValidator(32)],
    )
    municipalities_served = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities served"), blank=True, related_name="+"
    )

    # --- Lifecycle
    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    criteria_confirmed_at = models.DateTimeField(_("listing criteria confirmed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed"), db_index=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    # --- Where the listing came from, when it was imported (e.g. a Linked Events API or demo data)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(_("identifier in the source"), max_length=200, blank=True)

    # --- Derived, maintained by services
    next_occurrence_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    search_stems = models.TextField(editable=False, blank=True)
    sort_title = models.CharField(max_length=300, editable=False, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["next_occurrence_at", "sort_title", "pk"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["status", "last_confirmed_at", "valid_until"], name="listing_public_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="listing_age_range",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source=""), name="listing_unique_source_id"
            ),
        ]

    def __str__(self) -> str:
        return i18n.localized(self.title)

    @property
    def display_title(self) -> str:
        return i18n.localized(self.title)


class Schedule(BaseModel):
    """When a listing happens: one start and end in Helsinki time, repeated by an RFC 5545 rule.

    Times are local wall-clock times; occurrences are computed in Europe/Helsinki, so a weekly
    17:00 stays 17:00 across the daylight-saving changes.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="schedules")
    starts_at = models.DateTimeField(_("first start (Helsinki time)"))
    ends_at = models.DateTimeField(_("first end (Helsinki time)"))
    rrule = models.CharField(
        _("repeat rule (RFC 5545)"),
        max_length=500,
        blank=True,
        help_text=_("For example FREQ=WEEKLY;BYDAY=TU;UNTIL=20270531. Empty for a single time."),
    )
    exdates = models.JSONField(_("cancelled dates"), default=list, blank=True)
    rdates = models.JSONField(_("extra dates"), default=list, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="schedule_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.rrule}".strip()


class Occurrence(models.Model):
    """A materialised occurrence within the search horizon (search filters use these)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    # Local (Helsinki) weekday 0=Monday and minute of day, for the day and time-of-day filters.
    weekday = models.PositiveSmallIntegerField()
    start_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["listing", "starts_at"], name="occurrence_listing_start_idx")]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ListingImage(BaseModel):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="listings/%Y/%m/")
    alt_text = models.JSONField(
        _("alternative text"), help_text=_("Describe the image for people who cannot see it.")
    )
    licence = models.CharField(_("licence"), max_length=100, help_text=_("For example CC BY 4.0."))
    credit = models.CharField(_("photographer or source"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return i18n.localized(self.alt_text)


class Report(BaseModel):
    """Anyone may report a listing as outdated or wrong; reports go to the moderation queue."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    message = models.TextField(_("details"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.listing}"


class Handout(BaseModel):
    """Listings a counsellor hands to a client: no personal data of the client, only a language."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    language = models.CharField(_("language of the client"), max_length=3)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="handouts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("online version expires"))
    is_draft = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")

    def __str__(self) -> str:
        return f"handout #{self.pk} ({self.language})"


class HandoutItem(models.Model):
    handout = models.ForeignKey(Handout, on_delete=models.CASCADE, related_name="items")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="handout_items")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["handout", "listing"], name="handout_item_unique")]

    def __str__(self) -> str:
        return f"{self.handout_id}:{self.listing_id}"


class HandoutCount(models.Model):
    """Anonymous indicator "referrals to low-threshold activities": per listing, municipality, month."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="handout_counts")
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(help_text="First day of the month.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "municipality", "month"], name="handout_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.month:%Y-%m} {self.count}"


class UnmetSearch(models.Model):
    """Searches that found nothing: what people look for and nobody offers (no personal data)."""

    text = models.CharField(max_length=100, blank=True)
    filters = models.JSONField(default=dict)
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=64, help_text="Hash of text and filters.")

    class Meta:
        ordering = ["-month", "-count"]
        constraints = [models.UniqueConstraint(fields=["key", "month"], name="unmet_search_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.text} ×{self.count}"

"""Statistics for the situation picture: datasets in versions, their dimensions and observations.

Only aggregate, public statistics are stored; suppressed small counts stay missing (never derived).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import i18n
from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality, Region


class Dataset(BaseModel):
    """A statistical table from a source, e.g. StatFin 11rc; its data comes in versions."""

    source = models.CharField(_("source"), max_length=40, help_text=_("For example statfin."))
    table_id = models.CharField(_("table"), max_length=80)
    title = models.JSONField(_("title"), default=dict)
    licence = models.CharField(_("licence"), max_length=100, default="CC BY 4.0")
    attribution = models.JSONField(_("attribution"), default=dict)
    is_synthetic = models.BooleanField(
        _("synthetic demo data"), default=False, help_text=_("Made-up numbers for demonstration only.")
    )

    class Meta:
        ordering = ["source", "table_id"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [models.UniqueConstraint(fields=["source", "table_id"], name="dataset_unique_table")]

    def __str__(self) -> str:
        return i18n.localized(self.title) or f"{self.source}/{self.table_id}"


class DatasetVersion(BaseModel):
    """One import of a dataset. The newest replaces the current one atomically; old ones stay."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    is_current = models.BooleanField(_("current"), default=False)
    last_updated = models.DateTimeField(_("data as of"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    cell_count = models.PositiveIntegerField(_("cells"), default=0)
    # An import in progress writes its rows in committed batches under a staged version; only its
    # last short transaction makes it current. Staged versions are never shown, nor kept as history.
    is_staged = models.BooleanField(default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset"], condition=Q(is_current=True), name="dataset_one_current_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.created_at:%Y-%m-%d})"


class DimensionRole(models.TextChoices):
    TIME = "time", _("Time")
    AREA = "area", _("Area")
    CONTENT = "content", _("Measure")
    OTHER = "other", _("Other")


class Dimension(models.Model):
    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(max_length=100)
    labels = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=DimensionRole.choices, default=DimensionRole.OTHER)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="dimension_unique_code")]

    def __str__(self) -> str:
        return i18n.localized(self.labels) or self.code


class DimensionValue(models.Model):
    """A value of a dimension; area values are joined to the reference municipalities and regions."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="values")
    # 255: PxWeb CSV files (Paavo) use their long labels as codes.
    code = models.CharField(max_length=255)
    labels = models.JSONField(default=dict)
    position = models.PositiveIntegerField()
    period_start = models.DateField(null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_country = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="dimension_value_unique_code")
        ]

    def __str__(self) -> str:
        return i18n.localized(self.labels) or self.code


# Observation.d0…d5 hold the positions of a cell's values in the dimensions other than the area, in
# table order; a dimension beyond these is read from `key` instead (see selectors.collect).
VALUE_COLUMNS = tuple(f"d{slot}" for slot in range(6))


def value_columns(roles: list[str]) -> dict[int, str]:
    """{table position of a dimension: its Observation column}: every dimension but the area, in
    table order, as many as there are columns."""
    positions = [index for index, role in enumerate(roles) if role != DimensionRole.AREA]
    return dict(zip(positions, VALUE_COLUMNS, strict=False))


class Observation(models.Model):
    """One cell. `key` holds the value codes in dimension order joined by "|". The area is copied
    out as `area_code`, and the position of each other dimension's value as d0…d5, so that the
    numbers a page needs (e.g. one year, the total of sex, the foreign languages) are selected and
    added up in the database through one covering index."""

    # No index of its own: observation_cells_idx starts with the version (one index less to keep up
    # on every inserted row).
    version = models.ForeignKey(
        DatasetVersion, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    key = models.TextField()
    area_code = models.CharField(max_length=20, blank=True)
    period_start = models.DateField(null=True, blank=True)
    d0 = models.PositiveIntegerField(null=True, blank=True)
    d1 = models.PositiveIntegerField(null=True, blank=True)
    d2 = models.PositiveIntegerField(null=True, blank=True)
    d3 = models.PositiveIntegerField(null=True, blank=True)
    d4 = models.PositiveIntegerField(null=True, blank=True)
    d5 = models.PositiveIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    missing = models.CharField(
        max_length=10, blank=True, help_text="The source's marker for a missing or suppressed value."
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["version", "area_code", *VALUE_COLUMNS, "value"], name="observation_cells_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value if self.value is not None else self.missing}"


class FindingQuestion(models.TextChoices):
    """The guiding questions of step 3 of the KOTO24 planning checklist (domain.md §3.2)."""

    WHO = "who", _("Who are the immigrants in the municipality and how many are there?")
    WHY = "why", _("Why have they moved here, and how long have they lived here?")
    NEEDS = "needs", _("What needs for services and support do they have?")
    WORK = "work", _("How are they doing in work and education?")
    FUTURE = "future", _("How should the municipality prepare for the future?")


class Finding(BaseModel):
    """The coordinator's qualitative finding next to the numbers: dated, with its source."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("guiding question"), max_length=20, choices=FindingQuestion.choices)
    text = models.JSONField(_("finding"))
    source = models.CharField(_("source"), max_length=300)
    observed_on = models.DateField(_("date"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["question", "-observed_on"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return i18n.localized(self.text)[:80]


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(BaseModel):
    """An uploaded statistics file waiting for, going through or done with its import (a task)."""

    file_name = models.CharField(_("file"), max_length=255)
    stored_name = models.CharField(
        max_length=500, blank=True, help_text="The upload's name in default storage."
    )
    source = models.CharField(_("source"), max_length=40)
    table_id = models.CharField(_("table"), max_length=80, blank=True)
    label_language = models.CharField(max_length=10, default="fi")
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    cells_done = models.PositiveIntegerField(default=0)
    cells_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportJobStatus.DONE, ImportJobStatus.FAILED}

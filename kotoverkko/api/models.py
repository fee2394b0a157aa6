"""Per-organisation API tokens. The secret itself is never stored: only its SHA-256 digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotoverkko.core.models import BaseModel
from kotoverkko.organisations.models import Organisation


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(BaseModel):
    """A machine client's key to write one organisation's listings through the JSON API.

    Each token acts through its own service account (`service_user`): an account nobody can sign
    in with, named "API token #id of organisation #id", so the audit trail shows which token made
    a change and the services' permission checks apply to API writes exactly as to the UI.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “Website calendar sync”.")
    )
    prefix = models.CharField(_("beginning of the token"), max_length=12, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"api token #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

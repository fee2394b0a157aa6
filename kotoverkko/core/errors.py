"""Application errors: services raise these; views and the API turn them into messages."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise


class ErrorCode(models.TextChoices):
    """Base for each app's error-code enum; the value is the stable code shown to API clients."""


class ApplicationError(Exception):
    """A business rule refused the operation. `message` is translated and safe to show."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = str(code)
        self.message = str(message)
        self.fields = fields or {}

    @classmethod
    def from_code(
        cls, code: ErrorCode, *, field: str | None = None, message: str | Promise | None = None
    ) -> ApplicationError:
        """The error for `code`, its label (or `message`) shown on `field` when one is given."""
        text = str(message or code.label)
        return cls(code.value, text, fields={field: [text]} if field else None)


class PermissionDeniedError(ApplicationError):
    """The actor may not do this. Views answer 404 for objects, 403 for pages."""

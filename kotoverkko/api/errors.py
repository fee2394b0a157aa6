"""The API's stable error codes. Every error answer is {"code", "message", "fields"}."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ErrorCode


class ApiErrorCode(ErrorCode):
    INVALID = "invalid", _("The request is not valid. See the fields for details.")
    NOT_AUTHENTICATED = "not_authenticated", _("Send an API token: Authorization: Bearer <token>.")
    INVALID_TOKEN = "invalid_token", _("The API token is not valid or has been revoked.")
    PERMISSION_DENIED = "permission_denied", _("This token may not do this.")
    NOT_FOUND = "not_found", _("Not found.")
    METHOD_NOT_ALLOWED = "method_not_allowed", _("This method is not allowed here.")
    RATE_LIMITED = "rate_limited", _("Too many requests. Wait for the time in Retry-After and try again.")
    SERVER_ERROR = "server_error", _("Something went wrong on the server. Try again later.")


# Application error codes of the services that mean "not allowed" rather than "invalid input".
FORBIDDEN_CODES = frozenset({"not_allowed", "permission_denied"})

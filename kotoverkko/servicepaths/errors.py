from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ErrorCode


class ServicePathErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You may not change this service path.")
    DUPLICATE_PATH = "duplicate_path", _("The municipality already has a service path for this client group.")
    UNKNOWN_TEMPLATE = "unknown_template", _("Choose a template from the list.")
    TITLE_REQUIRED = "title_required", _("Give the step a title in at least one language.")
    ANCHOR_INVALID = "anchor_invalid", _("Choose another step of this path to count the deadline from.")
    ANCHOR_REQUIRED = "anchor_required", _("Choose what the deadline is counted from.")
    AMOUNT_REQUIRED = (
        "amount_required",
        _("Give the length of the deadline or clear what it is counted from."),
    )

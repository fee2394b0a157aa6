from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ErrorCode


class OrganisationErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    INVALID_BUSINESS_ID = (
        "invalid_business_id",
        _("The business ID is not valid. Write it as 7 digits, a hyphen and a check digit (0101263-6)."),
    )
    BUSINESS_ID_CHECKSUM = (
        "business_id_checksum",
        _("The business ID's check digit does not match. Check the number."),
    )
    MUNICIPALITY_REQUIRED = (
        "municipality_required",
        _("For a municipality, choose the municipality itself as the home municipality."),
    )
    UNIT_NEEDS_MUNICIPAL_PARENT = (
        "unit_needs_municipal_parent",
        _("A municipal unit must be part of a municipality or of another municipal unit."),
    )
    PARENT_CYCLE = "parent_cycle", _("An organisation cannot be part of itself or of its own unit.")
    NAME_REQUIRED = "name_required", _("Give the name in at least one language.")
    INVALID_LANGUAGE_CODE = (
        "invalid_language_code",
        _("Use a two- or three-letter language code, e.g. ar or ckb."),
    )

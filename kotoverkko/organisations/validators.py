from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fi import ytunnus

from kotoverkko.core.errors import ApplicationError

from .errors import OrganisationErrorCode


def normalise_business_id(value: str) -> str:
    """The Y-tunnus in its standard form 1234567-8; raises ApplicationError naming the fault."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except InvalidChecksum as error:
        raise ApplicationError.from_code(
            OrganisationErrorCode.BUSINESS_ID_CHECKSUM, field="business_id"
        ) from error
    except ValidationError as error:
        raise ApplicationError.from_code(
            OrganisationErrorCode.INVALID_BUSINESS_ID, field="business_id"
        ) from error

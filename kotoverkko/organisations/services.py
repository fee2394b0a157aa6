"""Write use-cases for the organisation registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError
from kotoverkko.reference.models import Language, Municipality

from . import policies
from .errors import OrganisationErrorCode
from .models import CooperationArea, Organisation, OrganisationKind
from .validators import normalise_business_id

AUDITED_FIELDS = [
    "name",
    "kind",
    "business_id",
    "parent",
    "description",
    "home_municipality",
    "municipalities_served",
    "languages_served",
    "email",
    "phone",
    "website",
    "street_address",
    "postal_code",
    "post_office",
    "is_public",
]


@dataclass
class OrganisationData:
    name: dict[str, str]
    kind: str
    business_id: str = ""
    parent: Organisation | None = None
    description: dict[str, str] = field(default_factory=dict)
    home_municipality: Municipality | None = None
    municipalities_served: list[Municipality] = field(default_factory=list)
    languages_served: list[Language] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    website: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    is_public: bool = True


def _fail(code: OrganisationErrorCode, field_name: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name)


def _validated(data: OrganisationData, *, organisation: Organisation | None) -> OrganisationData:
    try:
        data.name = i18n.clean_multilingual(data.name)
        data.description = i18n.clean_multilingual(data.description)
    except ValueError as error:
        raise _fail(OrganisationErrorCode.INVALID_LANGUAGE_CODE, "name") from error
    if not data.name:
        raise _fail(OrganisationErrorCode.NAME_REQUIRED, "name")
    data.business_id = normalise_business_id(data.business_id)
    if data.kind == OrganisationKind.MUNICIPALITY and data.home_municipality is None:
        raise _fail(OrganisationErrorCode.MUNICIPALITY_REQUIRED, "home_municipality")
    if data.kind == OrganisationKind.MUNICIPAL_UNIT and (data.parent is None or not data.parent.is_municipal):
        raise _fail(OrganisationErrorCode.UNIT_NEEDS_MUNICIPAL_PARENT, "parent")
    if organisation is not None and data.parent is not None and organisation.pk in data.parent.lineage_ids():
        raise _fail(OrganisationErrorCode.PARENT_CYCLE, "parent")
    return data


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    for name in (
        "name",
        "kind",
        "business_id",
        "parent",
        "description",
        "home_municipality",
        "email",
        "phone",
        "website",
        "street_address",
        "postal_code",
        "post_office",
        "is_public",
    ):
        setattr(organisation, name, getattr(data, name))
    organisation.refresh_derived_fields()
    organisation.full_clean()
    organisation.save()
    organisation.municipalities_served.set(data.municipalities_served)
    organisation.languages_served.set(data.languages_served)


def _scope(organisation: Organisation) -> dict[str, Any]:
    return {"organisation_id": organisation.pk, "municipality_code": organisation.home_municipality_id or ""}


@transaction.atomic
def organisation_create(*, data: OrganisationData, actor: Any) -> Organisation:
    """Register an organisation. Raises ApplicationError(NOT_ALLOWED | INVALID_* | …).

    `actor=None` is the system itself (management commands), never a web request.
    """
    if actor is not None and not policies.can_create_organisation(actor, parent=data.parent):
        raise _fail(OrganisationErrorCode.NOT_ALLOWED)
    data = _validated(data, organisation=None)
    organisation = Organisation()
    _apply(organisation, data)
    audit.record(
        actor=actor,
        action="organisation.created",
        obj=organisation,
        changes=audit.changes_between({}, audit.snapshot(organisation, AUDITED_FIELDS)),
        **_scope(organisation),
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: OrganisationData, actor: Any) -> Organisation:
    """Change an organisation's details. Raises ApplicationError(NOT_ALLOWED | INVALID_* | …)."""
    if not policies.can_edit_organisation(actor, organisation):
        raise _fail(OrganisationErrorCode.NOT_ALLOWED)
    if data.parent != organisation.parent and not policies.can_create_organisation(actor, parent=data.parent):
        raise _fail(OrganisationErrorCode.NOT_ALLOWED, "parent")
    data = _validated(data, organisation=organisation)
    before = audit.snapshot(organisation, AUDITED_FIELDS)
    _apply(organisation, data)
    changes = audit.changes_between(before, audit.snapshot(organisation, AUDITED_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="organisation.updated",
            obj=organisation,
            changes=changes,
            **_scope(organisation),
        )
    return organisation


@transaction.atomic
def cooperation_area_ensure(
    *, name: dict[str, str], municipalities: list[Municipality], lead: Organisation | None, actor: Any
) -> CooperationArea:
    """Create or update the cooperation area with this Finnish name (used by seeding)."""
    area = next((a for a in CooperationArea.objects.all() if a.name.get("fi") == name.get("fi")), None)
    created = area is None
    area = area or CooperationArea(name=name)
    area.name = name
    area.lead_organisation = lead
    area.save()
    area.municipalities.set(municipalities)
    if created:
        audit.record(actor=actor, action="cooperation_area.created", obj=area)
    return area

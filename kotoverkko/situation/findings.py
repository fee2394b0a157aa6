"""Services for the coordinator's findings: policy check, write, audit.

Findings are qualitative observations about groups (e.g. "many Ukrainian speakers use the
language café"); they must hold no personal data, and the form says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kotoverkko.accounts import policies
from kotoverkko.accounts.roles import Permission, role_grants
from kotoverkko.core import audit
from kotoverkko.core.errors import PermissionDeniedError
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from .models import Finding

FIELDS = ("question", "text", "source", "observed_on")


@dataclass(frozen=True)
class FindingData:
    question: str
    text: dict[str, str]
    source: str
    observed_on: datetime.date


def can_write_findings(user: Any, municipality_code: str) -> bool:
    """Coordinators of the municipality (its own organisations) and platform admins."""
    codes = policies.municipality_codes_with(user, Permission.VIEW_DIRECTORY_STATISTICS)
    return codes is None or municipality_code in codes


def _require(user: Any, municipality_code: str) -> None:
    if not can_write_findings(user, municipality_code):
        raise PermissionDeniedError("forbidden", _("You may not edit the findings of this municipality."))


def _organisation_for(user: Any, municipality_code: str) -> Organisation:
    """The writer's organisation in the municipality, else the one granting a global permission."""
    memberships = [
        m for m in policies.memberships_of(user) if role_grants(m.role, Permission.VIEW_DIRECTORY_STATISTICS)
    ]
    for membership in memberships:
        if membership.organisation.home_municipality_id == municipality_code:
            return membership.organisation
    return memberships[0].organisation


def finding_create(*, actor: Any, municipality: Municipality, data: FindingData) -> Finding:
    _require(actor, municipality.code)
    with transaction.atomic():
        finding = Finding.objects.create(
            municipality=municipality,
            organisation=_organisation_for(actor, municipality.code),
            question=data.question,
            text=data.text,
            source=data.source,
            observed_on=data.observed_on,
        )
        audit.record(
            actor=actor,
            action="finding.created",
            obj=finding,
            organisation_id=finding.organisation_id,
            municipality_code=municipality.code,
            changes=audit.changes_between({}, audit.snapshot(finding, FIELDS)),
        )
    return finding


def finding_update(*, actor: Any, finding: Finding, data: FindingData) -> Finding:
    _require(actor, finding.municipality_id)
    with transaction.atomic():
        before = audit.snapshot(finding, FIELDS)
        finding.question = data.question
        finding.text = data.text
        finding.source = data.source
        finding.observed_on = data.observed_on
        finding.save()
        audit.record(
            actor=actor,
            action="finding.updated",
            obj=finding,
            organisation_id=finding.organisation_id,
            municipality_code=finding.municipality_id,
            changes=audit.changes_between(before, audit.snapshot(finding, FIELDS)),
        )
    return finding


def finding_delete(*, actor: Any, finding: Finding) -> None:
    _require(actor, finding.municipality_id)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="finding.deleted",
            obj=finding,
            organisation_id=finding.organisation_id,
            municipality_code=finding.municipality_id,
        )
        finding.delete()

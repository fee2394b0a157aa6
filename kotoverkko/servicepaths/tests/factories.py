"""Factories and scenario builders for service paths."""

from __future__ import annotations

from typing import Any

from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality
from kotoverkko.servicepaths.enums import StepKind
from kotoverkko.servicepaths.models import ClientGroup, ServicePath, ServiceStep


def create_path(
    *, municipality: str = "257", group: str = "quota-refugees", is_public: bool = False, **fields: Any
) -> ServicePath:
    path = ServicePath.objects.create(
        municipality=Municipality.objects.get(code=municipality),
        client_group=ClientGroup.objects.get(slug=group),
        is_public=is_public,
        **fields,
    )
    path.municipalities.set([path.municipality])
    return path


def create_step(
    *,
    path: ServicePath,
    title: str = "Kotoutumissuunnitelma",
    responsible: Organisation | None = None,
    partners: tuple[Organisation, ...] = (),
    kind: str = StepKind.PLAN,
    position: int | None = None,
    **fields: Any,
) -> ServiceStep:
    if position is None:
        position = path.steps.count() + 1
    step = ServiceStep.objects.create(
        path=path, title={"fi": title}, responsible=responsible, kind=kind, position=position, **fields
    )
    step.partners.set(partners)
    return step

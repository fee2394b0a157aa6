"""Audit primitives: the one way services write to the append-only audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

REDACTED = "[redacted]"


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, in a JSON-friendly form, for a later `changes_between`."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True))
        elif field.is_relation:
            values[name] = getattr(instance, field.attname)
        else:
            values[name] = getattr(instance, name)
    return {key: _jsonable(value) for key, value in values.items()}


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], *, personal: Iterable[str] = ()
) -> dict[str, dict[str, Any]]:
    """Field-by-field differences; personal fields are named but their values are not stored."""
    personal = set(personal)
    diff: dict[str, dict[str, Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            if name in personal:
                diff[name] = {"from": REDACTED, "to": REDACTED}
            else:
                diff[name] = {"from": old, "to": new}
    return diff


def record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model,
    organisation_id: int | None = None,
    municipality_code: str = "",
    changes: Mapping[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail.

    Pass `object_repr` for objects whose `str()` names a person: the trail keeps no names.
    """
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        organisation_id=organisation_id,
        municipality_code=municipality_code or "",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=(object_repr if object_repr is not None else str(obj))[:200],
        changes=dict(changes or {}),
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)

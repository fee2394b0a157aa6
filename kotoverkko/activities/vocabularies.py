"""The controlled vocabularies (themes, target groups): the platform admin's write use-cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError, ErrorCode

from . import policies
from .models import TargetGroup, Theme, Vocabulary

# URL keyword -> model; the keyword is what the pages use, so it stays readable.
KINDS: dict[str, type[Vocabulary]] = {"theme": Theme, "target-group": TargetGroup}
FIELDS = ["slug", "label_fi", "label_sv", "label_en", "position", "is_active"]


class VocabularyErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    INVALID = "invalid", _("Check the term's details.")


@dataclass
class VocabularyData:
    slug: str
    label_fi: str
    label_sv: str
    label_en: str
    position: int = 0
    is_active: bool = True


def vocabulary_model(kind: str) -> type[Vocabulary] | None:
    return KINDS.get(kind)


@transaction.atomic
def vocabulary_save(*, instance: Vocabulary, data: VocabularyData, actor: Any) -> Vocabulary:
    """Create (unsaved `instance`) or change a theme or target group. Raises ApplicationError."""
    if not policies.can_manage_vocabularies(actor):
        raise ApplicationError(VocabularyErrorCode.NOT_ALLOWED.value, VocabularyErrorCode.NOT_ALLOWED.label)
    created = instance.pk is None
    before = {} if created else audit.snapshot(instance, FIELDS)
    instance.slug = data.slug.strip().lower()
    instance.label_fi = data.label_fi.strip()
    instance.label_sv = data.label_sv.strip()
    instance.label_en = data.label_en.strip()
    instance.position = data.position
    instance.is_active = data.is_active
    try:
        instance.full_clean()
    except ValidationError as error:
        messages = next(iter(error.message_dict.values()))
        raise ApplicationError(
            VocabularyErrorCode.INVALID.value, messages[0], fields=error.message_dict
        ) from error
    instance.save()
    changes = audit.changes_between(before, audit.snapshot(instance, FIELDS))
    if created or changes:
        audit.record(
            actor=actor,
            action=f"{instance._meta.model_name}.{'created' if created else 'updated'}",
            obj=instance,
            changes=changes,
        )
    return instance

"""Form fields for reference data, shared by every area's forms."""

from __future__ import annotations

from django import forms

from .models import Municipality


class MunicipalityChoiceField(forms.ModelChoiceField):
    """A municipality by its name in the active language (not its code)."""

    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class MunicipalityMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name

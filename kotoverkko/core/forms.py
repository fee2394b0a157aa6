"""Form helpers shared by every app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import i18n
from .errors import ApplicationError

UI_LANGUAGE_LABELS = {"fi": _("In Finnish"), "sv": _("In Swedish"), "en": _("In English")}


@dataclass
class MultilingualGroup:
    name: str
    label: str
    help_text: str
    fixed: list[forms.BoundField]
    others: list[tuple[forms.BoundField, forms.BoundField]]
    errors: list[str]


class MultilingualFormMixin:
    """Edit a multilingual JSON value (see core.i18n) as one input per language.

    Finnish, Swedish and English always have an input; every other language already written
    gets a language-code + text pair, and one empty pair lets the user add a language without
    JavaScript. Declare `multilingual_fields = {"name": {"label": …, "required": True}}`.
    """

    multilingual_fields: dict[str, dict[str, Any]] = {}

    def _setup_multilingual(self, initial_values: dict[str, dict[str, str]]) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        for name, options in self.multilingual_fields.items():
            textarea = options.get("textarea", False)
            widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
            max_length = options.get("max_length", 5000 if textarea else 300)
            value = initial_values.get(name) or {}
            for code, label in UI_LANGUAGE_LABELS.items():
                form.fields[f"{name}_{code}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=max_length,
                    widget=widget,
                    initial=value.get(code, ""),
                )
            others = [(code, text) for code, text in value.items() if code not in UI_LANGUAGE_LABELS]
            count = len(others) + 1
            if form.is_bound:
                count = 0
                while f"{name}_other_{count}_lang" in form.data:
                    count += 1
                count = max(count, 1)
            for index in range(count):
                code, text = others[index] if index < len(others) else ("", "")
                form.fields[f"{name}_other_{index}_lang"] = forms.CharField(
                    label=_("Language code"),
                    required=False,
                    max_length=3,
                    initial=code,
                    help_text=_("For example ar, so or ckb."),
                    widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
                )
                form.fields[f"{name}_other_{index}_text"] = forms.CharField(
                    label=_("Text in that language"),
                    required=False,
                    max_length=max_length,
                    widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput(),
                    initial=text,
                )

    def _other_indices(self, name: str) -> list[int]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        index, indices = 0, []
        while f"{name}_other_{index}_lang" in form.fields:
            indices.append(index)
            index += 1
        return indices

    def clean_multilingual(self) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        data = form.cleaned_data
        for name, options in self.multilingual_fields.items():
            value: dict[str, str] = {}
            for code in UI_LANGUAGE_LABELS:
                if data.get(f"{name}_{code}"):
                    value[code] = data[f"{name}_{code}"]
            for index in self._other_indices(name):
                code = (data.get(f"{name}_other_{index}_lang") or "").strip().lower()
                text = (data.get(f"{name}_other_{index}_text") or "").strip()
                if not code and not text:
                    continue
                if not i18n.LANGUAGE_CODE_PATTERN.match(code):
                    form.add_error(
                        f"{name}_other_{index}_lang",
                        _("Use a two- or three-letter language code, e.g. ar or ckb."),
                    )
                    continue
                if not text:
                    form.add_error(
                        f"{name}_other_{index}_text", _("Write the text or clear the language code.")
                    )
                    continue
                value[code] = text
            if options.get("required") and not value:
                form.add_error(f"{name}_fi", _("Give the name in at least one language."))
            data[name] = value

    def multilingual_groups(self) -> list[MultilingualGroup]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        groups = []
        for name, options in self.multilingual_fields.items():
            fixed = [form[f"{name}_{code}"] for code in UI_LANGUAGE_LABELS]
            others = [
                (form[f"{name}_other_{index}_lang"], form[f"{name}_other_{index}_text"])
                for index in self._other_indices(name)
            ]
            errors = [str(error) for bound in fixed for error in bound.errors]
            groups.append(
                MultilingualGroup(
                    name=name,
                    label=str(options["label"]),
                    help_text=str(options.get("help_text", "")),
                    fixed=fixed,
                    others=others,
                    errors=errors,
                )
            )
        return groups


def add_application_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on the form: on the fields it names, else above the form."""
    placed = False
    for field_name, messages in error.fields.items():
        target = field_name if field_name in form.fields else None
        if target is None and f"{field_name}_fi" in form.fields:
            target = f"{field_name}_fi"
        for message in messages:
            form.add_error(target, message)
        placed = True
    if not placed:
        form.add_error(None, error.message)

"""Multilingual content: one mechanism for every user-written text.

A multilingual value is a JSON object keyed by language code (ISO 639-1 or 639-3), in any
number of languages, e.g. {"fi": "Kielikahvila", "ar": "مقهى اللغة"}. The UI languages are
only the fallback order for showing it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}$")


def fallback_order(language: str | None = None) -> list[str]:
    first = (language or get_language() or settings.LANGUAGE_CODE)[:3].split("-")[0]
    ui = [code for code, _name in settings.LANGUAGES]
    return [first, *[code for code in ui if code != first]]


def localized(value: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in the wanted language, else in the UI languages in order, else any language."""
    if not value:
        return ""
    for code in fallback_order(language):
        if value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")


def localized_language(value: Mapping[str, str] | None, language: str | None = None) -> str:
    """The language code of the text `localized` would pick (for a `lang` attribute)."""
    if not value:
        return ""
    for code in fallback_order(language):
        if value.get(code):
            return code
    return next((code for code, text in value.items() if text), "")


def clean_multilingual(value: Mapping[str, str] | None) -> dict[str, str]:
    """Trimmed texts with empty ones dropped; raises ValueError on a malformed language code."""
    cleaned: dict[str, str] = {}
    for code, text in (value or {}).items():
        code = str(code).strip().lower()
        if not LANGUAGE_CODE_PATTERN.match(code):
            raise ValueError(code)
        text = str(text or "").strip()
        if text:
            cleaned[code] = text
    return cleaned


RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ckb", "he", "ur", "ps", "sd", "ug", "yi", "apd", "syr"})


def text_direction(language: str | None) -> str:
    """ "rtl" for right-to-left scripts, "ltr" otherwise (for the `dir` attribute)."""
    return "rtl" if (language or "").lower() in RTL_LANGUAGES else "ltr"

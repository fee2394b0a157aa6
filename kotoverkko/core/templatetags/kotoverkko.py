from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.http import HttpRequest
from django.urls import translate_url

from kotoverkko.core import i18n
from kotoverkko.core.pagination import querystring_without_page

register = template.Library()


@register.filter
def localized(value: Mapping[str, str] | None) -> str:
    return i18n.localized(value)


@register.filter
def localized_lang(value: Mapping[str, str] | None) -> str:
    return i18n.localized_language(value)


@register.filter
def text_dir(language: str | None) -> str:
    return i18n.text_direction(language)


@register.filter
def localized_dir(value: Mapping[str, str] | None) -> str:
    return i18n.text_direction(i18n.localized_language(value))


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language: str) -> str:
    """The current page's address in another UI language (a plain link: works without JS)."""
    request: HttpRequest = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, page_number: int) -> str:
    rest = querystring_without_page(context["request"])
    return f"?{rest}&page={page_number}" if rest else f"?page={page_number}"

"""/api/v1/: the JSON API (django-ninja) and search exports. The documentation and the token pages
are HTML in the user's language, so they live in urls_pages.py under the language prefixes."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from . import views
from .api import api
from .http import api_view

app_name = "api"


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            # Ninja's own root answers 404 without docs; this one lists the resources instead.
            callback = views.api_root if pattern.name == "api-root" else pattern.callback
            pattern.callback = api_view(callback)
    return patterns


ninja_patterns, _ninja_app, ninja_namespace = api.urls

urlpatterns = [
    # The address developers guess; the page itself is in the user's language.
    path("docs/", RedirectView.as_view(pattern_name="api_pages:docs"), name="docs"),
    path("listings/export.<str:file_format>", views.listing_export, name="listing_export"),
    path("", (_wrapped(ninja_patterns), _ninja_app, ninja_namespace)),
]

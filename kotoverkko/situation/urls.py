"""Routes of the situation picture, namespace `situation`."""

from . import urls_import, urls_pages

app_name = "situation"

urlpatterns = [*urls_import.urlpatterns, *urls_pages.urlpatterns]

"""All activity-directory routes under one namespace; each area keeps its own module."""

from . import urls_handouts, urls_import, urls_public, urls_publish

app_name = "activities"

urlpatterns = [
    *urls_public.urlpatterns,
    *urls_publish.urlpatterns,
    *urls_handouts.urlpatterns,
    *urls_import.urlpatterns,
]

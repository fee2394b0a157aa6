"""Statistics import for coordinators (namespace `situation`, see urls.py)."""

from django.urls import path

from . import views_import as views

urlpatterns = [
    path("situation/import/", views.statistics_import, name="import"),
    path("situation/import/<int:pk>/", views.import_status, name="import_status"),
]

"""Bulk import of listings from CSV and XLSX (namespace `activities`, see urls.py)."""

from django.urls import path

from . import views_import as views

urlpatterns = [
    path("activities/import/", views.listing_import, name="import"),
    path("activities/import/template/", views.import_template, name="import_template"),
]

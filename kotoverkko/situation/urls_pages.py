"""Routes of the situation pages (public reading; findings for the municipality's coordinators)."""

from django.urls import path

from . import views_pages

urlpatterns = [
    path("situation/", views_pages.index, name="index"),
    path("situation/findings/<int:pk>/edit/", views_pages.finding_edit, name="finding_edit"),
    path("situation/findings/<int:pk>/delete/", views_pages.finding_delete, name="finding_delete"),
    path("situation/<str:area>/", views_pages.area, name="area"),
    path("situation/<str:area>/findings/new/", views_pages.finding_create, name="finding_create"),
    path("situation/<str:area>/<slug:chart>.csv", views_pages.chart_csv, name="chart_csv"),
    path("situation/<str:area>/<slug:chart>.svg", views_pages.chart_svg, name="chart_svg"),
]

"""Consultation routes (included into the `planning` namespace by urls.py)."""

from django.urls import path

from . import views_consultation as views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/comment/", views.consultation_comment, name="consultation_comment"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/publish/", views.consultation_publish, name="consultation_publish"),
    path("consultations/<int:pk>/moderate/", views.consultation_moderate, name="consultation_moderate"),
    path(
        "consultations/comments/<int:pk>/moderate/",
        views.consultation_comment_moderate,
        name="consultation_comment_moderate",
    ),
    path("planning/<int:programme_pk>/consultations/", views.consultation_manage, name="consultation_manage"),
    path(
        "planning/<int:programme_pk>/consultations/new/",
        views.consultation_create,
        name="consultation_create",
    ),
]

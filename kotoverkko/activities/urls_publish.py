"""Publishing, moderation, vocabularies and statistics (namespace `activities`, see urls.py)."""

from django.urls import path

from . import views_publish as views

urlpatterns = [
    path("activities/mine/", views.listing_mine, name="mine"),
    path("activities/new/", views.listing_create, name="create"),
    path("activities/<int:pk>/edit/", views.listing_edit, name="edit"),
    path("activities/<int:pk>/preview/", views.listing_preview, name="preview"),
    path("activities/<int:pk>/submit/", views.listing_submit, name="submit"),
    path("activities/<int:pk>/duplicate/", views.listing_duplicate, name="duplicate"),
    path("activities/<int:pk>/archive/", views.listing_archive, name="archive"),
    path("activities/<int:pk>/restore/", views.listing_restore, name="restore"),
    path("activities/<int:pk>/still-valid/", views.listing_confirm_now, name="confirm_now"),
    path("activities/<int:pk>/history/", views.listing_history, name="history"),
    path("activities/confirm/<str:token>/", views.listing_confirm_link, name="confirm"),
    path("activities/moderation/", views.moderation, name="moderation"),
    path("activities/moderation/<int:pk>/publish/", views.moderate_publish, name="moderate_publish"),
    path("activities/moderation/<int:pk>/return/", views.moderate_return, name="moderate_return"),
    path("activities/reports/<int:pk>/handled/", views.report_handle, name="report_handle"),
    path("activities/vocabularies/", views.vocabulary_list, name="vocabularies"),
    path("activities/vocabularies/<slug:kind>/new/", views.vocabulary_create, name="vocabulary_create"),
    path("activities/vocabularies/<slug:kind>/<int:pk>/edit/", views.vocabulary_edit, name="vocabulary_edit"),
    path("activities/statistics/", views.directory_statistics, name="statistics"),
]

"""The API's pages for people: the documentation and the organisation admin's token pages."""

from django.urls import path

from . import views

app_name = "api_pages"

urlpatterns = [
    path("developers/api/", views.docs, name="docs"),
    path("organisations/<int:pk>/api-tokens/", views.token_list, name="tokens"),
    path("organisations/<int:pk>/api-tokens/new/", views.token_create, name="token_create"),
    path("organisations/<int:pk>/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

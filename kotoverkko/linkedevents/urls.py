"""Linked Events v1 routes, included at /linkedevents/v1/ outside the language prefixes."""

from django.urls import path

from . import views

app_name = "linkedevents"

urlpatterns = [
    path("event/", views.event_list, name="event_list"),
    path("event/<str:event_id>/", views.event_detail, name="event_detail"),
    path("place/", views.place_list, name="place_list"),
    path("place/<str:place_id>/", views.place_detail, name="place_detail"),
    path("keyword/", views.keyword_list, name="keyword_list"),
    path("keyword/<str:keyword_id>/", views.keyword_detail, name="keyword_detail"),
    path("language/", views.language_list, name="language_list"),
    path("language/<str:code>/", views.language_detail, name="language_detail"),
]

"""Public routes of the activity directory: search, listing pages, calendars and feeds, reports."""

from django.urls import path

from . import feeds, views_public

urlpatterns = [
    path("activities/", views_public.search, name="search"),
    path("activities/feed.ics", feeds.feed_ics, name="feed_ics"),
    path("activities/feed.atom", feeds.feed_atom, name="feed_atom"),
    path("activities/<int:pk>/", views_public.detail, name="detail"),
    path("activities/<int:pk>/calendar.ics", feeds.listing_ics, name="ics"),
    path("activities/<int:pk>/report/", views_public.report, name="report"),
]

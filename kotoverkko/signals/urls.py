from django.urls import path

from . import views

app_name = "signals"

urlpatterns = [
    path("signals/new/", views.signal_send, name="send"),
    path("signals/sent/", views.signal_sent, name="sent"),
    path("signals/inbox/", views.signal_inbox, name="inbox"),
    path("signals/<int:pk>/", views.signal_detail, name="detail"),
    path("signals/<int:pk>/answer/", views.signal_answer, name="answer"),
    path("signals/<int:pk>/status/", views.signal_status, name="status"),
    path("signals/<int:pk>/route/", views.signal_reroute, name="reroute"),
    path("signals/routing/", views.routing_table, name="routing"),
    path("signals/statistics/", views.signal_statistics, name="statistics"),
    path("signals/statistics.csv", views.signal_statistics_csv, name="statistics_csv"),
]

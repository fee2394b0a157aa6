from django.urls import path

from . import views

app_name = "servicepaths"

urlpatterns = [
    path("service-paths/", views.path_index, name="index"),
    path("service-paths/new/", views.path_create, name="create"),
    path("service-paths/gaps/", views.gap_overview, name="gaps"),
    path("service-paths/client-groups/", views.client_group_list, name="client_groups"),
    path("service-paths/client-groups/<int:pk>/edit/", views.client_group_edit, name="client_group_edit"),
    path("service-paths/area/<str:code>/", views.who_does_what, name="who_does_what"),
    path("service-paths/area/<str:code>/print/", views.who_does_what_print, name="who_does_what_print"),
    path("service-paths/<int:pk>/", views.path_detail, name="detail"),
    path("service-paths/<int:pk>/print/", views.path_print, name="print"),
    path("service-paths/<int:pk>/edit/", views.path_edit, name="edit"),
    path("service-paths/<int:pk>/delete/", views.path_delete, name="delete"),
    path("service-paths/<int:pk>/steps/new/", views.step_add, name="step_add"),
    path("service-paths/steps/<int:pk>/edit/", views.step_edit, name="step_edit"),
    path("service-paths/steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("service-paths/steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
]

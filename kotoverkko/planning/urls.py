"""Routes of the integration programme, namespace `planning`."""

from django.urls import include, path

from . import views, views_public

app_name = "planning"

urlpatterns = [
    # Public
    path("programmes/", views_public.public_list, name="public_list"),
    path("programmes/<int:pk>/", views_public.public_detail, name="public_detail"),
    # Coordinators and organisations
    path("planning/", views.index, name="index"),
    path("planning/new/", views.create, name="create"),
    path("planning/<int:pk>/", views.detail, name="detail"),
    path("planning/<int:pk>/edit/", views.edit, name="edit"),
    path("planning/<int:pk>/status/", views.transition, name="transition"),
    path("planning/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("planning/<int:pk>/revise/", views.revise, name="revise"),
    path("planning/<int:pk>/compare/", views.compare, name="compare"),
    path("planning/<int:pk>/history/", views.history, name="history"),
    path("planning/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("planning/steps/<int:pk>/edit/", views.step_edit, name="step_edit"),
    path("planning/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("planning/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("planning/goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("planning/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("planning/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("planning/measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("planning/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("planning/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("planning/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path(
        "planning/indicators/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"
    ),
    path("planning/indicators/<int:pk>/refresh/", views.indicator_refresh, name="indicator_refresh"),
    path("planning/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("planning/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("planning/rounds/<int:pk>/measures/<int:measure_pk>/", views.measure_report, name="measure_report"),
    path("planning/rounds/<int:pk>/compile/", views.round_compile, name="round_compile"),
    # Platform admin: the checklist templates
    path("planning/checklists/", views.checklists, name="checklists"),
    path("planning/checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
    path(
        "planning/checklists/<int:pk>/steps/new/", views.checklist_step_create, name="checklist_step_create"
    ),
    path("planning/checklists/steps/<int:pk>/edit/", views.checklist_step_edit, name="checklist_step_edit"),
    # Consultation and documents (the second planning area; its own permission matrix).
    path("", include("kotoverkko.planning.urls_consultation")),
    path("", include("kotoverkko.planning.urls_documents")),
]

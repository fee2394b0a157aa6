from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/new/", views.organisation_create, name="create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("organisations/<int:pk>/members/", views.organisation_members, name="members"),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("audit/", views.audit_trail, name="audit"),
]

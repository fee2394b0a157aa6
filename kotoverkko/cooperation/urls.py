"""Cooperation bodies, meetings, action items and agreements (namespace `cooperation`)."""

from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("cooperation/bodies/", views.body_list, name="body_list"),
    path("cooperation/bodies/new/", views.body_create, name="body_create"),
    path("cooperation/bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("cooperation/bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("cooperation/bodies/<int:pk>/meetings.ics", views.body_calendar, name="body_calendar"),
    path("cooperation/bodies/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("cooperation/bodies/<int:pk>/members.csv", views.member_export, name="member_export"),
    path("cooperation/bodies/<int:pk>/members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path(
        "cooperation/bodies/<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("cooperation/bodies/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("cooperation/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("cooperation/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("cooperation/meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("cooperation/meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("cooperation/meetings/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("cooperation/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("cooperation/attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("cooperation/action-items/", views.action_items, name="action_items"),
    path(
        "cooperation/bodies/<int:pk>/action-items/new/", views.action_item_create, name="action_item_create"
    ),
    path("cooperation/action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("cooperation/action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("cooperation/agreements/", views.agreement_list, name="agreement_list"),
    path("cooperation/agreements/new/", views.agreement_create, name="agreement_create"),
    path("cooperation/agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("cooperation/agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("cooperation/agreements/<int:pk>/review/", views.agreement_review, name="agreement_review"),
    path("cooperation/agreements/<int:pk>/documents/", views.document_add, name="document_add"),
    path("cooperation/documents/<int:pk>/", views.document_download, name="document_download"),
    path("cooperation/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
]

"""Handing listings over to clients: the counsellor's basket and the handout's versions."""

from django.urls import path

from . import views_handouts

urlpatterns = [
    path("activities/handout/", views_handouts.basket, name="basket"),
    path("activities/handout/add/<int:pk>/", views_handouts.basket_add, name="basket_add"),
    path("activities/handout/remove/<int:pk>/", views_handouts.basket_remove, name="basket_remove"),
    path("activities/handout/create/", views_handouts.handout_create, name="handout_create"),
    path("h/<str:token>/", views_handouts.handout, name="handout"),
    path("h/<str:token>/print/", views_handouts.handout_print, name="handout_print"),
    path("h/<str:token>/handout.pdf", views_handouts.handout_pdf, name="handout_pdf"),
    path("h/<str:token>/qr.svg", views_handouts.handout_qr, name="handout_qr"),
]

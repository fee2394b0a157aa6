from django.apps import AppConfig


class LinkedeventsConfig(AppConfig):
    name = "kotoverkko.linkedevents"
    label = "linkedevents"

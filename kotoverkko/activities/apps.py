from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "kotoverkko.activities"
    label = "activities"

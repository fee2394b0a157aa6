from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "kotoverkko.planning"
    label = "planning"

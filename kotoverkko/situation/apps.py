from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "kotoverkko.situation"
    label = "situation"

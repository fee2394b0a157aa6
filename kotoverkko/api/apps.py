from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kotoverkko.api"
    label = "api"

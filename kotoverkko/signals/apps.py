from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "kotoverkko.signals"
    label = "signals"

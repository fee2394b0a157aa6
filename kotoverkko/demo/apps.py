from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo instance: one command that seeds every area (it sits above all other apps)."""

    name = "kotoverkko.demo"
    label = "demo"

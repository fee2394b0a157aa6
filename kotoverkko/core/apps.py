from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kotoverkko.core"
    label = "core"
    verbose_name = "Core"

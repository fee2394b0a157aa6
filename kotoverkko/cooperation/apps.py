from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "kotoverkko.cooperation"
    label = "cooperation"

from django.apps import AppConfig


class ServicepathsConfig(AppConfig):
    name = "kotoverkko.servicepaths"
    label = "servicepaths"

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kotoverkko.organisations"
    label = "organisations"

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "kotoverkko.reference"
    label = "reference"

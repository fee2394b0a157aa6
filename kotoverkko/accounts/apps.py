from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kotoverkko.accounts"
    label = "accounts"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanpin.accounts"
    label = "accounts"

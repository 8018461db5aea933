from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanpin.api"
    label = "api"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sanpin.portal"
    label = "portal"

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sanpin.catalog"
    label = "catalog"

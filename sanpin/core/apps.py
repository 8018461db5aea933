from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanpin.core"
    label = "core"
    verbose_name = "核心"

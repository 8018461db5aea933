from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "sanpin.oversight"
    label = "oversight"
    verbose_name = "监督检查"

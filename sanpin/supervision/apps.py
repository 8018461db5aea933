from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "sanpin.supervision"
    label = "supervision"
    verbose_name = "证后监管"

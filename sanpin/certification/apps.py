from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "sanpin.certification"
    label = "certification"
    verbose_name = "认证审核"

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "sanpin.compliance"
    label = "compliance"
    verbose_name = "承诺达标合格证"

    def ready(self):
        from . import receiving  # noqa: F401  (connects the guard that keeps receipts six months)

from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "sanpin.traceability"
    label = "traceability"
    verbose_name = "追溯平台推送"

    def ready(self):
        from sanpin.certificates.signals import certificate_changing

        from .services import on_certificate_changing

        certificate_changing.connect(on_certificate_changing, dispatch_uid="traceability.on_certificate_changing")

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "sanpin.subscriptions"
    label = "subscriptions"
    verbose_name = "订阅"

    def ready(self):
        from sanpin.certificates.signals import certificate_changed

        from .services import on_certificate_changed

        certificate_changed.connect(on_certificate_changed, dispatch_uid="subscriptions.on_certificate_changed")

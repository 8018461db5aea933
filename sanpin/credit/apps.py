from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "sanpin.credit"
    label = "credit"
    verbose_name = _("信用管理")

    def ready(self):
        # Credit depends on the apps that feed it, never the reverse: the receivers are registered
        # here, on models those apps already save through their services.
        from . import effects, feeds, standing

        feeds.connect()
        standing.connect()
        # "申报+信用": the review engine asks for an applicant's standing through its policy hook.
        effects.register()

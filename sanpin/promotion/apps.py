from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "sanpin.promotion"
    label = "promotion"
    verbose_name = _("宣传推介与推广渠道")

    def ready(self):
        # Promotion depends on certificates, never the reverse: the receiver is registered here.
        from . import feeds

        feeds.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GiConfig(AppConfig):
    name = "sanpin.gi"
    label = "gi"
    verbose_name = _("农产品地理标志")

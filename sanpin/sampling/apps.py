from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamplingConfig(AppConfig):
    name = "sanpin.sampling"
    label = "sampling"
    verbose_name = _("产品抽检")

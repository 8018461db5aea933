from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InputsConfig(AppConfig):
    name = "sanpin.inputs"
    label = "inputs"
    verbose_name = _("绿色食品可用投入品")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GapConfig(AppConfig):
    name = "sanpin.gap"
    label = "gap"
    verbose_name = _("良好农业规范认证")

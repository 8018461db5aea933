from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "sanpin.bases"
    label = "bases"
    verbose_name = _("优质农产品生产基地")

    def ready(self):
        # The listing review's own effects, registered by name with the engine.
        from . import rules  # noqa: F401

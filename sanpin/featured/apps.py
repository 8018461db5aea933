from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturedConfig(AppConfig):
    name = "sanpin.featured"
    label = "featured"
    verbose_name = _("全国名特优新农产品")

    def ready(self):
        # The scheme's own review effects, registered by name with the engine.
        from . import rules  # noqa: F401

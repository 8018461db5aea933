from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "sanpin.workforce"
    label = "workforce"
    verbose_name = _("检测机构与人员管理")

    def ready(self):
        # A lab with an unsatisfactory proficiency test or a failed flying inspection is not
        # assignable (sanpin.accounts.registries consults the checks registered with it).
        from sanpin.accounts import registries

        from .selectors import lab_blocks

        registries.register_lab_block(lab_blocks)

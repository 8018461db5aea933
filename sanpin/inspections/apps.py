from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "sanpin.inspections"
    label = "inspections"
    verbose_name = _("年度检查")

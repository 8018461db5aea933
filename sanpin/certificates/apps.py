from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "sanpin.certificates"
    label = "certificates"
    verbose_name = _("证书与使用证")

"""Scanned archive documents (业务档案) that came with certificates imported from the systems
agencies used before [001 §18]. Stored privately and served only through a scoped view."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def archive_path(instance, filename):
    return f"archive/{instance.certificate_id}/{instance.sha256[:2]}/{instance.sha256}"


class ArchiveDocument(models.Model):
    """One scanned archive file of a certificate, checked by content (PDF/JPG/PNG) on import."""

    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="archive_documents")
    file = models.FileField(upload_to=archive_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certificate", "original_name"]
        verbose_name = _("业务档案文件")
        verbose_name_plural = _("业务档案文件")

    def __str__(self):
        return self.original_name

"""Good Agricultural Practice (良好农业规范, GAP) certificates issued by third-party certifiers.

The system does not certify GAP: it records the certificates so that bases and statistics can
count them [002 §3(1)3]. "Expired" is not stored; it is computed from valid_until when read.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

GAP_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR} | ENTITY_ROLES,
    # Recording a third-party certificate: agency staff of the holder's region.
    "change": REVIEW_STAFF_ROLES,
}


class GAPStatus(models.TextChoices):
    VALID = "valid", _("有效")
    ENDED = "ended", _("已终止")


EXPIRED = "expired"
EXPIRED_LABEL = _("已过期")


class GAPCertificate(BaseModel):
    """One GAP certificate held by an entity, as issued by a third-party certification body:
    who certified it, its number, what it covers (products, area) and how long it is valid."""

    holder = models.ForeignKey(
        "catalog.Entity", verbose_name=_("获证主体"), on_delete=models.PROTECT, related_name="gap_certificates"
    )
    certifier = models.CharField(_("认证机构"), max_length=120)
    number = models.CharField(_("证书编号"), max_length=60, db_index=True)
    products = models.CharField(_("认证产品"), max_length=200)
    area = models.CharField(_("认证范围（基地、面积）"), max_length=200, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=GAPStatus.choices, default=GAPStatus.VALID,
                              db_index=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("终止理由"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="holder__region", entity_field="holder", actions=GAP_ACTIONS)

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("良好农业规范认证证书")
        verbose_name_plural = _("良好农业规范认证证书")
        constraints = [
            models.UniqueConstraint(fields=["certifier", "number"], name="gap_certifier_number"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="gap_valid_range"),
        ]

    def __str__(self):
        return f"{self.certifier} {self.number}"

    def effective_status(self, today: datetime.date) -> str:
        if self.status == GAPStatus.VALID and self.valid_until < today:
            return EXPIRED
        return self.status

    def effective_status_label(self, today: datetime.date) -> str:
        status = self.effective_status(today)
        return str(EXPIRED_LABEL if status == EXPIRED else GAPStatus(status).label)

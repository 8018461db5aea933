"""Certificates and mark-use licences, their append-only status history and change history, and
public announcements.

A licence number names the licence for as long as it is renewed without a gap [004 §17]; each
renewal is a new row (a term) that points at the term it renews (`predecessor`). Exactly one term
per number is the head (`renewed` False), which the database enforces.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import AppendOnlyModel, BaseModel

from .choices import EXPIRED, EXPIRED_LABEL, LAPSING, AnnouncementKind, EffectiveStatus, Scheme, Status

CERTIFICATE_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR} | ENTITY_ROLES,
    "change": NATIONAL_ROLES,
}


def quantity_text(value) -> str:
    """A Decimal as people write it: 5000, 12.5 (never 5E+3 or 5000.000)."""
    return format(value.normalize(), "f") if value is not None else ""


class CertificateQuerySet(RestrictedQuerySet):
    def with_effective_status(self, today: datetime.date):
        """Annotate `effective` — the stored status, or "expired" once valid_until < today."""
        return self.annotate(effective=Case(
            When(status__in=list(LAPSING), valid_until__lt=today, then=Value(EXPIRED)),
            default=F("status"), output_field=models.CharField(),
        ))

    def effective(self, status: str, today: datetime.date):
        """Rows whose status on `today` is `status` (expired included)."""
        if status == EXPIRED:
            return self.filter(status__in=list(LAPSING), valid_until__lt=today)
        if status in LAPSING:
            return self.filter(status=status, valid_until__gte=today)
        return self.filter(status=status)


class Certificate(BaseModel):
    """One term of a certificate or mark-use licence (使用证) held by an entity for one product.

    Status is changed only by sanpin.certificates.services; "expired" is computed when read
    (`effective_status`), so nothing depends on a job running at midnight.
    """

    scheme = models.CharField(_("认证类型"), max_length=20, choices=Scheme.choices, db_index=True)
    number = models.CharField(_("产品编号"), max_length=40, db_index=True)
    holder = models.ForeignKey(
        "catalog.Entity", verbose_name=_("获证单位"), on_delete=models.PROTECT, related_name="certificates"
    )
    product_name = models.CharField(_("产品名称"), max_length=120)
    category = models.CharField(_("产品类别"), max_length=4)
    trademark = models.CharField(_("商标"), max_length=80, blank=True)
    approved_output = models.DecimalField(_("核准产量"), max_digits=14, decimal_places=3)
    output_unit = models.CharField(_("产量单位"), max_length=20)
    province = models.ForeignKey(
        "catalog.Region", verbose_name=_("省份"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        "catalog.Country", verbose_name=_("国家/地区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("核准日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.VALID, db_index=True)
    recovered_on = models.DateField(_("使用证收回日期"), null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", verbose_name=_("续展前证书"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="successor",
    )
    renewed = models.BooleanField(_("已续展"), default=False, help_text=_("已有后续有效期的证书"))
    reference = models.CharField(_("依据（申请编号）"), max_length=60, blank=True)

    objects = CertificateQuerySet.as_manager()
    scope = ScopeRule(region_field="holder__region", entity_field="holder", actions=CERTIFICATE_ACTIONS)

    class Meta:
        ordering = ["-approved_on", "number"]
        verbose_name = _("证书/使用证")
        verbose_name_plural = _("证书/使用证")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=Q(renewed=False), name="certificate_number_head"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="certificate_valid_range"),
            models.CheckConstraint(
                condition=Q(province__isnull=True) | Q(country__isnull=True), name="certificate_province_or_country"
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "status", "valid_until"], name="certificate_status_idx"),
            # The staff list's keyset pages (one row per number, newest approval first).
            models.Index(fields=["-approved_on", "number"], condition=Q(renewed=False),
                         name="certificate_list_keyset_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.product_name}"

    @property
    def approved_output_text(self) -> str:
        return quantity_text(self.approved_output)

    def effective_status(self, today: datetime.date) -> str:
        if self.status in LAPSING and self.valid_until < today:
            return EXPIRED
        return self.status

    def effective_status_label(self, today: datetime.date) -> str:
        status = self.effective_status(today)
        return str(EXPIRED_LABEL if status == EXPIRED else EffectiveStatus(status).label)


class StatusChange(AppendOnlyModel):
    """One entry of a certificate's status history (issue, rectification, suspension, stop,
    revocation, recovery of the 使用证). Append-only: rows are never changed or deleted."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    reason = models.TextField(_("理由"), blank=True)
    reference = models.CharField(_("依据"), max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self):
        return f"{self.certificate_id}: {self.from_status or '-'} → {self.to_status}"


    @property
    def to_status_label(self) -> str:
        if self.to_status == EXPIRED:
            return str(EXPIRED_LABEL)
        if self.to_status in EffectiveStatus.values:
            return str(EffectiveStatus(self.to_status).label)
        return self.to_status


class CertificateChange(AppendOnlyModel):
    """A change of what the 使用证 states (product name, trademark, approved output) [004 §21],
    with the values before and after. Append-only."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="changes")
    old = models.JSONField(_("变更前"))
    new = models.JSONField(_("变更后"))
    reason = models.TextField(_("理由"), blank=True)
    reference = models.CharField(_("依据"), max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("证书变更")
        verbose_name_plural = _("证书变更")

    def __str__(self):
        return f"{self.certificate_id}: {sorted(self.new)}"



class Announcement(BaseModel):
    """A public announcement of approved or revoked licences [004 §15, §26]."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=AnnouncementKind.choices)
    published_on = models.DateField(_("发布日期"), db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("公告")
        verbose_name_plural = _("公告")

    def __str__(self):
        return self.title


class AnnouncementItem(models.Model):
    """One licence in an announcement, with what was announced frozen as published [004 §15]:
    later changes to the certificate do not rewrite a published announcement."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="items")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="announcement_items")
    enterprise_name = models.CharField(_("企业名称"), max_length=120)
    product_name = models.CharField(_("产品名称"), max_length=120)
    number = models.CharField(_("产品编号"), max_length=40)
    trademark = models.CharField(_("商标"), max_length=80, blank=True)
    approved_output = models.DecimalField(_("核准产量"), max_digits=14, decimal_places=3)
    output_unit = models.CharField(_("产量单位"), max_length=20)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("公告条目")
        verbose_name_plural = _("公告条目")

    def __str__(self):
        return f"{self.number} {self.product_name}"

    @property
    def approved_output_text(self) -> str:
        return quantity_text(self.approved_output)


class Certifier(BaseModel):
    """An organic certification body whose code starts every 有机码 it covers: domestic bodies use the
    last 3 digits of their approval number, foreign ones "9" + 2 digits (SPEC §10). Entered by admins
    because the approval numbers come from CNCA's published list, not from this system."""

    name = models.CharField(_("认证机构名称"), max_length=120)
    code = models.CharField(_("机构代码"), max_length=3, unique=True,
                            help_text=_("国内机构为批准号后3位，境外机构为9加2位数字"))
    approval_number = models.CharField(_("批准号"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("有机产品认证机构")
        verbose_name_plural = _("有机产品认证机构")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}\Z"), name="certifier_code_digits")]

    def __str__(self):
        return f"{self.code} {self.name}"


class OrganicCodeBatch(models.Model):
    """One issue of 有机码 for an organic certificate: how many codes and how much of the approved
    output they cover, so the batches of a certificate never cover more than it was certified for."""

    certificate = models.ForeignKey(Certificate, verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="organic_code_batches")
    certifier = models.ForeignKey(Certifier, verbose_name=_("认证机构"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    quantity = models.DecimalField(_("覆盖数量"), max_digits=14, decimal_places=3)
    count = models.PositiveIntegerField(_("有机码数量"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("发放时间"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("有机码批次")
        verbose_name_plural = _("有机码批次")

    def __str__(self):
        return f"{self.certificate_id} #{self.pk} ({self.count})"

    @property
    def quantity_text(self) -> str:
        return quantity_text(self.quantity)


class OrganicCode(models.Model):
    """One 17-digit 有机码 printed on a smallest sales package: certifier code (3) + year (2) +
    random (12). Looked up by the public verify page, hence the unique index."""

    code = models.CharField(_("有机码"), max_length=17, unique=True)
    batch = models.ForeignKey(OrganicCodeBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="codes")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("有机码")
        verbose_name_plural = _("有机码")

    def __str__(self):
        return self.code

"""Rectification (整改) and revocation (取消) of certificates after they are issued, and the bans on
new applications a revocation brings. Changed only through sanpin.supervision.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

# Provincial offices decide rectifications [004 §25]; the national level decides revocations [004 §26].
PROVINCE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER, Role.PROVINCIAL_REVIEWER})
SUPERVISION_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
    "open": PROVINCE_ROLES,
    "decide": PROVINCE_ROLES,
    "answer": frozenset({Role.APPLICANT}),
    "revoke": NATIONAL_ROLES,
}


class Source(models.TextChoices):
    """Where a finding came from."""

    ANNUAL_INSPECTION = "annual_inspection", _("年度检查")
    SAMPLING = "sampling", _("产品抽检")
    RISK_MONITORING = "risk_monitoring", _("风险监测")
    FLIGHT_INSPECTION = "flight_inspection", _("飞行检查")
    MARKET_CHECK = "market_check", _("用标监察")
    COMPLAINT = "complaint", _("投诉举报")
    MANUAL = "manual", _("日常监管")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    ANSWERED = "answered", _("已提交整改报告")
    ACCEPTED = "accepted", _("整改合格")
    FAILED = "failed", _("整改不合格")
    OVERDUE = "overdue", _("逾期未整改")


class Rectification(BaseModel):
    """A rectification decision on a certificate with its cause and one-month deadline [004 §25],
    the holder's answer and the office's verdict."""

    number = models.CharField(_("整改编号"), max_length=20, unique=True)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="rectifications")
    cause = models.CharField(_("整改原因"), max_length=40)
    detail = models.TextField(_("问题描述"))
    source = models.CharField(_("来源"), max_length=30, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField(_("来源记录"), max_length=80, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("整改决定日期"))
    due_on = models.DateField(_("整改期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN, db_index=True)
    answer = models.TextField(_("整改报告"), blank=True)
    answered_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decision_note = models.TextField(_("审核意见"), blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="certificate__holder__region", entity_field="certificate__holder",
                      actions=SUPERVISION_ACTIONS)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        constraints = [
            models.UniqueConstraint(fields=["certificate"], condition=Q(status__in=["open", "answered"]),
                                    name="one_open_rectification_per_certificate"),
        ]

    def __str__(self):
        return self.number


def evidence_path(instance, filename):
    return f"rectifications/{instance.rectification_id}/{instance.sha256[:2]}/{instance.sha256}"


class RectificationEvidence(models.Model):
    """A file the holder sends with its rectification report, stored privately."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("整改证明材料")
        verbose_name_plural = _("整改证明材料")

    def __str__(self):
        return self.filename


class RevocationStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    REVOKED = "revoked", _("已取消标志使用权")
    DECLINED = "declined", _("不予取消")


class RevocationRequest(BaseModel):
    """A request to revoke a certificate, with its causes, and the national level's decision."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="revocation_requests")
    causes = models.JSONField(_("取消原因"))
    detail = models.TextField(_("事实与依据"))
    rectification = models.ForeignKey(Rectification, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="revocation_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("报请日期"))
    status = models.CharField(_("状态"), max_length=20, choices=RevocationStatus.choices,
                              default=RevocationStatus.PENDING, db_index=True)
    serious = models.BooleanField(_("情节严重"), default=False)
    decision_note = models.TextField(_("决定意见"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    announcement = models.ForeignKey("certificates.Announcement", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="certificate__holder__region", entity_field="certificate__holder",
                      actions=SUPERVISION_ACTIONS)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("取消申请")
        verbose_name_plural = _("取消申请")
        constraints = [
            models.UniqueConstraint(fields=["certificate"], condition=Q(status="pending"),
                                    name="one_pending_revocation_per_certificate"),
        ]

    def __str__(self):
        return self.number


class ApplicationBan(BaseModel):
    """No new application of `scheme` by `entity` until `until` (None: permanently), following a
    revocation (green food: 3 years, permanent when serious; SPEC §10)."""

    entity = models.ForeignKey("catalog.Entity", on_delete=models.PROTECT, related_name="application_bans")
    scheme = models.CharField(_("认证类型"), max_length=20)
    starts_on = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("空表示永久不得申请"))
    reason = models.CharField(_("原因"), max_length=300)
    revocation = models.ForeignKey(RevocationRequest, on_delete=models.PROTECT, related_name="bans")

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("申请限制")
        verbose_name_plural = _("申请限制")

    def __str__(self):
        return f"{self.entity} {self.scheme} → {self.until or '永久'}"

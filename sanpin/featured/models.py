"""The life of a 全国名特优新农产品 listing after it is issued [002 §3(3), SPEC §10].

A listing is the certificate of scheme "featured" issued by the review engine; its `valid_until`
is the next annual confirmation (年度确认) due date. The holder confirms every year and the
provincial office decides; a confirmed listing moves on by a year, one not confirmed in time is
removed by the daily job. The quality test every three years and the nutrition-quality
evaluations (营养品质评价) are recorded here as well.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

LISTING_SCOPE = {"region_field": "certificate__holder__region", "entity_field": "certificate__holder"}
STAFF_AND_HOLDER = REVIEW_STAFF_ROLES | {Role.APPLICANT}


class ConfirmationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("不予确认")


class AnnualConfirmation(BaseModel):
    """One year's confirmation of a listing (年度确认): the holder states that it still produces
    the product, its output and any changes; the provincial office confirms (the listing's
    valid_until moves on by a year) or refuses with a reason."""

    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("名录证书"),
                                    on_delete=models.PROTECT, related_name="featured_confirmations")
    due_on = models.DateField(_("确认截止日"), help_text=_("提交时证书的有效期至，即本年度确认的截止日"))
    still_producing = models.BooleanField(_("仍在生产"))
    output = models.DecimalField(_("年产量"), max_digits=14, decimal_places=3)
    output_unit = models.CharField(_("产量单位"), max_length=20)
    changes = models.TextField(_("变化情况"), blank=True,
                               help_text=_("生产主体、产地、规模、品质等的变化；无变化可不填"))
    status = models.CharField(_("状态"), max_length=20, choices=ConfirmationStatus.choices,
                              default=ConfirmationStatus.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                     related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("确认意见"), blank=True)
    new_valid_until = models.DateField(_("确认后有效期至"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(**LISTING_SCOPE, actions={
        "view": STAFF_AND_HOLDER,
        "submit": frozenset({Role.APPLICANT}),
        "decide": frozenset({Role.PROVINCIAL_REVIEWER}),
    })

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("年度确认")
        verbose_name_plural = _("年度确认")
        constraints = [
            # One open confirmation per listing at a time.
            models.UniqueConstraint(fields=["certificate"], condition=models.Q(status="submitted"),
                                    name="featured_one_open_confirmation"),
        ]

    def __str__(self):
        return f"{self.certificate_id} {self.due_on}"


class QualityTest(BaseModel):
    """A quality test of the listed product (品质检测), due every three years [002 §3(3)]."""

    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("名录证书"),
                                    on_delete=models.PROTECT, related_name="featured_quality_tests")
    lab = models.CharField(_("检测机构"), max_length=120)
    tested_on = models.DateField(_("检测日期"), db_index=True)
    passed = models.BooleanField(_("检测合格"))
    conclusion = models.TextField(_("检测结论"))
    report_number = models.CharField(_("报告编号"), max_length=60, blank=True)
    report_file = models.FileField(_("检测报告"), upload_to="featured/quality-tests/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(**LISTING_SCOPE, actions={"view": STAFF_AND_HOLDER, "record": REVIEW_STAFF_ROLES})

    class Meta:
        ordering = ["-tested_on", "-pk"]
        verbose_name = _("品质检测")
        verbose_name_plural = _("品质检测")

    def __str__(self):
        return f"{self.lab} {self.tested_on}"


class NutritionEvaluation(BaseModel):
    """A nutrition-quality evaluation (营养品质评价鉴定) of the product: the lab, the date, the
    indicators measured and the conclusion. Free of charge for holders in a 国家乡村振兴重点帮扶县
    or a 脱贫县 [002 §3(3), SPEC §2]; `free` and its basis are fixed when it is recorded."""

    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("名录证书"),
                                    on_delete=models.PROTECT, related_name="featured_nutrition_evaluations")
    lab = models.CharField(_("评价机构"), max_length=120)
    evaluated_on = models.DateField(_("评价日期"))
    indicators = models.JSONField(_("指标"), default=list,
                                  help_text=_("[{\"name\": 指标名称, \"value\": 数值, \"unit\": 单位}]"))
    conclusion = models.TextField(_("评价结论"))
    free = models.BooleanField(_("免费"), default=False)
    free_basis = models.CharField(_("免费依据"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(**LISTING_SCOPE, actions={"view": STAFF_AND_HOLDER, "record": REVIEW_STAFF_ROLES})

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("营养品质评价")
        verbose_name_plural = _("营养品质评价")

    def __str__(self):
        return f"{self.lab} {self.evaluated_on}"


class ConfirmationReminder(models.Model):
    """A reminder sent to the holder before a confirmation due date (60 and 30 days before):
    one row per due date and milestone keeps the daily job idempotent."""

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("年度确认提醒")
        verbose_name_plural = _("年度确认提醒")
        constraints = [models.UniqueConstraint(fields=["certificate", "due_on", "days_before"],
                                               name="featured_reminder_once")]

    def __str__(self):
        return f"{self.certificate_id} {self.due_on} -{self.days_before}"

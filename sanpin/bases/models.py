"""The directory of quality production bases (优质农产品生产基地目录) and the information counties
collect for it all year round [003 att.2, 002 §3(2), 001 §11].

A base is built to standard, accepted (验收) and reviewed (复核) through a listing application on
the review engine (scheme "base"), listed in the directory and published, checked every year, and
removed with a cause. Its status changes only in sanpin.bases.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, REVIEW_STAFF_ROLES, STAFF_ROLES
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

from .choices import BaseLevel, BaseStatus, BaseType, CheckResult, RemovalCause, SamplingResult, SubmissionStatus

BASE_ACTIONS = {
    "view": STAFF_ROLES | ENTITY_ROLES,
    # Entering and correcting base data, yearly checks, removal: agency staff of the base's region.
    "change": REVIEW_STAFF_ROLES,
}
COLLECTION_ACTIONS = {"view": REVIEW_STAFF_ROLES, "change": REVIEW_STAFF_ROLES}


class Base(BaseModel):
    """One production base: who runs it, where, what it grows and how much, what its sign-board
    says [003 att.2 §4(5)], the certificates and GAP records behind it, and where it stands in
    the directory."""

    name = models.CharField(_("基地名称"), max_length=120)
    base_type = models.CharField(_("基地类型"), max_length=2, choices=BaseType.choices, db_index=True)
    level = models.CharField(_("基地级别"), max_length=12, choices=BaseLevel.choices, db_index=True)
    operator = models.ForeignKey("catalog.Entity", verbose_name=_("运营主体"), on_delete=models.PROTECT,
                                 related_name="bases")
    county = models.ForeignKey("catalog.Region", verbose_name=_("所在县（市、区）"), on_delete=models.PROTECT,
                               related_name="bases")
    products = models.CharField(_("产品"), max_length=200)
    varieties = models.CharField(_("品种"), max_length=200, blank=True)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=2)
    output_tons = models.DecimalField(_("年产量（吨）"), max_digits=14, decimal_places=2)
    location = models.CharField(_("地点"), max_length=200)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=8, decimal_places=6, null=True, blank=True)
    # Sign-board (标识牌): varieties, scope and scale, techniques, responsible entity.
    coverage = models.CharField(_("种养范围"), max_length=200, blank=True)
    techniques = models.TextField(_("技术措施"), blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=60, blank=True)
    certificates = models.ManyToManyField("certificates.Certificate", verbose_name=_("关联证书"), blank=True,
                                          related_name="bases")
    gap_certificates = models.ManyToManyField("gap.GAPCertificate", verbose_name=_("关联GAP认证"), blank=True,
                                              related_name="bases")
    status = models.CharField(_("目录状态"), max_length=12, choices=BaseStatus.choices,
                              default=BaseStatus.BUILDING, db_index=True)
    directory_number = models.CharField(_("目录编号"), max_length=20, blank=True, db_index=True)
    listed_on = models.DateField(_("纳入目录日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出目录日期"), null=True, blank=True)
    removal_cause = models.CharField(_("移出原因"), max_length=20, choices=RemovalCause.choices, blank=True)
    removal_reason = models.TextField(_("移出说明"), blank=True)
    listing_application = models.ForeignKey(
        "certification.Application", verbose_name=_("验收复核申请"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="bases",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="county", entity_field="operator", actions=BASE_ACTIONS)

    class Meta:
        ordering = ["county_id", "name"]
        verbose_name = _("生产基地")
        verbose_name_plural = _("生产基地")
        constraints = [
            # One base per name in a county: the duplicate an import or a second entry would make.
            models.UniqueConstraint(fields=["county", "name"], name="base_county_name"),
            models.UniqueConstraint(fields=["directory_number"], condition=~Q(directory_number=""),
                                    name="base_directory_number"),
            models.CheckConstraint(condition=Q(area_mu__gt=0) & Q(output_tons__gte=0), name="base_positive_scale"),
        ]
        indexes = [models.Index(fields=["status", "county"], name="base_status_county_idx")]

    def __str__(self):
        return self.name


class BaseStatusChange(models.Model):
    """The directory history of a base: every change of status, by whom, when and why."""

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=12, choices=BaseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=BaseStatus.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("说明"), blank=True)
    reference = models.CharField(_("依据"), max_length=60, blank=True)

    class Meta:
        ordering = ["base", "at", "pk"]
        verbose_name = _("基地目录状态变更")
        verbose_name_plural = _("基地目录状态变更")

    def __str__(self):
        return f"{self.base_id} {self.from_status or '—'} → {self.to_status}"


class BaseCheck(models.Model):
    """The yearly check of a listed base, with the result of its sampling [001 §11]."""

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="checks")
    year = models.PositiveSmallIntegerField(_("年度"))
    checked_on = models.DateField(_("检查日期"))
    result = models.CharField(_("检查结论"), max_length=10, choices=CheckResult.choices)
    sampling = models.CharField(_("抽检结果"), max_length=12, choices=SamplingResult.choices,
                                default=SamplingResult.NOT_SAMPLED)
    findings = models.TextField(_("检查情况"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["base", "-year"]
        verbose_name = _("基地年度检查")
        verbose_name_plural = _("基地年度检查")
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="base_check_once_a_year")]

    def __str__(self):
        return f"{self.base_id} {self.year} {self.get_result_display()}"


class CollectionCycle(BaseModel):
    """A province's yearly round of base information collection: every county of the province
    has one submission in it [002 §3(2)]."""

    province = models.ForeignKey("catalog.Region", verbose_name=_("省份"), on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("复核上报截止日期"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="province", actions=COLLECTION_ACTIONS)

    class Meta:
        ordering = ["-year", "province_id"]
        verbose_name = _("基地信息采集年度")
        verbose_name_plural = _("基地信息采集年度")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="collection_cycle_once")]

    def __str__(self):
        return f"{self.province} {self.year}"


class CountySubmission(BaseModel):
    """A county's submission in a cycle: submitted by the county, reviewed (复核) or returned
    with comments by its city. The totals are a snapshot of the county's bases when submitted."""

    cycle = models.ForeignKey(CollectionCycle, on_delete=models.CASCADE, related_name="submissions")
    county = models.ForeignKey("catalog.Region", verbose_name=_("县（市、区）"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.NOT_STARTED, db_index=True)
    base_count = models.PositiveIntegerField(_("基地数"), default=0)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=14, decimal_places=2, default=0)
    output_tons = models.DecimalField(_("年产量（吨）"), max_digits=16, decimal_places=2, default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    comment = models.TextField(_("复核意见"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="county", actions=COLLECTION_ACTIONS)

    class Meta:
        ordering = ["cycle", "county_id"]
        verbose_name = _("县级基地信息报送")
        verbose_name_plural = _("县级基地信息报送")
        constraints = [models.UniqueConstraint(fields=["cycle", "county"], name="county_submission_once")]


class SubmissionEvent(models.Model):
    """What happened to a county's submission: submitted, returned with comments, reviewed."""

    submission = models.ForeignKey(CountySubmission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    to_status = models.CharField(_("状态"), max_length=12, choices=SubmissionStatus.choices)
    comment = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self):
        return f"{self.submission_id} {self.action}"


class RegionProduction(BaseModel):
    """A city's total edible agricultural production in a year, the denominator of the base
    production share [002 §2, §3(2)]."""

    region = models.ForeignKey("catalog.Region", verbose_name=_("设区市"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    total_output_tons = models.DecimalField(_("食用农产品生产总量（吨）"), max_digits=16, decimal_places=2)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=COLLECTION_ACTIONS)

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("食用农产品生产总量")
        verbose_name_plural = _("食用农产品生产总量")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="region_production_once"),
            models.CheckConstraint(condition=Q(total_output_tons__gt=0), name="region_production_positive"),
        ]


class ShareTarget(BaseModel):
    """The minimum share of base production in each city's total set by a province for a year
    (Guangxi ≥20% [002 §2], Shanghai ≥30% [003 att.2 §3])."""

    province = models.ForeignKey("catalog.Region", verbose_name=_("省份"), on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    min_percent = models.DecimalField(_("目标占比（%）"), max_digits=5, decimal_places=2)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="province", actions=COLLECTION_ACTIONS)

    class Meta:
        ordering = ["-year", "province_id"]
        verbose_name = _("基地生产规模占比目标")
        verbose_name_plural = _("基地生产规模占比目标")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="share_target_once"),
            models.CheckConstraint(condition=Q(min_percent__gt=0) & Q(min_percent__lte=100),
                                   name="share_target_percent"),
        ]

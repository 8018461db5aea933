"""Oversight beyond the annual inspection and sampling [001 §6–§8, SPEC §4]: risk-monitoring
projects and their records, unannounced (飞行) inspections, market checks of mark use with the
counterfeit and unauthorised-use cases they find, packaging-label filing, and complaints from the
public (举报). Changed only through sanpin.oversight.services; findings become rectifications and
revocation requests through sanpin.supervision.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, QualificationKind, Role
from sanpin.certificates.choices import Scheme
from sanpin.core.access import ENTITY, RestrictedQuerySet, ScopeRule, scope_for
from sanpin.core.models import BaseModel

# National and provincial offices organise projects, plan unannounced inspections and decide on
# label filings [001 §6–§8]; city and county staff and inspectors check markets and handle the
# complaints routed to their region.
PROVINCE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER, Role.PROVINCIAL_REVIEWER})
STAFF_VIEW = REVIEW_STAFF_ROLES | {Role.INSPECTOR}

RISK_ACTIONS = {"view": STAFF_VIEW, "manage": PROVINCE_ROLES, "record": REVIEW_STAFF_ROLES}
FLIGHT_ACTIONS = {
    "view": STAFF_VIEW | {Role.APPLICANT},
    "plan": PROVINCE_ROLES,
    "record": PROVINCE_ROLES | {Role.INSPECTOR},
}
MARKET_ACTIONS = {"view": STAFF_VIEW, "record": STAFF_VIEW, "hand_over": REVIEW_STAFF_ROLES}
LABEL_ACTIONS = {
    "view": STAFF_VIEW | {Role.APPLICANT},
    "file": frozenset({Role.APPLICANT}),
    "review": PROVINCE_ROLES,
}
COMPLAINT_ACTIONS = {"view": STAFF_VIEW, "handle": REVIEW_STAFF_ROLES}

# Who may be sent on an unannounced inspection of a scheme: the qualifications of its inspectors.
FLIGHT_QUALIFICATIONS = {
    Scheme.GREEN_FOOD: (QualificationKind.GREEN_FOOD_INSPECTOR, QualificationKind.GREEN_FOOD_SUPERVISOR),
    Scheme.GREEN_INPUTS: (QualificationKind.GREEN_INPUTS_ADMIN,),
    Scheme.ORGANIC: (QualificationKind.ORGANIC_INSPECTOR,),
    Scheme.GI: (QualificationKind.GI_VERIFIER,),
    Scheme.FEATURED: (QualificationKind.GREEN_FOOD_INSPECTOR, QualificationKind.GI_VERIFIER),
}


def label_path(instance, filename):
    return f"label-filings/{instance.sha256[:2]}/{instance.sha256}"


def complaint_photo_path(instance, filename):
    return f"complaints/{instance.sha256[:2]}/{instance.sha256}"


# --- risk monitoring (风险监测) -----------------------------------------------------------------------


class RiskProject(BaseModel):
    """A risk-monitoring project of one year and scheme [001 §6: 风险预警监测项目]: what hazard or
    indicator it watches, in which regions, organised by which agency."""

    number = models.CharField(_("项目编号"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    scheme = models.CharField(_("认证类型"), max_length=20, choices=Scheme.choices)
    title = models.CharField(_("项目名称"), max_length=200)
    focus = models.CharField(_("监测危害/指标"), max_length=300)
    regions = models.ManyToManyField("catalog.Region", verbose_name=_("监测地区"), related_name="+")
    organiser = models.ForeignKey("accounts.Agency", verbose_name=_("组织机构"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="regions", actions=RISK_ACTIONS)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("风险监测项目")
        verbose_name_plural = _("风险监测项目")

    def __str__(self):
        return f"{self.number} {self.title}"


class RiskFinding(models.TextChoices):
    NORMAL = "normal", _("未见异常")
    RISK = "risk", _("存在风险隐患")
    EXCEEDED = "exceeded", _("超出限量")


class RiskRecord(BaseModel):
    """One monitoring result: a sample of a certified product (or a product on the market) and the
    value of one indicator. A finding may open a rectification of the certificate."""

    project = models.ForeignKey(RiskProject, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="records")
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("catalog.Region", verbose_name=_("采样地区"), on_delete=models.PROTECT,
                               related_name="+")
    product_name = models.CharField(_("产品"), max_length=120)
    sample_code = models.CharField(_("样品编号"), max_length=40)
    sampled_on = models.DateField(_("采样日期"))
    indicator = models.CharField(_("监测指标"), max_length=120)
    value = models.DecimalField(_("检测值"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20)
    limit = models.DecimalField(_("限量/参考值"), max_digits=14, decimal_places=4, null=True, blank=True)
    finding = models.CharField(_("结论"), max_length=20, choices=RiskFinding.choices)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rectification = models.ForeignKey("supervision.Rectification", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=RISK_ACTIONS)

    class Meta:
        ordering = ["-sampled_on", "-pk"]
        verbose_name = _("风险监测记录")
        verbose_name_plural = _("风险监测记录")
        constraints = [models.UniqueConstraint(fields=["project", "sample_code", "indicator"],
                                               name="risk_record_sample_indicator")]

    def __str__(self):
        return f"{self.sample_code} {self.indicator}"


# --- unannounced inspections (飞行检查) -------------------------------------------------------------------


class FlightStatus(models.TextChoices):
    PLANNED = "planned", _("已计划（未通知）")
    RECORDED = "recorded", _("已检查")


class FlightConclusion(models.TextChoices):
    PASS = "pass", _("符合要求")
    RECTIFY = "rectify", _("限期整改")
    REVOKE = "revoke", _("报请取消标志使用权")


class FlightInspectionQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Holders never see an inspection while it is planned: it is unannounced until recorded."""
        rows = super().restrict(user, action)
        if scope_for(user, action, self.model).kind == ENTITY:
            rows = rows.exclude(status=FlightStatus.PLANNED)
        return rows


class FlightInspection(BaseModel):
    """An unannounced inspection of a certificate holder [001 §6, §7], planned by national or
    provincial staff without notice; inspectors record findings and a conclusion. A negative
    conclusion opens a rectification or a revocation request."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="+")
    planned_on = models.DateField(_("计划检查日期"))
    reason = models.TextField(_("检查事由"))
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查员"), related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=FlightStatus.choices, default=FlightStatus.PLANNED,
                              db_index=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    conclusion = models.CharField(_("结论"), max_length=20, choices=FlightConclusion.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    rectification = models.ForeignKey("supervision.Rectification", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    revocation = models.ForeignKey("supervision.RevocationRequest", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = FlightInspectionQuerySet.as_manager()
    scope = ScopeRule(region_field="certificate__holder__region", entity_field="certificate__holder",
                      actions=FLIGHT_ACTIONS)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("飞行检查")
        verbose_name_plural = _("飞行检查")

    def __str__(self):
        return self.number


# --- market checks of mark use (用标监察) ----------------------------------------------------------------


class PlaceKind(models.TextChoices):
    MARKET = "market", _("农贸/批发市场")
    SUPERMARKET = "supermarket", _("商超")
    FAIR = "fair", _("展会（如绿博会）")
    ONLINE = "online", _("网店")
    OTHER = "other", _("其他")


class MarketCheck(BaseModel):
    """A check of mark use at one place on one day [001 §8]."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    place = models.CharField(_("检查场所"), max_length=200)
    place_kind = models.CharField(_("场所类型"), max_length=20, choices=PlaceKind.choices)
    region = models.ForeignKey("catalog.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT,
                               related_name="+")
    checked_on = models.DateField(_("检查日期"), db_index=True)
    inspectors = models.CharField(_("检查人员"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=MARKET_ACTIONS)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("用标监察")
        verbose_name_plural = _("用标监察")

    def __str__(self):
        return f"{self.number} {self.place}"


class ItemResult(models.TextChoices):
    CONFORMING = "conforming", _("规范用标")
    COUNTERFEIT = "counterfeit", _("编号查无此证（假冒标志）")
    UNAUTHORISED = "unauthorised", _("证书已过期、暂停或取消（冒用标志）")
    LABEL_NONCONFORMING = "label_nonconforming", _("标签不规范")


class MarketCheckItem(models.Model):
    """One product seen: the mark and number on its package, looked up in the registry."""

    market_check = models.ForeignKey(MarketCheck, on_delete=models.CASCADE, related_name="items")
    product_name = models.CharField(_("产品"), max_length=120)
    seller = models.CharField(_("经营者"), max_length=200)
    mark_scheme = models.CharField(_("标志"), max_length=20, choices=Scheme.choices)
    number_shown = models.CharField(_("包装上的编号"), max_length=200)
    label_ok = models.BooleanField(_("标签规范"), default=True)
    result = models.CharField(_("结果"), max_length=30, choices=ItemResult.choices)
    registry_status = models.CharField(_("查询结果"), max_length=20,
                                       help_text=_("核验结果：valid、expired、revoked、not_found、forged 等"))
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    rectification = models.ForeignKey("supervision.Rectification", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("监察产品")
        verbose_name_plural = _("监察产品")

    def __str__(self):
        return f"{self.product_name} {self.number_shown}"


class CaseKind(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("假冒标志")
    UNAUTHORISED = "unauthorised", _("冒用标志（证书失效）")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待移交")
    HANDED_OVER = "handed_over", _("已移交市场监管部门")


class MarkCase(BaseModel):
    """A counterfeit or unauthorised use of a mark found on the market, with the seller and place,
    to hand to the market regulators [001 §8: 配合市场监管部门打击假冒]."""

    number = models.CharField(_("案件编号"), max_length=20, unique=True)
    item = models.OneToOneField(MarketCheckItem, on_delete=models.PROTECT, related_name="case")
    kind = models.CharField(_("类型"), max_length=20, choices=CaseKind.choices)
    region = models.ForeignKey("catalog.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    seller = models.CharField(_("经营者"), max_length=200)
    place = models.CharField(_("场所"), max_length=200)
    holder = models.ForeignKey("catalog.Entity", verbose_name=_("原获证单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    handed_to = models.CharField(_("移交单位"), max_length=200, blank=True)
    handed_on = models.DateField(_("移交日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=MARKET_ACTIONS)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("用标案件")
        verbose_name_plural = _("用标案件")

    def __str__(self):
        return self.number


# --- packaging-label filing (包装标签备案) ---------------------------------------------------------------


class LabelStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已备案")
    RETURNED = "returned", _("已退回")


class LabelFiling(BaseModel):
    """A holder's packaging-label design for one certificate [001 §8], stored privately and
    approved or returned by the provincial office."""

    number = models.CharField(_("备案编号"), max_length=20, unique=True)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="+")
    description = models.TextField(_("说明"), blank=True)
    file = models.FileField(upload_to=label_path)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=20, choices=LabelStatus.choices, default=LabelStatus.SUBMITTED,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comments = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="certificate__holder__region", entity_field="certificate__holder",
                      actions=LABEL_ACTIONS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("包装标签备案")
        verbose_name_plural = _("包装标签备案")
        constraints = [models.UniqueConstraint(fields=["certificate"], condition=Q(status="submitted"),
                                               name="one_pending_label_filing_per_certificate")]

    def __str__(self):
        return self.number


# --- complaints (举报) ------------------------------------------------------------------------------------


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    HANDLING = "handling", _("办理中")
    CLOSED = "closed", _("已办结")


class ComplaintResult(models.TextChoices):
    UPHELD = "upheld", _("举报属实")
    NOT_UPHELD = "not_upheld", _("举报不属实")
    REFERRED = "referred", _("已移交有关部门")


class Complaint(BaseModel):
    """A complaint from the public site, routed to the agency in scope: the holder's province when
    the number is in the registry, else the region the complainant picked. The complainant follows
    it by its tracking code and sees the status only."""

    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    product_name = models.CharField(_("产品"), max_length=120)
    number_shown = models.CharField(_("标志编号"), max_length=200, blank=True)
    place = models.CharField(_("发现地点"), max_length=200)
    description = models.TextField(_("举报内容"))
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    region = models.ForeignKey("catalog.Region", verbose_name=_("受理地区"), on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    photo = models.FileField(upload_to=complaint_photo_path, blank=True)
    photo_name = models.CharField(max_length=200, blank=True)
    photo_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED, db_index=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("核查情况（内部）"), blank=True)
    result = models.CharField(_("办理结果"), max_length=20, choices=ComplaintResult.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rectification = models.ForeignKey("supervision.Rectification", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=COMPLAINT_ACTIONS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")

    def __str__(self):
        return self.tracking_code

"""Annual inspection (年检): a yearly plan per province listing every holder of a valid
certificate of the plan's schemes, one item per holder with its certificates and the inspector
assigned, and one inspection record per item with its conclusion [004 §24, 002 §3(5)].
Changed only through sanpin.inspections.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, QualificationKind, Role
from sanpin.certificates.choices import Scheme
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

# The provincial office plans, assigns and records [004 §24]; the national level may too.
PROVINCE_ROLES = NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}
PLAN_ACTIONS = {
    # City and county staff see their province's plans (selectors.plans), limited to their items.
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR},
    "generate": PROVINCE_ROLES,
}
ITEM_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR},
    "assign": PROVINCE_ROLES,
    # The assigned inspector records too; the service checks that it is them (selectors.item).
    "record": PROVINCE_ROLES | {Role.INSPECTOR},
}

# Schemes inspected yearly by the provincial offices: green food [002 §3(5)] and green inputs
# [004 §24]. Organic and 名特优新 are supervised by their certifier/directory body (decision 0022).
INSPECTED_SCHEMES = (Scheme.GREEN_FOOD, Scheme.GREEN_INPUTS)
# Who may inspect a holder of each scheme: any one of these qualifications, valid, in the province.
QUALIFICATIONS = {
    Scheme.GREEN_FOOD: (QualificationKind.GREEN_FOOD_INSPECTOR, QualificationKind.GREEN_FOOD_SUPERVISOR),
    Scheme.GREEN_INPUTS: (QualificationKind.GREEN_INPUTS_ADMIN,),
}


class Conclusion(models.TextChoices):
    PASS = "pass", _("合格")
    RECTIFY = "rectify", _("限期整改")
    FAIL = "fail", _("不合格")


class AnnualInspectionPlan(BaseModel):
    """The annual inspection plan of one province for one year and the schemes it covers. Its
    items are generated from the certificates valid on `basis_date`; regenerating adds holders
    certified since and never drops an item."""

    province = models.ForeignKey("catalog.Region", verbose_name=_("省份"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "province"})
    year = models.PositiveSmallIntegerField(_("年度"))
    schemes = models.JSONField(_("检查的认证类型"))
    basis_date = models.DateField(_("名单基准日"))
    last_generated_on = models.DateField(_("最近生成日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="province", actions=PLAN_ACTIONS)

    class Meta:
        ordering = ["-year", "province_id"]
        verbose_name = _("年检计划")
        verbose_name_plural = _("年检计划")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_inspection_plan_per_province_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.province}"

    @property
    def scheme_labels(self) -> list[str]:
        labels = dict(Scheme.choices)
        return [str(labels.get(s, s)) for s in self.schemes]


class PlanItem(BaseModel):
    """One certificate holder in a plan, with the certificates it held of the plan's schemes and
    the inspector assigned. Never deleted by a regeneration."""

    plan = models.ForeignKey(AnnualInspectionPlan, on_delete=models.CASCADE, related_name="items")
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("获证单位"), on_delete=models.PROTECT,
                               related_name="inspection_items")
    certificates = models.ManyToManyField("certificates.Certificate", verbose_name=_("证书"), related_name="+")
    added_on = models.DateField(_("列入日期"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查员"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="inspection_items")
    assigned_at = models.DateTimeField(_("指派时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", actions=ITEM_ACTIONS)

    class Meta:
        ordering = ["entity__region_id", "entity__name", "pk"]
        verbose_name = _("年检对象")
        verbose_name_plural = _("年检对象")
        constraints = [
            models.UniqueConstraint(fields=["plan", "entity"], name="one_inspection_item_per_entity"),
        ]

    def __str__(self):
        return f"{self.plan} {self.entity}"


class InspectionRecord(BaseModel):
    """The year's inspection of one plan item: who inspected, when, what was found and the
    conclusion. "rectify" opened a rectification per certificate, "fail" a revocation request
    (sanpin.supervision); both are linked here. One per item (the year's plan)."""

    number = models.CharField(_("检查编号"), max_length=20, unique=True)
    item = models.OneToOneField(PlanItem, on_delete=models.PROTECT, related_name="record")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查员"), on_delete=models.PROTECT,
                                  related_name="+")
    inspected_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("检查发现"), blank=True)
    conclusion = models.CharField(_("检查结论"), max_length=10, choices=Conclusion.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rectifications = models.ManyToManyField("supervision.Rectification", blank=True, related_name="+")
    revocation_requests = models.ManyToManyField("supervision.RevocationRequest", blank=True, related_name="+")
    skipped = models.JSONField(_("未处理的证书"), default=list, blank=True,
                               help_text=_("结论要求整改或取消、但证书当时已不适用的，记录证书编号和原因"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="item__entity__region", actions=ITEM_ACTIONS)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("年检记录")
        verbose_name_plural = _("年检记录")

    def __str__(self):
        return self.number

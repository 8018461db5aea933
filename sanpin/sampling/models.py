"""Product sampling (抽检) after certification [001 §6, 004 §23, SPEC §4]: the standards table the
results are judged against, yearly plans per scheme with quotas per province, the audited draw,
the tasks given to designated labs and the labs' reports. Changed only through
sanpin.sampling.services (the standards table is admin data)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, LabTest, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

# Plans and draws are the national level's (the centre organises sampling [001 §6], the association
# for green inputs [004 §23]); every agency reads them, and sees the tasks of its own region.
PLAN_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR}
TASK_ACTIONS = {
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.LAB},
    "assign": NATIONAL_ROLES,
    "report": frozenset({Role.LAB}),
}
PASS_RATE_TARGET = 98  # percent [002 §2]


class SamplingScheme(models.TextChoices):
    """The schemes whose products are sampled (GI quality is tracked in the GI registry)."""

    GREEN_INPUTS = "green_inputs", _("绿色食品生产资料")
    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")


class Standard(BaseModel):
    """One row of the standards table: the limit of one indicator for a scheme's product category
    (the certificate's category code), its unit and the standard it comes from. A result passes
    when min ≤ value ≤ max. `is_demo` marks figures entered for demonstration that have not been
    checked against the cited standard."""

    scheme = models.CharField(_("认证类型"), max_length=20, choices=SamplingScheme.choices)
    category = models.CharField(_("产品类别"), max_length=4, help_text=_("证书的产品类别代码，如 01"))
    indicator = models.CharField(_("检测指标"), max_length=80)
    test = models.CharField(_("检测项目"), max_length=30, choices=LabTest.choices,
                            help_text=_("检测机构须在定点范围内具备的检测项目"))
    limit_max = models.DecimalField(_("限量上限"), max_digits=14, decimal_places=6)
    limit_min = models.DecimalField(_("限量下限"), max_digits=14, decimal_places=6, null=True, blank=True,
                                    help_text=_("只有含量类指标才有下限"))
    unit = models.CharField(_("单位"), max_length=20)
    source_standard = models.CharField(_("依据标准"), max_length=120)
    is_demo = models.BooleanField(_("演示数据"), default=False,
                                  help_text=_("数值仅供演示，未与依据标准逐条核对"))

    class Meta:
        ordering = ["scheme", "category", "indicator"]
        verbose_name = _("抽检限量标准")
        verbose_name_plural = _("抽检限量标准")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "category", "indicator"], name="sampling_standard_unique"),
            models.CheckConstraint(condition=Q(limit_min__isnull=True) | Q(limit_max__gte=F("limit_min")),
                                   name="sampling_standard_range"),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} {self.category} {self.indicator} ≤ {self.limit_max} {self.unit}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    DRAWN = "drawn", _("已抽取")


class SamplingPlan(BaseModel):
    """A year's sampling plan for one scheme (e.g. 3000 green food, 300 organic products [001 §6]),
    split into quotas per province; drawn once, with its seed stored."""

    number = models.CharField(_("计划编号"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    scheme = models.CharField(_("认证类型"), max_length=20, choices=SamplingScheme.choices)
    title = models.CharField(_("计划名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "scheme", "-pk"]
        verbose_name = _("抽检计划")
        verbose_name_plural = _("抽检计划")

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def total_quota(self) -> int:
        return sum(q.count for q in self.quotas.all())


class Quota(BaseModel):
    """How many certified products of the plan's scheme are drawn in one province."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey("catalog.Region", verbose_name=_("省份"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("抽检数量"))

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("抽检任务数")
        verbose_name_plural = _("抽检任务数")
        constraints = [models.UniqueConstraint(fields=["plan", "region"], name="sampling_quota_unique")]

    def __str__(self):
        return f"{self.region_id}: {self.count}"


class Draw(models.Model):
    """The audit record of a plan's draw: the seed, every candidate with its weight per province and
    the selection. `services.draw_replay` recomputes the selection from this row."""

    plan = models.OneToOneField(SamplingPlan, on_delete=models.PROTECT, related_name="draw")
    seed = models.BigIntegerField(_("随机种子"))
    drawn_on = models.DateField(_("抽取日期"))
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {"450000": [[certificate id, weight], ...]} in candidate order; weights as strings.
    candidates = models.JSONField(_("候选及权重"))
    # {"450000": [certificate id, ...]} in the order drawn.
    selected = models.JSONField(_("抽中"))
    weights_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("抽取记录")
        verbose_name_plural = _("抽取记录")

    def __str__(self):
        return f"{self.plan.number} seed={self.seed}"


class TaskStatus(models.TextChoices):
    UNASSIGNED = "unassigned", _("待指定检测机构")
    ASSIGNED = "assigned", _("待检测")
    REPORTED = "reported", _("已出报告")


class Conclusion(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class SamplingTask(BaseModel):
    """One drawn certified product to be sampled and tested by a lab designated for the scheme and
    the tests [001 §19]. A lab account sees only the tasks given to its lab."""

    number = models.CharField(_("任务编号"), max_length=24, unique=True)
    plan = models.ForeignKey(SamplingPlan, on_delete=models.PROTECT, related_name="tasks")
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="sampling_tasks")
    weight = models.DecimalField(_("抽取权重"), max_digits=8, decimal_places=3)
    tests = models.JSONField(_("检测项目"), default=list)
    lab = models.ForeignKey("catalog.Entity", verbose_name=_("检测机构"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="sampling_tasks")
    assigned_on = models.DateField(_("委托日期"), null=True, blank=True)
    unassigned_reason = models.CharField(_("未指定原因"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.UNASSIGNED,
                              db_index=True)
    conclusion = models.CharField(_("结论"), max_length=10, choices=Conclusion.choices, blank=True)
    rectification_number = models.CharField(_("整改编号"), max_length=20, blank=True)
    follow_up_note = models.CharField(_("处理情况"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="certificate__holder__region", entity_field="lab", actions=TASK_ACTIONS)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("抽检任务")
        verbose_name_plural = _("抽检任务")
        constraints = [models.UniqueConstraint(fields=["plan", "certificate"], name="sampling_task_once_per_plan")]

    def __str__(self):
        return self.number


class LabReport(BaseModel):
    """The lab's test report of one task (one per task) and the conclusion computed from it."""

    task = models.OneToOneField(SamplingTask, on_delete=models.PROTECT, related_name="report")
    lab = models.ForeignKey("catalog.Entity", on_delete=models.PROTECT, related_name="+")
    report_number = models.CharField(_("报告编号"), max_length=60, blank=True)
    sampled_on = models.DateField(_("抽样日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    conclusion = models.CharField(_("结论"), max_length=10, choices=Conclusion.choices)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("检测报告")
        verbose_name_plural = _("检测报告")

    def __str__(self):
        return f"{self.task.number} {self.get_conclusion_display()}"


class LimitBasis(models.TextChoices):
    STANDARDS_TABLE = "standards_table", _("抽检限量标准")
    ALLOWED_INPUTS = "allowed_inputs", _("绿色食品可用农药清单")


class Result(models.Model):
    """One indicator of a report, with the limit it was judged against copied at the time (a later
    change of the table or the list does not change a past conclusion): the standards table's, or
    for a green food pesticide the stricter limit of the allowed-pesticide list in force on the
    sampling day; `limit_basis` and `limit_source` say which and where it comes from."""

    report = models.ForeignKey(LabReport, on_delete=models.CASCADE, related_name="results")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("检测指标"), max_length=80)
    value = models.DecimalField(_("检测值"), max_digits=14, decimal_places=6)
    unit = models.CharField(_("单位"), max_length=20)
    limit_min = models.DecimalField(_("限量下限"), max_digits=14, decimal_places=6, null=True, blank=True)
    limit_max = models.DecimalField(_("限量上限"), max_digits=14, decimal_places=6)
    limit_basis = models.CharField(_("限量依据"), max_length=20, choices=LimitBasis.choices,
                                   default=LimitBasis.STANDARDS_TABLE)
    limit_source = models.CharField(_("限量来源"), max_length=300, blank=True)
    passed = models.BooleanField(_("合格"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("检测结果")
        verbose_name_plural = _("检测结果")

    def __str__(self):
        return f"{self.indicator} {self.value} {self.unit}"

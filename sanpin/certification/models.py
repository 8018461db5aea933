"""Applications and their review: the steps each application passes through, opinions,
assignments, materials, fees and the transition log. State changes only through
sanpin.certification.engine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.certificates.choices import Scheme as CertificateScheme
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel
from sanpin.inputs.choices import InputKind

from .choices import DRAFT, STATE_LABELS, TERMINAL, ApplicationKind, AttachmentKind, FeeItem, Scheme, WaiverCondition

APPLICATION_ACTIONS = {
    # Staff of the applicant's region, the applicant itself, and (through their assignments)
    # inspectors, experts and labs. Only applicants create and submit.
    "view": REVIEW_STAFF_ROLES | {Role.APPLICANT, Role.INSPECTOR, Role.EXPERT, Role.LAB},
    "create": frozenset({Role.APPLICANT}),
    "act": REVIEW_STAFF_ROLES | {Role.APPLICANT, Role.INSPECTOR, Role.EXPERT, Role.LAB},
}


class ApplicationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Region or own-entity scope, plus what is assigned to the user: an inspector's site
        inspections, an expert's panels, a lab's special tests."""
        scoped = super().restrict(user, action)
        if not getattr(user, "is_authenticated", False):
            return scoped
        assigned = Q(steps__assignments__user=user)
        if user.entity_id and Role.LAB in user.roles:
            assigned |= Q(steps__assignments__lab=user.entity_id)
        if user.roles & {Role.INSPECTOR, Role.EXPERT, Role.LAB}:
            extra = self.filter(assigned).values("pk")
            return self.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=extra))
        return scoped


class Application(BaseModel):
    """One application of an entity under a scheme: initial, renewal, change or stop.

    `state` is the step the application is at (a step code of its scheme) or one of the shared
    states (draft, supplement, rectification, suspended, special_test, issued, completed,
    rejected, withdrawn)."""

    scheme = models.CharField(_("认证类型"), max_length=30, choices=Scheme.choices)
    kind = models.CharField(_("申请类型"), max_length=20, choices=ApplicationKind.choices)
    number = models.CharField(_("申请编号"), max_length=40, blank=True, db_index=True)
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("申请人"), on_delete=models.PROTECT,
                               related_name="applications")
    certificate = models.ForeignKey(
        "certificates.Certificate", verbose_name=_("所涉证书"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="applications", help_text=_("续展、变更、停止使用所针对的证书"),
    )
    state = models.CharField(_("状态"), max_length=40, default=DRAFT, db_index=True)
    data = models.JSONField(_("申请内容"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ApplicationQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=APPLICATION_ACTIONS)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        indexes = [
            models.Index(fields=["scheme", "state"], name="application_scheme_state_idx"),
            # The lists' keyset pages, newest first (scanned backwards).
            models.Index(fields=["created_at", "id"], name="application_list_keyset_idx"),
        ]

    def __str__(self):
        return self.number or f"{self.get_kind_display()}（草稿 #{self.pk}）"

    @property
    def is_open(self) -> bool:
        return self.state not in TERMINAL

    def state_label(self) -> str:
        if self.state in STATE_LABELS:
            return str(STATE_LABELS[self.state])
        from .schemes import scheme_config

        step = scheme_config(self.scheme).steps.get(self.state)
        return str(step.name) if step else self.state


class ApplicationProduct(models.Model):
    """A product applied for, with what its licence will state."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("产品名称"), max_length=120)
    category = models.CharField(_("产品类别"), max_length=4)
    trademark = models.CharField(_("商标"), max_length=80, blank=True)
    approved_output = models.DecimalField(_("申请产量"), max_digits=14, decimal_places=2)
    output_unit = models.CharField(_("单位"), max_length=10, default="吨")
    registration_no = models.CharField(_("登记证号"), max_length=60, blank=True)
    certificate = models.ForeignKey("certificates.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text=_("颁发的证书"))

    class Meta:
        verbose_name = _("申请产品")
        verbose_name_plural = _("申请产品")

    def __str__(self):
        return self.name


class DeclaredInput(models.Model):
    """An input (pesticide, fertiliser, …) the applicant declares it uses, on which crop or animal
    and at what dosage; checked against the allowed-input list in force for its region (a review
    flag, never a bar to submission). Edited only while the application is a draft or answers a
    supplement request (sanpin.certification.declared_inputs)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declared_inputs")
    product = models.ForeignKey(ApplicationProduct, verbose_name=_("用于产品"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="declared_inputs")
    kind = models.CharField(_("投入品类别"), max_length=20, choices=InputKind.choices)
    name = models.CharField(_("投入品名称"), max_length=80, help_text=_("通用名，如 吡虫啉"))
    crop = models.CharField(_("作物/对象"), max_length=60, blank=True)
    dosage = models.CharField(_("用量"), max_length=80, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("申报投入品")
        verbose_name_plural = _("申报投入品")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Step(models.Model):
    """One visit of an application to a state, with its time limit.

    A paused step (supplement, special test) keeps its remaining working days and gets a new
    deadline when it resumes; `origin` is the step a shared state returns to."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("环节"), max_length=40)
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.ForeignKey("core.Deadline", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    remaining_wd = models.PositiveIntegerField(_("剩余工作日"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=40, blank=True)
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    escalated_at = models.DateTimeField(_("超期上报时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")
        indexes = [models.Index(fields=["code", "finished_at"], name="step_open_idx")]

    def __str__(self):
        return f"{self.application} · {self.code}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


class Assignment(models.Model):
    """Who is assigned to a step: an inspector, an expert of the panel, or a lab (as entity)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="assignments")
    lab = models.ForeignKey("catalog.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=20)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("指派")
        verbose_name_plural = _("指派")

    def __str__(self):
        return f"{self.step} · {self.role} · {self.user or self.lab}"


class Event(models.Model):
    """The transition log of an application: every action taken, by whom, from which state to
    which, with the opinion or reason. Never updated."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    action = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=40)
    to_state = models.CharField(_("新状态"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("意见"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.application} {self.action}: {self.from_state} → {self.to_state}"


class Notice(models.Model):
    """A written notice with reasons (rejection at re-review or decision) [004 §11(4), §12]."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=40)
    reasons = models.TextField(_("理由"))
    issued_at = models.DateTimeField(_("发出时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("书面通知")
        verbose_name_plural = _("书面通知")

    def __str__(self):
        return f"{self.application} · {self.kind}"


def attachment_path(instance, filename):
    return f"applications/{instance.application_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A typed material uploaded to an application, stored privately (served only through a
    scoped view)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    kind = models.CharField(_("材料类型"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.filename


class FeeSchedule(BaseModel):
    """A fee amount per product for a scheme, valid over a period; admins keep it current."""

    scheme = models.CharField(_("认证类型"), max_length=30, choices=CertificateScheme.choices)
    item = models.CharField(_("收费项目"), max_length=20, choices=FeeItem.choices)
    amount = models.DecimalField(_("金额（元/产品）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)

    class Meta:
        ordering = ["scheme", "item", "-effective_from"]
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")

    def __str__(self):
        return f"{self.get_scheme_display()} {self.get_item_display()} {self.amount}"


class FeeWaiverRule(BaseModel):
    """A waiver or reduction of some fee items of a scheme for applicants in flagged counties,
    valid over a period: e.g. green food review and mark-use fees waived in 脱贫县 within five
    years of exit and in key-assistance counties [001 §4, 002 §3(1)4]; organic application,
    review and registration fees reduced 35% there [002 §3(1)4]."""

    scheme = models.CharField(_("认证类型"), max_length=30, choices=CertificateScheme.choices)
    items = models.JSONField(_("适用收费项目"), help_text=_("收费项目代码列表"))
    condition = models.CharField(_("条件"), max_length=20, choices=WaiverCondition.choices)
    years_after_exit = models.PositiveSmallIntegerField(
        _("脱贫后年数"), null=True, blank=True, help_text=_("脱贫县条件：摘帽当年之后的过渡期年数（含）"))
    reduction_percent = models.DecimalField(_("减免比例（%）"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)

    class Meta:
        ordering = ["scheme", "condition", "-effective_from"]
        verbose_name = _("收费减免规则")
        verbose_name_plural = _("收费减免规则")
        constraints = [
            models.CheckConstraint(condition=Q(reduction_percent__gt=0, reduction_percent__lte=100),
                                   name="waiver_percent_range"),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} {self.get_condition_display()} −{self.reduction_percent}%"


class Fee(models.Model):
    """A fee assessed on an application when it is submitted, frozen with the schedule and the
    waiver rule that applied that day, so later changes of either never move it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fees")
    item = models.CharField(_("收费项目"), max_length=20, choices=FeeItem.choices)
    quantity = models.PositiveIntegerField(_("产品数"))
    unit_amount = models.DecimalField(_("单价"), max_digits=12, decimal_places=2)
    gross_amount = models.DecimalField(_("应收金额"), max_digits=12, decimal_places=2)
    waived_amount = models.DecimalField(_("减免金额"), max_digits=12, decimal_places=2, default=0)
    amount_due = models.DecimalField(_("应缴金额"), max_digits=12, decimal_places=2)
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="+")
    waiver_rule = models.ForeignKey(FeeWaiverRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    waiver_reason = models.CharField(_("减免依据"), max_length=200, blank=True)
    assessed_on = models.DateField(_("核定日期"))
    paid_at = models.DateTimeField(_("缴费确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("费用")
        verbose_name_plural = _("费用")
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="fee_once_per_item")]

    def __str__(self):
        return f"{self.get_item_display()} {self.amount_due}"


class RenewalReminder(models.Model):
    """A renewal reminder sent to a licence holder at one milestone before expiry (180, 150,
    120, 100 and 91 days). One row per milestone makes the daily job idempotent and lets it
    catch up after a missed day."""

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("续展提醒")
        verbose_name_plural = _("续展提醒")
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="renewal_reminder_once")]

    def __str__(self):
        return f"{self.certificate_id} −{self.days_before}"

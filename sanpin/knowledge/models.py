"""The standards and procedures library and its delivery to entities and bases (标准规程"进企入户"
[001 §9 §10, 002 §3(7), 003 att.3 §4(3)]): standards with their edition dates, procedures and the
plain-language sheets made from them, what was delivered to whom, and training sessions with their
attendance. Rows change only in sanpin.knowledge.services."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import ENTITY_ROLES, REVIEW_STAFF_ROLES, STAFF_ROLES
from sanpin.core.access import RestrictedQuerySet, ScopeRule
from sanpin.core.models import BaseModel

from .choices import (
    DeliveryMeans,
    ProcedureKind,
    ProcedureStatus,
    ProductField,
    StandardKind,
    StandardStatus,
    TrainingKind,
)

PROCEDURE_ACTIONS = {
    # Staff read and manage the documents of their region and below (public readers see published
    # ones through the library pages, not through this rule).
    "view": STAFF_ROLES,
    "change": REVIEW_STAFF_ROLES,
}
DELIVERY_ACTIONS = {
    # Staff of the recipient's region; an organisation's own users see what it received.
    "view": STAFF_ROLES | ENTITY_ROLES,
    "record": REVIEW_STAFF_ROLES,
}
TRAINING_ACTIONS = {"view": STAFF_ROLES, "change": REVIEW_STAFF_ROLES}


def document_path(instance, filename):
    """Private media, named by content: never under the web root, served only by the views."""
    return f"knowledge/{instance._meta.model_name}/{instance.sha256[:2]}/{instance.sha256}"


class StoredFile(models.Model):
    """The optional file of a document with what was checked on upload (type sniffed from the
    content, size, digest)."""

    file = models.FileField(_("文件"), upload_to=document_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def has_file(self) -> bool:
        return bool(self.file)


class StandardQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date):
        """Annotate `status`: withdrawn from its withdrawal day, upcoming before it takes effect."""
        return self.annotate(status=Case(
            When(withdrawn_on__lte=today, then=Value(StandardStatus.WITHDRAWN)),
            When(effective_on__gt=today, then=Value(StandardStatus.UPCOMING)),
            default=Value(StandardStatus.CURRENT), output_field=models.CharField(),
        ))


class Standard(BaseModel, StoredFile):
    """A published standard (国家/行业/绿色食品/地方/团体标准) by its number with the edition year
    ("NY/T 393-2020"). Its status is computed from its dates on the day asked; withdrawal
    (废止) is recorded explicitly with the standard replacing it, if any. The full text may be
    attached; it is offered to the public only when `file_public` says its text may be shared."""

    kind = models.CharField(_("标准类别"), max_length=12, choices=StandardKind.choices, db_index=True)
    number = models.CharField(_("标准编号"), max_length=40, unique=True)
    title = models.CharField(_("标准名称"), max_length=200)
    published_on = models.DateField(_("发布日期"))
    effective_on = models.DateField(_("实施日期"))
    withdrawn_on = models.DateField(_("废止日期"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("被代替为"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaces")
    product_field = models.CharField(_("适用领域"), max_length=12, choices=ProductField.choices,
                                     default=ProductField.GENERAL)
    summary = models.TextField(_("内容摘要"), blank=True)
    file_public = models.BooleanField(_("全文公开"), default=False,
                                      help_text=_("标准全文可公开提供下载时勾选；否则仅工作人员可下载"))
    is_demo = models.BooleanField(_("演示数据"), default=False,
                                  help_text=_("演示数据中日期未经核对的标准"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "number"]
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        constraints = [
            models.CheckConstraint(condition=Q(effective_on__gte=models.F("published_on")),
                                   name="standard_effective_after_published"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("published_on")),
                name="standard_withdrawn_after_published"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def status_on(self, today: datetime.date) -> str:
        if self.withdrawn_on and self.withdrawn_on <= today:
            return StandardStatus.WITHDRAWN
        if self.effective_on > today:
            return StandardStatus.UPCOMING
        return StandardStatus.CURRENT

    def status_label_on(self, today: datetime.date) -> str:
        return str(StandardStatus(self.status_on(today)).label)

    @property
    def status_label(self) -> str:
        """The label of the status annotated by `with_status` (lists compute it in SQL)."""
        return str(StandardStatus(self.status).label) if hasattr(self, "status") else ""


class Procedure(BaseModel, StoredFile):
    """A production procedure (生产操作规程) or a plain-language sheet made from one (明白纸、操作卡、
    挂图、农事操作历、科普手册) for a product in a region and everything below it. Drafted and
    corrected by staff of that region, published to the library, retired when superseded; status
    moves only through sanpin.knowledge.services.procedure_transition."""

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=12, choices=ProcedureKind.choices, db_index=True)
    product = models.CharField(_("产品"), max_length=100)
    product_field = models.CharField(_("产品领域"), max_length=12, choices=ProductField.choices)
    region = models.ForeignKey("catalog.Region", verbose_name=_("适用区域"), on_delete=models.PROTECT,
                               related_name="+")
    issuing_agency = models.CharField(_("发布单位"), max_length=120)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    version = models.CharField(_("版本"), max_length=30)
    standards = models.ManyToManyField(Standard, verbose_name=_("相关标准"), blank=True, related_name="procedures")
    summary = models.TextField(_("内容摘要"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ProcedureStatus.choices,
                              default=ProcedureStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=PROCEDURE_ACTIONS)

    class Meta:
        ordering = ["-issued_on", "title"]
        verbose_name = _("生产操作规程/明白纸")
        verbose_name_plural = _("生产操作规程/明白纸")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "title", "version"], name="procedure_once_per_version"),
        ]

    def __str__(self):
        return f"{self.title}（{self.version}）"


class Distribution(models.Model):
    """One delivery (发放) of a standard or a procedure to an organisation or one of its production
    bases: the day, the means, the number of copies and who handed it over. A delivery to a base
    names the base's operator as `entity` too (it reached that organisation), and `region` is the
    recipient's county (the base's for a base) so that scope and coverage read one column."""

    standard = models.ForeignKey(Standard, verbose_name=_("标准"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="distributions")
    procedure = models.ForeignKey(Procedure, verbose_name=_("规程/明白纸"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="distributions")
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("接收主体"), on_delete=models.PROTECT,
                               related_name="knowledge_received")
    base = models.ForeignKey("bases.Base", verbose_name=_("接收基地"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="knowledge_received")
    region = models.ForeignKey("catalog.Region", verbose_name=_("所在县（市、区）"), on_delete=models.PROTECT,
                               related_name="+")
    delivered_on = models.DateField(_("发放日期"), db_index=True)
    means = models.CharField(_("发放方式"), max_length=12, choices=DeliveryMeans.choices)
    copies = models.PositiveIntegerField(_("份数"))
    delivered_by = models.CharField(_("发放人"), max_length=60)
    batch = models.UUIDField(_("批次"), db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", entity_field="entity", actions=DELIVERY_ACTIONS)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name = _("标准规程发放")
        verbose_name_plural = _("标准规程发放")
        constraints = [
            models.CheckConstraint(condition=Q(standard__isnull=True) ^ Q(procedure__isnull=True),
                                   name="distribution_one_document"),
            models.CheckConstraint(condition=Q(copies__gte=1), name="distribution_copies_positive"),
        ]
        indexes = [
            models.Index(fields=["entity", "delivered_on"], name="distribution_entity_day"),
            models.Index(fields=["base", "delivered_on"], name="distribution_base_day"),
        ]

    def __str__(self):
        return f"{self.document} → {self.base or self.entity} {self.delivered_on}"

    @property
    def document(self):
        return self.standard or self.procedure


class TrainingSession(BaseModel):
    """A training class, briefing or on-site visit (内检员培训班 / 宣讲培训 / 入户指导): when, where, by
    whom and which documents it covered. Who came is in Attendance."""

    kind = models.CharField(_("类型"), max_length=20, choices=TrainingKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"), db_index=True)
    region = models.ForeignKey("catalog.Region", verbose_name=_("举办地区"), on_delete=models.PROTECT,
                               related_name="+")
    location = models.CharField(_("地点"), max_length=200)
    trainer = models.CharField(_("授课/指导人员"), max_length=120)
    standards = models.ManyToManyField(Standard, verbose_name=_("涉及标准"), blank=True, related_name="trainings")
    procedures = models.ManyToManyField(Procedure, verbose_name=_("涉及规程/明白纸"), blank=True,
                                        related_name="trainings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", actions=TRAINING_ACTIONS)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("培训/宣讲/入户指导")
        verbose_name_plural = _("培训/宣讲/入户指导")

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Attendance(models.Model):
    """An organisation (or one of its bases) at a session, with the number of people it sent.
    As for deliveries, `entity` is the base's operator for a base and `region` the recipient's county."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("参加主体"), on_delete=models.PROTECT,
                               related_name="knowledge_trainings")
    base = models.ForeignKey("bases.Base", verbose_name=_("基地"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="knowledge_trainings")
    region = models.ForeignKey("catalog.Region", verbose_name=_("所在县（市、区）"), on_delete=models.PROTECT,
                               related_name="+")
    people = models.PositiveIntegerField(_("人数"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", entity_field="entity", actions=DELIVERY_ACTIONS)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        constraints = [
            models.UniqueConstraint(fields=["session", "entity"], condition=Q(base__isnull=True),
                                    name="attendance_entity_once"),
            models.UniqueConstraint(fields=["session", "base"], condition=Q(base__isnull=False),
                                    name="attendance_base_once"),
            models.CheckConstraint(condition=Q(people__gte=1), name="attendance_people_positive"),
        ]

    def __str__(self):
        return f"{self.session_id}: {self.base or self.entity} × {self.people}"

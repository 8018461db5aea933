"""Building blocks every domain app uses: timestamps, the audit trail, official number
sequences, the holiday-notice calendar and tracked deadlines."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Abstract base: creation and last-change times on every domain row."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")


class AppendOnlyModel(models.Model):
    """Abstract base of history tables (audit events, status and change histories): a row is
    written once and never changed or deleted through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only")


class AuditEvent(AppendOnlyModel):
    """One state change: who did what to which record, with the values before and after.

    Rows are append-only (refused here and by a database trigger) and hash-chained: each row's
    `hash` covers its content and the previous row's hash, so editing or deleting any row
    breaks the chain from that row on (see sanpin.core.audit.verify_chain).
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(_("操作人名称"), max_length=150)
    verb = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    old = models.JSONField(_("变更前"), null=True, blank=True)
    new = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"#{self.seq} {self.actor_repr} {self.verb} {self.target_repr}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the chain: writers lock it, read the last
    hash, append, and move it on, all in the caller's transaction."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return f"{self.last_seq}:{self.last_hash[:12]}"


class NumberSequence(models.Model):
    """A named counter for official numbers (e.g. one per scheme, category, province and year).

    Allocated only through sanpin.core.numbering.next_value inside the issuing transaction, with
    the row locked: numbers are unique and, because a rolled-back issue rolls back its
    increment, gap-free.
    """

    key = models.CharField(_("序列键"), max_length=120, unique=True)
    last_value = models.PositiveBigIntegerField(_("当前值"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.key} = {self.last_value}"


class HolidayNotice(BaseModel):
    """The State Council's holiday arrangement for one calendar year (放假安排通知).

    `off_days` are the statutory days off that would otherwise be working days or fall in a
    holiday span; `workdays` are the adjusted weekend days worked instead (调休上班). The dates
    of year Y are governed by the notice for year Y; a year without one is counted by weekends
    only and every deadline that reaches into it is marked provisional.
    """

    class Origin(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar 数据包")
        MANUAL = "manual", _("人工录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    title = models.CharField(_("通知标题"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=80, blank=True)
    source_url = models.URLField(_("来源网址"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    off_days = models.JSONField(_("放假日期"), default=list)
    workdays = models.JSONField(_("调休上班日期"), default=list)
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排通知")
        verbose_name_plural = _("节假日安排通知")

    def __str__(self):
        return f"{self.year} {self.title}"


class Deadline(models.Model):
    """A time limit counted in Chinese working days from `start`.

    Kept as a row so that a deadline computed before next year's holiday notice was known
    (`provisional`) is found and recomputed the moment the notice is entered.
    """

    purpose = models.CharField(_("用途"), max_length=80)
    start = models.DateField(_("起算日"))
    working_days = models.PositiveIntegerField(_("工作日数"))
    due_on = models.DateField(_("截止日"), db_index=True)
    provisional = models.BooleanField(_("暂定"), default=False, db_index=True)
    provisional_reason = models.CharField(_("暂定原因"), max_length=255, blank=True)
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    created_at = models.DateTimeField(auto_now_add=True)
    recomputed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="deadline_owner_idx")]

    def __str__(self):
        flag = "（暂定）" if self.provisional else ""
        return f"{self.purpose}: {self.due_on}{flag}"


def job_file_path(instance, filename):
    """Job files live in private media under a random folder: never guessable, never served
    directly, only through the owner-checked download view."""
    import uuid

    return f"jobs/{instance.kind}/{uuid.uuid4().hex}/{filename}"


class BackgroundJob(BaseModel):
    """A long import or export run by a Celery task (in-process when tasks run eagerly).

    The row holds what was asked (params, the uploaded file), the final numbers and the result;
    progress while it runs is kept in the cache (sanpin.core.jobs), because the work's own
    transaction keeps its writes invisible until it commits. Only the owner (and system
    administrators) may see a job and download its files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务类型"), max_length=40, db_index=True)
    title = models.CharField(_("任务名称"), max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                              related_name="background_jobs")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to=job_file_path, blank=True, max_length=300)
    input_name = models.CharField(_("上传文件名"), max_length=200, blank=True)
    output_file = models.FileField(_("结果文件"), upload_to=job_file_path, blank=True, max_length=300)
    output_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created_idx")]

    def __str__(self):
        return f"{self.title} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

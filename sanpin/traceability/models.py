"""The outbox of certificate events for the national traceability platform [001 §6]."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.core.models import BaseModel

from .choices import EventKind, OutboxStatus


class OutboxEvent(BaseModel):
    """One certificate event to push, written in the transaction of the change itself (a
    rolled-back change leaves no row), with the JSON document frozen as it will be sent.

    The id is the EPCIS eventID and the Idempotency-Key header, so a receiver can drop a repeat.
    A delivered event is never sent again; a failed one only when an administrator re-sends it.
    See docs/traceability.md and docs/decisions/0024-traceability-push.md."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("事件"), max_length=20, choices=EventKind.choices)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="+")
    number = models.CharField(_("证书编号"), max_length=40, db_index=True)
    scheme = models.CharField(_("认证类型"), max_length=20)
    occurred_at = models.DateTimeField(_("发生时间"))
    payload = models.JSONField(_("推送内容"))
    status = models.CharField(_("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name = _("追溯推送事件")
        verbose_name_plural = _("追溯推送事件")
        indexes = [
            # The pusher's scan: pending rows in order, and the older-pending check per number.
            models.Index(fields=["occurred_at", "created_at"], condition=Q(status="pending"),
                         name="outbox_pending_idx"),
            models.Index(fields=["status", "-occurred_at"], name="outbox_status_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.kind} ({self.status})"

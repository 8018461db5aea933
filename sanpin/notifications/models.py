"""In-app notifications and the delivery log of e-mail and SMS messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, DeliveryStatus


class Notification(models.Model):
    """A message in one user's in-app inbox: what happened and a link to where to act.

    Written in the transaction of the change it reports, so it exists exactly when the change
    does. Only its recipient ever sees it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageRecord(models.Model):
    """One e-mail or SMS to one address: queued in the caller's transaction, sent after commit
    by a background task, retried with back-off, and its outcome kept (the delivery log)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("地址/号码"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED,
                              db_index=True)
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    provider_id = models.CharField(_("服务商回执"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息发送记录")
        verbose_name_plural = _("消息发送记录")

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"

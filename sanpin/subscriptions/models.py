"""Subscriptions to certificate status changes, the events told to subscribers, and the delivery
log (one row per event, subscription and channel)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Channel, DeliveryStatus, EventKind


class Subscription(models.Model):
    """A user follows one certificate number or one entity (all its certificates) and is told of
    status changes on the channels chosen.

    The webhook secret is stored as given to the subscriber: signing needs the secret itself, so a
    hash cannot serve. It is shown once at creation and never again (docs/decisions/0013)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("订阅人"), on_delete=models.CASCADE,
                              related_name="subscriptions")
    entity = models.ForeignKey("catalog.Entity", verbose_name=_("关注的主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("关注的证书编号"), max_length=40, blank=True, db_index=True)
    via_inapp = models.BooleanField(_("站内消息"), default=True)
    via_email = models.BooleanField(_("电子邮件"), default=False)
    via_webhook = models.BooleanField(_("Webhook 推送"), default=False)
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500, blank=True)
    webhook_secret = models.CharField(_("签名密钥"), max_length=100, blank=True, editable=False)
    active = models.BooleanField(_("有效"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.CheckConstraint(
                condition=(Q(entity__isnull=False) & Q(certificate_number=""))
                | (Q(entity__isnull=True) & ~Q(certificate_number="")),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(fields=["owner", "entity"], condition=Q(active=True, entity__isnull=False),
                                    name="subscription_entity_once"),
            models.UniqueConstraint(fields=["owner", "certificate_number"],
                                    condition=Q(active=True, entity__isnull=True),
                                    name="subscription_number_once"),
        ]

    def __str__(self):
        return f"{self.owner_id} → {self.target_label}"

    @property
    def target_label(self) -> str:
        return str(self.entity) if self.entity_id else self.certificate_number

    @property
    def channels(self) -> list[str]:
        flags = {Channel.INAPP: self.via_inapp, Channel.EMAIL: self.via_email, Channel.WEBHOOK: self.via_webhook}
        return [str(channel) for channel, on in flags.items() if on]

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels]


class CertificateEvent(models.Model):
    """One change of a certificate told to subscribers, with the payload frozen as it was sent.

    `key` makes an event told once: an expiry is keyed by the certificate term, so the daily job
    can run again (or twice) without telling anyone twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(_("去重键"), max_length=80, unique=True)
    kind = models.CharField(_("事件"), max_length=20, choices=EventKind.choices)
    certificate = models.ForeignKey("certificates.Certificate", verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="+")
    number = models.CharField(_("证书编号"), max_length=40, db_index=True)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    payload = models.JSONField(_("内容"))

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("证书事件")
        verbose_name_plural = _("证书事件")

    def __str__(self):
        return f"{self.number} {self.kind}"

    @property
    def type(self) -> str:
        return f"certificate.{self.kind}"


class Delivery(models.Model):
    """The delivery log: one event to one subscription on one channel, its attempts and outcome.

    The id is sent as X-Sanpin-Delivery so a receiver can drop repeats; a delivery is sent at most
    once successfully whatever the number of workers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(CertificateEvent, verbose_name=_("事件"), on_delete=models.PROTECT,
                              related_name="deliveries")
    subscription = models.ForeignKey(Subscription, verbose_name=_("订阅"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription", "channel"], name="delivery_once"),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.subscription_id} ({self.channel})"

"""Channels, event kinds and delivery states of subscriptions, and who may subscribe."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import STAFF_ROLES, Role

# Buyers, markets, banks and platforms follow what they trade or lend on; staff follow their cases.
SUBSCRIBER_ROLES = STAFF_ROLES | {Role.PURCHASER, Role.BANK}


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("Webhook 推送")


class EventKind(models.TextChoices):
    ISSUED = "issued", _("颁证")
    RENEWED = "renewed", _("续展")
    CHANGED = "changed", _("证书变更")
    RECTIFICATION = "rectification", _("责令整改")
    SUSPENDED = "suspended", _("暂停使用")
    REINSTATED = "reinstated", _("恢复有效")
    STOPPED = "stopped", _("停止使用")
    REVOKED = "revoked", _("取消")
    EXPIRED = "expired", _("有效期届满")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")

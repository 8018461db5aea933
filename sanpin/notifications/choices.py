"""Channels a message goes out on and the states of its delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


# Channels recorded as MessageRecord rows and sent after commit (in-app rows are the Notification).
OUTBOUND_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})

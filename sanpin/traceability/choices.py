"""Event kinds pushed to the national traceability platform, and outbox states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import Role

# Who reads the outbox and re-sends failures: the system administrators (the push is the
# system's own duty, not a region's).
OUTBOX_ROLES = frozenset({Role.SYSTEM_ADMIN})


class EventKind(models.TextChoices):
    """The certificate events of sanpin.certificates.signals.emit (expiry is not pushed: the
    validity travels with every event and the platform reads it on the day)."""

    ISSUED = "issued", _("颁证")
    RENEWED = "renewed", _("续展")
    CHANGED = "changed", _("证书变更")
    RECTIFICATION = "rectification", _("责令整改")
    SUSPENDED = "suspended", _("暂停使用")
    REINSTATED = "reinstated", _("恢复有效")
    STOPPED = "stopped", _("停止使用")
    REVOKED = "revoked", _("取消")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待推送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("推送失败")

"""Schemes, green-input categories, certificate statuses and announcement kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    GREEN_INPUTS = "green_inputs", _("绿色食品生产资料")
    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")
    GI = "gi", _("农产品地理标志")
    FEATURED = "featured", _("全国名特优新农产品")


class GreenInputCategory(models.TextChoices):
    """Green-input product categories [004 §6], stored as the two-digit CC of the product number
    [004 §17]. 01 and 02 are confirmed by real numbers (SPEC §10); 03–05 and 09 are the system's own
    assignment (docs/decisions/0008-green-input-numbers.md)."""

    FERTILIZER = "01", _("肥料")
    PESTICIDE = "02", _("农药")
    FEED = "03", _("饲料及饲料添加剂")
    VETERINARY_DRUG = "04", _("兽药")
    FOOD_ADDITIVE = "05", _("食品添加剂")
    OTHER = "09", _("其它")


class Status(models.TextChoices):
    """Stored statuses. "expired" is never stored: it is computed at read time from valid_until."""

    VALID = "valid", _("有效")
    IN_RECTIFICATION = "in_rectification", _("整改中")
    SUSPENDED = "suspended", _("暂停使用")
    STOPPED = "stopped", _("停止使用")
    REVOKED = "revoked", _("已取消")


EXPIRED = "expired"
EXPIRED_LABEL = _("已过期")
# Stored statuses that lapse into "expired" once valid_until has passed.
LAPSING = frozenset({Status.VALID, Status.IN_RECTIFICATION, Status.SUSPENDED})
FINAL = frozenset({Status.STOPPED, Status.REVOKED})


class EffectiveStatus(models.TextChoices):
    """What a reader sees on a given day: a stored status, or expired."""

    VALID = "valid", _("有效")
    IN_RECTIFICATION = "in_rectification", _("整改中")
    SUSPENDED = "suspended", _("暂停使用")
    EXPIRED = "expired", _("已过期")
    STOPPED = "stopped", _("停止使用")
    REVOKED = "revoked", _("已取消")


class AnnouncementKind(models.TextChoices):
    APPROVAL = "approval", _("获证公告")
    REVOCATION = "revocation", _("取消公告")

"""Kinds and statuses of the promotion app: events, participations, outlets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """Fairs and campaigns named by seeds 000 §3(2)(3), 001 §12 §13 and 003 att.4 §4(2)(3)."""

    GREEN_EXPO = "green_expo", _("中国绿色食品博览会")
    ORGANIC_EXPO = "organic_expo", _("中国国际有机食品博览会")
    GI_EXHIBITION = "gi_exhibition", _("农产品地理标志专展")
    GREEN_FOOD_MONTH = "green_food_month", _("绿色食品宣传月")
    FEATURED_PROMOTION = "featured_promotion", _("名特优新农产品推介")
    LOCAL_FAIR = "local_fair", _("地方推介展销活动")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


# Statuses the public sees (a draft is the organiser's own).
PUBLIC_EVENT_STATUSES = (EventStatus.OPEN, EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED)
# Events whose participants' marks are still to be shown: checked when a certificate changes.
LIVE_EVENT_STATUSES = (EventStatus.OPEN, EventStatus.CLOSED)


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


# Participations whose certificates are re-checked (a rejected one shows nothing).
CHECKED_PARTICIPATIONS = (ParticipationStatus.PENDING, ParticipationStatus.APPROVED)


class FlagSource(models.TextChoices):
    """What found that a certificate shown at an event is no longer valid."""

    CERTIFICATE_CHANGE = "certificate_change", _("证书状态变更")
    DAY_BEFORE = "day_before", _("展前复核")


class OutletKind(models.TextChoices):
    """"十百千万" 工程 sales channels [003 att.4 §3, §4(4)]."""

    MARKET_ZONE = "market_zone", _("市场专区")
    STORE_COUNTER = "store_counter", _("商超专柜")


class AwardListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")

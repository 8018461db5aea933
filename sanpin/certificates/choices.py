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


class GreenFoodCategory(models.TextChoices):
    """Green-food product classes as the two-digit CC of the product number LB-CC-… (SPEC §10).
    The seeds and the public rules do not publish the code table; this is the system's own
    assignment over the broad classes of the green food product catalogue, and numbers imported
    from earlier systems keep the CC they carry (docs/decisions/0018-green-food-numbers.md)."""

    GRAIN = "01", _("粮食及制品")
    OIL = "02", _("油料及油脂")
    VEGETABLE = "03", _("蔬菜及制品")
    FRUIT = "04", _("水果及制品")
    NUT = "05", _("坚果及籽类")
    FUNGI = "06", _("食用菌及制品")
    TEA = "07", _("茶叶及制品")
    MEAT = "08", _("畜禽肉及制品")
    EGG = "09", _("蛋及蛋制品")
    DAIRY = "10", _("乳及乳制品")
    AQUATIC = "11", _("水产品及制品")
    BEE = "12", _("蜂产品")
    CONDIMENT = "13", _("调味品")
    BEVERAGE = "14", _("饮料及酒类")
    OTHER = "15", _("其他加工食品")


class OrganicCategory(models.TextChoices):
    """Organic production types of the national organic product certification rules."""

    CROP = "01", _("植物生产")
    WILD = "02", _("野生采集")
    FUNGI = "03", _("食用菌栽培")
    LIVESTOCK = "04", _("畜禽养殖")
    AQUACULTURE = "05", _("水产养殖")
    PROCESSED = "06", _("加工产品")


class FeaturedCategory(models.TextChoices):
    """Product classes of the 全国名特优新农产品 directory."""

    GRAIN_OIL = "01", _("粮油")
    VEGETABLE = "02", _("蔬菜")
    FRUIT = "03", _("果品")
    TEA = "04", _("茶叶")
    LIVESTOCK = "05", _("畜禽")
    AQUATIC = "06", _("水产")
    OTHER = "09", _("其他")


CATEGORIES = {
    Scheme.GREEN_INPUTS: GreenInputCategory,
    Scheme.GREEN_FOOD: GreenFoodCategory,
    Scheme.ORGANIC: OrganicCategory,
    Scheme.FEATURED: FeaturedCategory,
}
# What the certificate is called on its PDF and verify page.
DOCUMENT_TITLES = {
    Scheme.GREEN_INPUTS: _("绿色食品生产资料标志使用证"),
    Scheme.GREEN_FOOD: _("绿色食品标志使用证书"),
    Scheme.ORGANIC: _("有机产品认证证书"),
    Scheme.GI: _("农产品地理标志登记证书"),
    Scheme.FEATURED: _("全国名特优新农产品证书"),
}
# Who issues it (the PDF's issuer line).
ISSUERS = {
    Scheme.GREEN_INPUTS: _("中国绿色食品协会"),
    Scheme.GREEN_FOOD: _("中国绿色食品发展中心"),
    Scheme.ORGANIC: _("中绿华夏有机产品认证中心"),
    Scheme.GI: _("农业农村部"),
    Scheme.FEATURED: _("农业农村部农产品质量安全中心"),
}


def category_label(scheme: str, code: str) -> str:
    choices = CATEGORIES.get(scheme)
    return str(choices(code).label) if choices is not None and code in choices.values else code


# The mark a holder may use while the certificate is valid (verify-page warnings).
MARK_NAMES = {
    Scheme.GREEN_INPUTS: _("绿色生资标志"),
    Scheme.GREEN_FOOD: _("绿色食品标志"),
    Scheme.ORGANIC: _("有机产品标志"),
    Scheme.GI: _("农产品地理标志"),
    Scheme.FEATURED: _("全国名特优新农产品标识"),
}


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

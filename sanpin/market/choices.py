"""Choices of the market app: kinds of buyer, product fields, listing and inquiry states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuyerType(models.TextChoices):
    """The purchasers the seeds name [000 §3(3), 003 att.4 §4(3)]."""

    DEALER = "dealer", _("经销商")
    SUPERMARKET = "supermarket", _("商超")
    CATERING = "catering", _("食堂/餐饮")
    ECOMMERCE = "ecommerce", _("电商")
    WHOLESALE_MARKET = "wholesale_market", _("农批市场")
    PROCESSOR = "processor", _("加工企业")


class ProductField(models.TextChoices):
    """Broad product fields buyers buy and listings are filed under (a buyer's trade, not a
    certificate's product class: one field spans several schemes' categories)."""

    GRAIN_OIL = "grain_oil", _("粮油")
    VEGETABLE = "vegetable", _("蔬菜")
    FRUIT = "fruit", _("水果")
    TEA = "tea", _("茶叶")
    FUNGI = "fungi", _("食用菌")
    LIVESTOCK = "livestock", _("畜禽及蛋奶")
    AQUATIC = "aquatic", _("水产品")
    PROCESSED = "processed", _("加工食品及饮品")
    INPUTS = "inputs", _("绿色生产资料")
    OTHER = "other", _("其他")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("发布中")
    WITHDRAWN = "withdrawn", _("已撤回")
    TAKEN_DOWN = "taken_down", _("已下架")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


# The certificate's category (scheme, two-digit class) → the field a new listing starts with.
# A suggestion only: the holder may file the listing under another field.
FIELD_BY_CATEGORY = {
    ("green_inputs", None): ProductField.INPUTS,
    ("green_food", "01"): ProductField.GRAIN_OIL, ("green_food", "02"): ProductField.GRAIN_OIL,
    ("green_food", "03"): ProductField.VEGETABLE, ("green_food", "04"): ProductField.FRUIT,
    ("green_food", "05"): ProductField.OTHER, ("green_food", "06"): ProductField.FUNGI,
    ("green_food", "07"): ProductField.TEA, ("green_food", "08"): ProductField.LIVESTOCK,
    ("green_food", "09"): ProductField.LIVESTOCK, ("green_food", "10"): ProductField.LIVESTOCK,
    ("green_food", "11"): ProductField.AQUATIC, ("green_food", "12"): ProductField.PROCESSED,
    ("green_food", "13"): ProductField.PROCESSED, ("green_food", "14"): ProductField.PROCESSED,
    ("organic", "01"): ProductField.VEGETABLE, ("organic", "03"): ProductField.FUNGI,
    ("organic", "04"): ProductField.LIVESTOCK, ("organic", "05"): ProductField.AQUATIC,
    ("organic", "06"): ProductField.PROCESSED,
    ("featured", "01"): ProductField.GRAIN_OIL, ("featured", "02"): ProductField.VEGETABLE,
    ("featured", "03"): ProductField.FRUIT, ("featured", "04"): ProductField.TEA,
    ("featured", "05"): ProductField.LIVESTOCK, ("featured", "06"): ProductField.AQUATIC,
}


def suggested_field(scheme: str, category: str) -> str:
    return FIELD_BY_CATEGORY.get((scheme, category)) or FIELD_BY_CATEGORY.get((scheme, None)) or ProductField.OTHER


def field_labels(codes) -> list[str]:
    return [str(ProductField(c).label) for c in codes if c in ProductField.values]

"""Kinds of input, list statuses, pesticide categories, residue units and the crop category codes
the residue limits are tied to."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class InputKind(models.TextChoices):
    """The input categories of the green food production-input lists [004 §6] (the same codes as
    accounts.ExpertSpecialty)."""

    PESTICIDE = "pesticide", _("农药")
    FERTILIZER = "fertilizer", _("肥料")
    VETERINARY_DRUG = "veterinary_drug", _("兽药")
    FEED = "feed", _("饲料及饲料添加剂")
    FOOD_ADDITIVE = "food_additive", _("食品添加剂")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本替代")
    RETIRED = "retired", _("已废止")


# Statuses whose dates decide whether a list is in force on a day (a superseded list still
# answers for the days before its successor took effect).
DATED = (ListStatus.PUBLISHED, ListStatus.SUPERSEDED, ListStatus.RETIRED)


class InputCategory(models.TextChoices):
    """What a pesticide does (the groups of NY/T 393 and the provincial lists); other kinds may
    leave it blank or use 其他."""

    INSECTICIDE = "insecticide", _("杀虫剂")
    ACARICIDE = "acaricide", _("杀螨剂")
    FUNGICIDE = "fungicide", _("杀菌剂")
    HERBICIDE = "herbicide", _("除草剂")
    PLANT_GROWTH_REGULATOR = "plant_growth_regulator", _("植物生长调节剂")
    NEMATICIDE = "nematicide", _("杀线虫剂")
    RODENTICIDE = "rodenticide", _("杀鼠剂")
    OTHER = "other", _("其他")


class ResidueUnit(models.TextChoices):
    """Units a residue limit may be stated in (GB 2763 uses mg/kg)."""

    MG_PER_KG = "mg/kg", "mg/kg"
    UG_PER_KG = "μg/kg", "μg/kg"


# Each unit in mg/kg: limits in different units are compared after conversion.
MG_PER_KG = {ResidueUnit.MG_PER_KG: Decimal("1"), ResidueUnit.UG_PER_KG: Decimal("0.001")}
# No maximum residue limit in GB 2763 reaches this; a larger figure is a typing error.
ABSURD_MG_PER_KG = Decimal("1000")

# The green food product categories, as the two-digit code on certificates and in the sampling
# standards table (Standard.category). Kept here because this app sits below certificates; a test
# checks it equals sanpin.certificates.choices.GreenFoodCategory.
CROP_CATEGORIES = (
    ("01", _("粮食及制品")),
    ("02", _("油料及油脂")),
    ("03", _("蔬菜及制品")),
    ("04", _("水果及制品")),
    ("05", _("坚果及籽类")),
    ("06", _("食用菌及制品")),
    ("07", _("茶叶及制品")),
    ("08", _("畜禽肉及制品")),
    ("09", _("蛋及蛋制品")),
    ("10", _("乳及乳制品")),
    ("11", _("水产品及制品")),
    ("12", _("蜂产品")),
    ("13", _("调味品")),
    ("14", _("饮料及酒类")),
    ("15", _("其他加工食品")),
)
CROP_CATEGORY_LABELS = dict(CROP_CATEGORIES)

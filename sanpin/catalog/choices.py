"""Choices of the catalog app: region levels, how sure a province code is, kinds of entity."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")


class NumberCodeBasis(models.TextChoices):
    """How sure a province's sequence code is (SPEC §10)."""

    CONFIRMED = "confirmed", _("已由实际编号确认")
    INFERRED = "inferred", _("按区划顺序推定")
    UNCONFIRMED = "unconfirmed", _("未确认")


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    ASSOCIATION = "association", _("协会")
    INPUT_MANUFACTURER = "input_manufacturer", _("生资生产企业")
    PURCHASER = "purchaser", _("收购者/批发市场")
    LAB = "lab", _("检测机构")
    BANK = "bank", _("金融机构")

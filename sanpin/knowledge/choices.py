"""Kinds and statuses of the standards and procedures library (标准规程"进企入户")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardKind(models.TextChoices):
    NATIONAL = "gb", _("国家标准")
    INDUSTRY = "ny", _("行业标准")
    GREEN_FOOD = "green_food", _("绿色食品标准")
    LOCAL = "db", _("地方标准")
    GROUP = "t", _("团体标准")


class StandardStatus(models.TextChoices):
    """Computed from the dates (never stored): upcoming before it takes effect, withdrawn from its
    withdrawal day, current in between."""

    UPCOMING = "upcoming", _("即将实施")
    CURRENT = "current", _("现行")
    WITHDRAWN = "withdrawn", _("废止")


class ProcedureKind(models.TextChoices):
    """Procedures and the plain-language material made from them [001 §10, 003 att.3 §4(3)]."""

    PROCEDURE = "procedure", _("生产操作规程")
    SHEET = "sheet", _("明白纸")
    CARD = "card", _("操作卡")
    WALL_CHART = "wall_chart", _("挂图")
    CALENDAR = "calendar", _("农事操作历")
    HANDBOOK = "handbook", _("科普手册")


class ProductField(models.TextChoices):
    CROPS = "crops", _("种植业")
    LIVESTOCK = "livestock", _("畜禽养殖")
    AQUATIC = "aquatic", _("水产养殖")
    PROCESSED = "processed", _("加工食品")
    INPUTS = "inputs", _("生产资料")
    GENERAL = "general", _("通用")


class ProcedureStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class DeliveryMeans(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    ONSITE = "onsite", _("培训现场")


class TrainingKind(models.TextChoices):
    """内检员培训班 [001 §10, §21], 重点宣讲培训 and 入户指导 [002 §3(7)]."""

    INTERNAL_INSPECTOR = "internal_inspector", _("内检员培训班")
    BRIEFING = "briefing", _("宣讲培训")
    ONSITE = "onsite", _("入户指导")

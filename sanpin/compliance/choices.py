"""Products, bases of the commitment and statuses of 承诺达标合格证 (SPEC §6, §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    """The products the 2025 rules cover (MARA order 2025 No. 4, SPEC §10), plus "other" for
    products MARA designates later."""

    VEGETABLE = "vegetable", _("蔬菜")
    EDIBLE_FUNGI = "edible_fungi", _("食用菌")
    FRUIT = "fruit", _("水果")
    TEA = "tea", _("茶叶鲜叶")
    LIVESTOCK = "livestock", _("畜禽")
    EGG = "egg", _("禽蛋")
    AQUATIC = "aquatic", _("养殖水产品")
    OTHER = "other", _("其他")


class CommitmentBasis(models.TextChoices):
    """What the producer's commitment rests on [003 att.5]."""

    QUALITY_CONTROL = "quality_control", _("质量安全控制符合要求")
    SELF_TEST = "self_test", _("自行检测合格")
    COMMISSIONED_TEST = "commissioned_test", _("委托检测合格")


TESTED = frozenset({CommitmentBasis.SELF_TEST, CommitmentBasis.COMMISSIONED_TEST})
COMMITMENT_TEXT = _("我承诺对产品质量安全以及合格证真实性负责：不使用禁用农药兽药、停用兽药和非法添加物，"
                    "常规农药兽药残留不超标。")


class Status(models.TextChoices):
    VALID = "valid", _("有效")
    VOIDED = "voided", _("已作废")


class CheckResult(models.TextChoices):
    """A market's entry check (查验) of the certificate that came with the goods."""

    CONFORMING = "conforming", _("合格证齐全且与货物相符")
    INCOMPLETE = "incomplete", _("合格证内容不完整")
    MISMATCH = "mismatch", _("合格证与货物不符")
    MISSING = "missing", _("未附合格证")


class ViolationKind(models.TextChoices):
    """Events the producer's credit file reads [003 att.5 §4(3)]."""

    NOT_ISSUED = "not_issued", _("应开未开")
    FALSE_ISSUE = "false_issue", _("虚假开具")
    MISMATCH = "mismatch", _("证物不符")
    NOT_COLLECTED = "not_collected", _("收购未查验/未收取合格证")

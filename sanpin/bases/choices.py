"""Base types and levels, the directory states, removal causes and the states of a county's
yearly information submission [003 att.2, 002 §3(2), 001 §11]."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseType(models.TextChoices):
    # Short codes: they double as the "category" of the base on its listing application.
    GREEN_FOOD_RAW = "GF", _("绿色食品原料标准化生产基地")
    ORGANIC = "OR", _("有机农产品基地")
    GI_CORE = "GI", _("地理标志农产品核心基地")
    GREEN_QUALITY = "GQ", _("绿色优质农产品生产基地")
    INTEGRATION_PARK = "IP", _("一二三产业融合发展园区")
    FULL_CHAIN = "FC", _("全产业链标准化示范基地")


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省（市）级")
    DISTRICT = "district", _("区（县）级")


class BaseStatus(models.TextChoices):
    BUILDING = "building", _("按标建设")
    LISTED = "listed", _("已纳入目录")
    REMOVED = "removed", _("已移出目录")


class RemovalCause(models.TextChoices):
    """Why a base leaves the directory [003 att.2 §5(3)]."""

    INCIDENT = "incident", _("发生重大农产品质量安全事件")
    VIOLATION = "violation", _("存在违规违法行为")
    REQUIREMENTS = "requirements", _("不符合基地相关要求")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class SamplingResult(models.TextChoices):
    NOT_SAMPLED = "not_sampled", _("未抽检")
    PASSED = "passed", _("抽检合格")
    FAILED = "failed", _("抽检不合格")


class SubmissionStatus(models.TextChoices):
    """A county's information submission in a yearly collection cycle."""

    NOT_STARTED = "not_started", _("未填报")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    REVIEWED = "reviewed", _("已复核")

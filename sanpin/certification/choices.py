"""Schemes, application kinds and the engine's fixed states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    GREEN_INPUTS = "green_inputs", _("绿色食品生产资料")
    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")
    FEATURED = "featured", _("全国名特优新农产品")
    BASE = "base", _("优质农产品生产基地")


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("首次申请")
    RENEWAL = "renewal", _("续展")
    CHANGE = "change", _("变更")
    STOP = "stop", _("停止使用")


class Level(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    COUNTY = "county", _("县级工作机构")
    CITY = "city", _("市级工作机构")
    PROVINCE = "province", _("省级工作机构")
    NATIONAL = "national", _("协会/中心")
    EXPERT = "expert", _("专家评审委员会")
    LAB = "lab", _("检测机构")


# States every scheme shares. A scheme's own steps are named by their step codes.
DRAFT = "draft"
SUPPLEMENT = "supplement"  # 补正: the clock of the step that asked is paused
RECTIFICATION = "rectification"  # 整改: own deadline; the ordering step restarts on answer
SUSPENDED = "suspended"  # 暂停审核: own deadline; resumed or terminated
SPECIAL_TEST = "special_test"  # 专项检测: the re-review clock is paused while the lab tests
ISSUED = "issued"
COMPLETED = "completed"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
TERMINAL = frozenset({ISSUED, COMPLETED, REJECTED, WITHDRAWN})
STATE_LABELS = {
    DRAFT: _("草稿"),
    SUPPLEMENT: _("补正材料"),
    RECTIFICATION: _("整改"),
    SUSPENDED: _("暂停审核"),
    SPECIAL_TEST: _("专项检测"),
    ISSUED: _("已颁证"),
    COMPLETED: _("已办结"),
    REJECTED: _("未通过"),
    WITHDRAWN: _("已撤回"),
}


class FeeItem(models.TextChoices):
    """Fee items across schemes: green inputs [004 §13], green food (审核评价费, 标志使用费 [001 §4]),
    organic (申请费, 审核费, 注册费 [002 §3(1)4])."""

    REVIEW = "review", _("审核费")
    MANAGEMENT = "management", _("管理费")
    MARK_USE = "mark_use", _("标志使用费")
    APPLICATION = "application", _("申请费")
    REGISTRATION = "registration", _("注册费")


class WaiverCondition(models.TextChoices):
    """County flags that earn a fee waiver or reduction (kept on catalog.Region)."""

    POVERTY_EXIT = "poverty_exit", _("脱贫县（过渡期内）")
    KEY_ASSISTANCE = "key_assistance", _("国家乡村振兴重点帮扶县")


class AttachmentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("申请书")
    BUSINESS_LICENCE = "business_licence", _("营业执照/法人资格证明")
    ADMIN_LICENCE = "admin_licence", _("行政许可/产品登记证")
    PRODUCT_STANDARD = "product_standard", _("产品执行标准")
    QUALITY_SYSTEM = "quality_system", _("质量管理体系文件")
    PRODUCTION_RULES = "production_rules", _("生产操作规程")
    BASE_PROOF = "base_proof", _("基地来源证明/原料购销合同")
    TEST_REPORT = "test_report", _("检验报告")
    INSPECTION_REPORT = "inspection_report", _("现场检查报告")
    SUPPLEMENT = "supplement", _("补正材料")
    RECTIFICATION = "rectification", _("整改材料")
    OTHER = "other", _("其他")

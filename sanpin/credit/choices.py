"""Kinds of credit events and the grades."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditKind(models.TextChoices):
    SAMPLING_FAILED = "sampling_failed", _("抽检不合格")
    SAMPLING_PASSED = "sampling_passed", _("抽检合格")
    INSPECTION_FAILED = "inspection_failed", _("检查不合格")
    RECTIFICATION_CLOSED_ON_TIME = "rectification_closed_on_time", _("按期整改合格")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("逾期未整改")
    REVOCATION = "revocation", _("取消标志使用权")
    RENEWAL_ON_TIME = "renewal_on_time", _("按期续展")
    RENEWAL_LATE = "renewal_late", _("逾期续展")
    COMPLIANCE_VIOLATION = "compliance_violation", _("合格证违规")
    COMPLAINT_UPHELD = "complaint_upheld", _("投诉举报查实")
    AWARD = "award", _("表彰奖励")
    MANUAL_POSITIVE = "manual_positive", _("其他良好信用信息")
    MANUAL_NEGATIVE = "manual_negative", _("其他不良信用信息")


# Kinds staff may record by hand (the others come from the feeds of the other modules).
MANUAL_KINDS = frozenset({
    CreditKind.COMPLAINT_UPHELD, CreditKind.AWARD, CreditKind.MANUAL_POSITIVE, CreditKind.MANUAL_NEGATIVE,
    CreditKind.INSPECTION_FAILED,
})


class Grade(models.TextChoices):
    A = "A", _("A 级（守信）")
    B = "B", _("B 级（基本守信）")
    C = "C", _("C 级（失信风险）")
    D = "D", _("D 级（严重失信）")


GRADES_ABOVE_D = ("A", "B", "C")

"""The credit rulebook: version 1 (effective 2020-01-01), the version in force on a day, and the
checks every published version passes."""

import copy
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import GRADES_ABOVE_D, CreditKind, Grade

# Points per event kind in version 1. A sampling failure costs 10, so a single failure takes a
# fresh entity (85) to the B/C boundary but not below it: the draw's risk weight already counts
# every failed sample, and a second negative fact (an overdue rectification, a violation) is what
# moves the grade to C.
DEFAULT_WEIGHTS = {
    CreditKind.SAMPLING_FAILED: -10,
    CreditKind.SAMPLING_PASSED: 1,
    CreditKind.INSPECTION_FAILED: -8,
    CreditKind.RECTIFICATION_CLOSED_ON_TIME: 1,
    CreditKind.RECTIFICATION_OVERDUE: -8,
    CreditKind.REVOCATION: -40,
    CreditKind.RENEWAL_ON_TIME: 2,
    CreditKind.RENEWAL_LATE: -3,
    CreditKind.COMPLIANCE_VIOLATION: -10,
    CreditKind.COMPLAINT_UPHELD: -5,
    CreditKind.AWARD: 5,
    CreditKind.MANUAL_POSITIVE: 3,
    CreditKind.MANUAL_NEGATIVE: -5,
}
DEFAULT_THRESHOLDS = {"A": 90, "B": 75, "C": 60}
DEFAULT_SAMPLING_WEIGHTS = {"A": 0.5, "B": 1.0, "C": 2.0, "D": 3.0}
DEFAULT_HALF_LIFE_DAYS = 730
DEFAULT_BASE_SCORE = Decimal("85")
DEFAULT_EFFECTIVE_FROM = datetime.date(2020, 1, 1)
# "申报+信用" (SPEC §7): a D grade on the day of submission adds a credit site inspection before the
# review; a score below 40 bars new initial applications for 365 days after the latest negative
# event; an A grade with no negative event in 3 years may skip a renewal's site inspection where
# the scheme allows it (sanpin.credit.effects).
DEFAULT_EFFECTS = {
    "site_inspection_grades": ["D"],
    "block_new_applications": {"below_score": 40, "days": 365},
    "renewal_inspection_waiver": {"grades": ["A"], "clean_years": 3},
}


def default_values() -> dict:
    """The field values of version 1 (written by migrations 0002 and, for the effects, 0003)."""
    return {
        "version": 1, "effective_from": DEFAULT_EFFECTIVE_FROM,
        "weights": {str(k): v for k, v in DEFAULT_WEIGHTS.items()},
        "half_life_days": DEFAULT_HALF_LIFE_DAYS, "thresholds": dict(DEFAULT_THRESHOLDS),
        "base_score": DEFAULT_BASE_SCORE, "sampling_weights": dict(DEFAULT_SAMPLING_WEIGHTS),
        "effects": copy.deepcopy(DEFAULT_EFFECTS),
        "note": "初始版本：抽检、整改、取消、续展、合格证违规、投诉、表彰等事件分值，半衰期两年。",
    }


def default_rulebook():
    """Version 1 as an unsaved row: what is in force when no version is stored (a database emptied
    since the migration ran). The same values the migration wrote, so scores do not change."""
    from .models import Rulebook

    return Rulebook(**default_values())


def in_force(on: datetime.date):
    """The version in force on `on`: the latest effective_from on or before it (ties: the higher
    version)."""
    from .models import Rulebook

    found = Rulebook.objects.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()
    return found or default_rulebook()


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _grades(value) -> bool:
    return isinstance(value, list) and all(isinstance(g, str) and g in Grade.values for g in value) \
        and len(set(value)) == len(value)


def validate_effects(effects) -> str:
    """The message for "申报+信用" effects that cannot be published ("" when they can)."""
    if not isinstance(effects, dict) or set(effects) != set(DEFAULT_EFFECTS):
        return _("信用应用规则应包含：加做现场检查的等级、禁止新申请、续展免现场检查三项")
    if not _grades(effects["site_inspection_grades"]):
        return _("加做现场检查的等级应为 A、B、C、D 中的一个或多个（不重复）")
    block = effects["block_new_applications"]
    if not isinstance(block, dict) or set(block) != {"below_score", "days"}:
        return _("禁止新申请应包含分数线（below_score）和天数（days）")
    if not (_number(block["below_score"]) and 0 <= block["below_score"] <= 100):
        return _("禁止新申请的分数线应在 0 到 100 之间")
    if not (isinstance(block["days"], int) and not isinstance(block["days"], bool) and 0 <= block["days"] <= 3650):
        return _("禁止新申请的天数应为 0 到 3650 之间的整数")
    waiver = effects["renewal_inspection_waiver"]
    if not isinstance(waiver, dict) or set(waiver) != {"grades", "clean_years"}:
        return _("续展免现场检查应包含等级（grades）和无不良记录年数（clean_years）")
    if not _grades(waiver["grades"]):
        return _("续展免现场检查的等级应为 A、B、C、D 中的一个或多个（不重复）")
    if set(waiver["grades"]) & set(effects["site_inspection_grades"]):
        return _("同一等级不能既加做现场检查又免续展现场检查")
    years = waiver["clean_years"]
    if not (isinstance(years, int) and not isinstance(years, bool) and 1 <= years <= 10):
        return _("无不良记录年数应为 1 到 10 之间的整数")
    return ""


def validate(*, weights, thresholds, half_life_days, base_score, sampling_weights, effects=None) -> dict:
    """Per-field messages for a rulebook that cannot be published (empty when it can). `effects`
    None: not given (the publishing service carries over those of the version it follows)."""
    errors: dict[str, str] = {}
    if effects is not None and (message := validate_effects(effects)):
        errors["effects"] = message
    kinds = set(CreditKind.values)
    if not isinstance(weights, dict):
        errors["weights"] = _("事件分值应为 {类型: 分值}")
    else:
        missing = sorted(kinds - set(weights))
        unknown = sorted(set(weights) - kinds)
        if missing:
            errors["weights"] = _("以下类型缺少分值：%s") % "、".join(str(CreditKind(k).label) for k in missing)
        elif unknown:
            errors["weights"] = _("未知的事件类型：%s") % "、".join(unknown)
        elif not all(isinstance(v, int | float) and not isinstance(v, bool) and -100 <= v <= 100
                     for v in weights.values()):
            errors["weights"] = _("分值应为 -100 到 100 之间的数")
    if not isinstance(thresholds, dict) or set(thresholds) != set(GRADES_ABOVE_D):
        errors["thresholds"] = _("等级分界应包含 A、B、C 三级")
    else:
        values = [thresholds[g] for g in GRADES_ABOVE_D]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100 for v in values):
            errors["thresholds"] = _("等级分界应在 0 到 100 之间")
        elif not values[0] > values[1] > values[2]:
            errors["thresholds"] = _("等级分界应从 A 到 C 依次降低")
    if not isinstance(half_life_days, int) or isinstance(half_life_days, bool) or half_life_days < 1:
        errors["half_life_days"] = _("半衰期应为正整数天")
    try:
        base = Decimal(str(base_score))
        if not Decimal(0) <= base <= Decimal(100):
            errors["base_score"] = _("基础分应在 0 到 100 之间")
    except ArithmeticError:
        errors["base_score"] = _("基础分应为数字")
    if not isinstance(sampling_weights, dict) or set(sampling_weights) != set(Grade.values):
        errors["sampling_weights"] = _("抽检权重应包含 A、B、C、D 四级")
    elif not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 10
                 for v in sampling_weights.values()):
        errors["sampling_weights"] = _("抽检权重应为 0 到 10 之间的正数")
    return errors

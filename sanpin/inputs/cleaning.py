"""Checking what people type for an input and its residue limits: shared by the forms, the API and
the Excel import, so each says the same thing about the same mistake. Pure functions: nothing is
read or written here."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .choices import ABSURD_MG_PER_KG, CROP_CATEGORY_LABELS, MG_PER_KG, InputCategory, ResidueUnit

UNIT_SPELLINGS = {"mg/kg": ResidueUnit.MG_PER_KG, "μg/kg": ResidueUnit.UG_PER_KG, "µg/kg": ResidueUnit.UG_PER_KG,
                  "ug/kg": ResidueUnit.UG_PER_KG}
CATEGORY_BY_LABEL = {str(label): code for code, label in InputCategory.choices}
LIMIT_FIELDS = ("crop", "crop_category", "max_value", "unit", "source_standard", "effective_from",
                "effective_until", "is_demo")


def normalise_name(text) -> str:
    """A name as compared: no spaces, half-width brackets, case-folded (吡虫啉 = 吡虫啉 ; Bt = BT)."""
    text = re.sub(r"\s+", "", str(text or ""))
    return text.replace("（", "(").replace("）", ")").casefold()


def parse_date(value) -> tuple[datetime.date | None, str]:
    """(date or None, problem). Accepts a date, a datetime or YYYY-MM-DD text; blank is None."""
    if value in (None, ""):
        return None, ""
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    text = str(value).strip().replace("/", "-").replace(".", "-")
    if not text:
        return None, ""
    try:
        return datetime.date.fromisoformat(text[:10]), ""
    except ValueError:
        return None, _("日期格式应为 YYYY-MM-DD")


def parse_category(value) -> tuple[str, str]:
    """A pesticide category by code or Chinese label; blank allowed."""
    text = str(value or "").strip()
    if not text:
        return "", ""
    if text in InputCategory.values:
        return text, ""
    if text in CATEGORY_BY_LABEL:
        return CATEGORY_BY_LABEL[text], ""
    return "", _("类别应为：%s") % "、".join(CATEGORY_BY_LABEL)


def parse_crop_category(value) -> str:
    """"01", 1.0, "01 粮食及制品" or "粮食及制品" → "01"; anything else → ""."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value or "").strip()
    match = re.match(r"^(\d{1,2})\b", text)
    if match:
        code = match.group(1).zfill(2)
        return code if code in CROP_CATEGORY_LABELS else ""
    by_label = {str(label): code for code, label in CROP_CATEGORY_LABELS.items()}
    return by_label.get(text, "")


def clean_limit(raw: dict) -> tuple[dict, dict]:
    """One residue limit as typed → (values, {field: problem}). Crop, product category, a positive
    and plausible maximum and a unit from the fixed set are required."""
    errors: dict[str, str] = {}
    crop = str(raw.get("crop") or "").strip()
    if not crop:
        errors["crop"] = _("请填写作物名称（如 水稻、柑橘）")
    elif len(crop) > 60:
        errors["crop"] = _("作物名称不超过 60 字")
    crop_category = parse_crop_category(raw.get("crop_category"))
    if not crop_category:
        errors["crop_category"] = _("请填写绿色食品产品类别代码（如 01 粮食及制品、03 蔬菜及制品、04 水果及制品）")
    unit_text = str(raw.get("unit") or "").strip()
    unit = UNIT_SPELLINGS.get(unit_text.lower() if unit_text.isascii() else unit_text, "")
    if not unit_text:
        errors["unit"] = _("请填写单位（mg/kg 或 μg/kg）")
    elif not unit:
        errors["unit"] = _("单位应为 mg/kg 或 μg/kg，不能是“%s”") % unit_text
    value = raw.get("max_value")
    try:
        number = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors["max_value"] = _("请填写最大残留限量")
    elif number is None or not number.is_finite():
        errors["max_value"] = _("最大残留限量应为数字")
    elif number <= 0:
        errors["max_value"] = _("最大残留限量应大于 0（不能为负数或 0）")
    elif number != number.quantize(Decimal("0.000001")):
        errors["max_value"] = _("最大残留限量最多保留 6 位小数")
    elif unit and number * MG_PER_KG[unit] > ABSURD_MG_PER_KG:
        errors["max_value"] = _("最大残留限量 %(v)s %(u)s 超出合理范围（不超过 1000 mg/kg），请核对") % {
            "v": f"{number.normalize():f}", "u": unit}
    source = str(raw.get("source_standard") or "").strip()
    if len(source) > 120:
        errors["source_standard"] = _("依据标准不超过 120 字")
    start, problem = parse_date(raw.get("effective_from"))
    if problem:
        errors["effective_from"] = problem
    end, problem = parse_date(raw.get("effective_until"))
    if problem:
        errors["effective_until"] = problem
    elif start and end and end < start:
        errors["effective_until"] = _("失效日期不能早于生效日期")
    demo = raw.get("is_demo")
    is_demo = demo if isinstance(demo, bool) else str(demo or "").strip().lower() in {"是", "true", "1", "yes", "y"}
    return {"crop": crop, "crop_category": crop_category, "max_value": number, "unit": unit,
            "source_standard": source, "effective_from": start, "effective_until": end, "is_demo": is_demo}, errors


def overlap(new: dict, others) -> dict | None:
    """The first of `others` (dicts or ResidueLimit rows) for the same crop whose days overlap
    `new`'s; open ends count as for ever."""
    low, high = datetime.date.min, datetime.date.max

    def get(row, name):
        return row[name] if isinstance(row, dict) else getattr(row, name)

    start, end = new["effective_from"] or low, new["effective_until"] or high
    for other in others:
        if normalise_name(get(other, "crop")) != normalise_name(new["crop"]):
            continue
        if start <= (get(other, "effective_until") or high) and (get(other, "effective_from") or low) <= end:
            return other if isinstance(other, dict) else {n: get(other, n) for n in LIMIT_FIELDS}
    return None


def overlap_message(crop: str, other: dict) -> str:
    start = other["effective_from"].isoformat() if other["effective_from"] else _("清单生效")
    end = other["effective_until"].isoformat() if other["effective_until"] else _("长期")
    return _("“%(crop)s”已有适用期为 %(start)s 至 %(end)s 的残留限量，日期重叠：请先删除原限量，或设定不重叠的日期") % {
        "crop": crop, "start": start, "end": end}

"""Excel in and out for allowed-input lists: the template (one row per input and crop limit),
reading a filled file (python-calamine), planning an import (every row checked, nothing written)
and exporting a list in the template's layout so it can be edited and imported into the next
version."""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from python_calamine import CalamineWorkbook

from sanpin.core.errors import ValidationFailed

from .choices import CROP_CATEGORIES, InputCategory, ResidueUnit
from .cleaning import clean_limit, normalise_name, overlap, overlap_message
from .services import clean_input

SHEET = "可用投入品"
MAX_ROWS = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024
# Header → field, in template order; * marks what every row needs.
COLUMNS = (
    ("通用名", "common_name"),
    ("有效成分", "active_ingredient"),
    ("类别", "category"),
    ("使用限制/备注", "restrictions"),
    ("作物", "crop"),
    ("产品类别代码", "crop_category"),
    ("最大残留限量", "max_value"),
    ("单位", "unit"),
    ("依据标准", "source_standard"),
    ("限量生效日期", "effective_from"),
    ("限量失效日期", "effective_until"),
    ("演示数据", "is_demo"),
)
LIMIT_COLUMNS = ("crop", "crop_category", "max_value", "unit", "source_standard", "effective_from",
                 "effective_until")
FIELD_LABELS = {name: header for header, name in COLUMNS}


@dataclass
class Row:
    row_no: int
    cells: dict


@dataclass
class ImportOutcome:
    """What an import would write (or wrote): inputs with their limits, and every bad row."""

    inputs: list = field(default_factory=list)  # [{"values": {...}, "limits": [...], "new": bool}]
    problems: list = field(default_factory=list)  # ["第 3 行：作物：请填写作物名称", ...]
    rows: int = 0
    dry_run: bool = False
    written: bool = False

    @property
    def new_inputs(self) -> int:
        return sum(1 for planned in self.inputs if planned["new"])

    @property
    def limit_count(self) -> int:
        return sum(len(planned["limits"]) for planned in self.inputs)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if not isinstance(value, str) else value.strip()


def _header(value) -> str:
    return str(_text(value)).replace(" ", "").replace("\u3000", "").strip("*")


def _unreadable():
    return ValidationFailed(_("无法读取该文件，请上传由模板填写的 .xlsx 格式 Excel 文件"),
                            fields={"file": _("文件不是有效的 Excel 文件")})


def read_rows(data: bytes) -> list[Row]:
    """The non-empty data rows of sheet 可用投入品 (or the first sheet). A file too large,
    unreadable or not made from the template is refused as a whole."""
    if not data:
        raise ValidationFailed(fields={"file": _("请选择文件")})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(fields={"file": _("文件不能超过 5 MB")})
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = SHEET if SHEET in book.sheet_names else book.sheet_names[0]
        raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several error types for a damaged or foreign file
        raise _unreadable() from exc
    if not raw:
        raise ValidationFailed(fields={"file": _("文件中没有任何数据")})
    headers = [_header(h) for h in raw[0]]
    missing = [header for header, _name in COLUMNS[:1] + COLUMNS[4:8] if header not in headers]
    if missing:
        raise ValidationFailed(_("文件不是可用投入品导入模板，缺少列：%s") % "、".join(missing),
                               fields={"file": _("缺少列：%s。请下载模板填写") % "、".join(missing)})
    positions = {name: headers.index(header) for header, name in COLUMNS if header in headers}
    rows = []
    for row_no, cells in enumerate(raw[1:], start=2):
        values = {name: _text(cells[i]) if i < len(cells) else "" for name, i in positions.items()}
        if any(v not in ("", None) for v in values.values()):
            rows.append(Row(row_no, values))
    if not rows:
        raise ValidationFailed(fields={"file": _("表头以下没有数据行")})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(fields={"file": _("一次最多导入 %d 行") % MAX_ROWS})
    return rows


def plan_import(lst, rows: list[Row]) -> ImportOutcome:
    """Check every row against the list and the rows before it; write nothing. Rows naming the same
    common name add limits to one input (its other columns are taken from its first row); an input
    already on the list gets the new limits only."""
    outcome = ImportOutcome(rows=len(rows))
    existing = {normalise_name(i.common_name): i for i in lst.inputs.prefetch_related("limits")}
    planned: dict[str, dict] = {}
    for row in rows:
        values, errors = clean_input(row.cells)
        key = normalise_name(values["common_name"])
        has_limit = any(row.cells.get(name) not in ("", None) for name in LIMIT_COLUMNS)
        limit = None
        if has_limit:
            limit, limit_errors = clean_limit(row.cells)
            errors.update(limit_errors)
        if not errors and limit is not None:
            entry = planned.get(key)
            others = list(existing[key].limits.all()) if key in existing else []
            clash = overlap(limit, others + (entry["limits"] if entry else []))
            if clash:
                errors["effective_from"] = overlap_message(limit["crop"], clash)
        if errors:
            outcome.problems.append(_("第 %(row)d 行：%(items)s") % {"row": row.row_no, "items": "；".join(
                f"{FIELD_LABELS.get(name, name)}：{problem}" for name, problem in errors.items())})
            continue
        entry = planned.get(key)
        if entry is None:
            entry = planned[key] = {"values": values, "limits": [], "new": key not in existing}
        elif key not in existing and not has_limit:
            outcome.problems.append(_("第 %(row)d 行：通用名：“%(name)s”在文件中重复") % {
                "row": row.row_no, "name": values["common_name"]})
            continue
        if limit is not None:
            entry["limits"].append(limit)
    outcome.inputs = list(planned.values())
    return outcome


def _workbook_with_header():
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _name in COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9EAD3")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for column, width in zip("ABCDEFGHIJKL", (14, 20, 14, 30, 12, 14, 14, 8, 28, 14, 14, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return book, sheet


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    book, _sheet = _workbook_with_header()
    notes = book.create_sheet("填写说明")
    for line in (
        "每行一个投入品在一种作物上的残留限量；同一投入品有多种作物时，写多行，通用名相同。",
        "通用名必填；有效成分、使用限制/备注可空。",
        f"类别：{'、'.join(str(label) for _c, label in InputCategory.choices)}；肥料等其他投入品可留空。",
        "作物、产品类别代码、最大残留限量、单位：填写残留限量时都必填；只列入清单、不设限量时这几列都留空。",
        f"产品类别代码（绿色食品产品类别）：{'；'.join(f'{code} {label}' for code, label in CROP_CATEGORIES)}。",
        f"单位：{' 或 '.join(ResidueUnit.values)}。最大残留限量须大于 0，且不超过 1000 mg/kg。",
        "限量生效/失效日期：YYYY-MM-DD，留空表示随清单生效、长期有效；同一投入品同一作物的日期不得重叠。",
        "演示数据：填“是”表示数值未与依据标准逐条核对。",
        "任何一行有误时整份文件都不会导入，系统会列出每一个错误行及原因；可先“仅校验”。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return _save(book)


def export_xlsx(lst) -> bytes:
    """A list in the template's layout: one row per limit, one row for an input without limits."""
    book, sheet = _workbook_with_header()
    for item in lst.inputs.prefetch_related("limits"):
        head = [item.common_name, item.active_ingredient, item.get_category_display() if item.category else "",
                item.restrictions]
        limits = list(item.limits.all())
        if not limits:
            sheet.append(head + [""] * 8)
        for limit in limits:
            sheet.append([*head, limit.crop, limit.crop_category, float(limit.max_value), limit.unit,
                          limit.source_standard,
                          limit.effective_from.isoformat() if limit.effective_from else "",
                          limit.effective_until.isoformat() if limit.effective_until else "",
                          "是" if limit.is_demo else "否"])
    info = book.create_sheet("清单信息")
    for label, value in (("清单名称", lst.title), ("投入品类别", lst.get_kind_display()),
                         ("适用地区", lst.issuer_region.name if lst.issuer_region_id else "全国"),
                         ("发布机构", lst.issuer_name), ("发布文件", lst.source_document),
                         ("生效日期", lst.effective_from.isoformat()),
                         ("失效日期", lst.effective_until.isoformat() if lst.effective_until else ""),
                         ("状态", lst.get_status_display())):
        info.append([label, value])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 60
    return _save(book)

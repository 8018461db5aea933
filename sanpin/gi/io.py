"""Excel in and out for the historical GI register: read the sheet (python-calamine) and write
its template (openpyxl). Parsing only; validation and writing are in services."""

import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from python_calamine import CalamineError, CalamineWorkbook

from sanpin.core.errors import ValidationFailed

MAX_ROWS = 5000

# Header (spaces and a trailing parenthesised hint removed) → field.
COLUMNS = {
    "登记证书编号": "number",
    "产品名称": "product_name",
    "登记日期": "registered_on",
    "证书持有人统一社会信用代码": "holder_uscc",
    "地域范围": "counties",
    "品质特征": "quality_characteristics",
    "生产技术规范": "specification",
}
TEMPLATE_HEADERS = [
    "登记证书编号", "产品名称", "登记日期", "证书持有人统一社会信用代码", "地域范围（县级区划代码，以逗号分隔）",
    "品质特征", "生产技术规范",
]
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class SheetRow:
    """One data row as read: Excel row number, the cells as text, and the date cell as read."""

    row_no: int
    cells: dict[str, str]
    raw_date: object = None


def cell_text(value) -> str:
    """Cells as text: calamine gives floats for integers (450102.0 → "450102")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def normalise_header(value) -> str:
    text = cell_text(value).replace(" ", "").replace("\u3000", "")
    return re.sub(r"[（(].*?[)）]$", "", text)


def parse_date(value) -> datetime.date | None:
    """A date from a date cell or from text in one of the usual Chinese forms; None if neither."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def split_codes(text: str) -> list[str]:
    """County codes separated by commas (ASCII or Chinese), semicolons, 、 or spaces."""
    return [part for part in re.split(r"[,，;；、\s]+", text) if part]


def read_sheet(file) -> list[SheetRow]:
    """The non-empty data rows of the first sheet; one clear error for a file that is not a
    readable workbook or lacks the columns."""
    try:
        data = file.read() if hasattr(file, "read") else file
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError, TypeError) as exc:
        raise ValidationFailed(
            _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件"), fields={"file": _("文件不是有效的 Excel 文件")}
        ) from exc
    if not rows:
        raise ValidationFailed(_("文件为空"), fields={"file": _("文件中没有任何数据")})
    headers = [normalise_header(h) for h in rows[0]]
    positions = {COLUMNS[h]: i for i, h in enumerate(headers) if h in COLUMNS}
    missing = [h for h, name in COLUMNS.items() if name not in positions]
    if missing:
        raise ValidationFailed(
            _("缺少必需的列"),
            fields={"file": _("第1行须为表头，缺少列：%(cols)s，请使用下载的模板") % {"cols": "、".join(missing)}},
        )
    out = []
    for offset, raw in enumerate(rows[1:], start=2):
        cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        if not any(cells.values()):
            continue
        date_at = positions["registered_on"]
        out.append(SheetRow(row_no=offset, cells=cells, raw_date=raw[date_at] if date_at < len(raw) else None))
    if not out:
        raise ValidationFailed(_("文件中没有数据行"), fields={"file": _("表头以下没有任何数据行")})
    if len(out) > MAX_ROWS:
        raise ValidationFailed(_("文件行数过多"), fields={"file": _("一次最多导入 %(n)d 行") % {"n": MAX_ROWS}})
    return out


def registration_template() -> bytes:
    """The import template: headers and an instructions sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "地理标志登记"
    sheet.append(TEMPLATE_HEADERS)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9EAD3")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for column, width in zip("ABCDEFG", (14, 20, 12, 24, 34, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for line in (
        "登记证书编号：如 AGI01234（AGI 加5位数字），必填，不得与已登记或本文件其他行重复。",
        "产品名称、登记日期、证书持有人统一社会信用代码、地域范围、品质特征：必填；生产技术规范可留空。",
        "登记日期：日期格式，或文本 2015-06-01、2015/6/1、2015年6月1日。",
        "证书持有人须已在系统中登记为主体（按统一社会信用代码查找），且在您的管辖范围内。",
        "地域范围：该产品覆盖的县级行政区划代码（6位），多个以逗号分隔。",
        "任何一行有误时整份文件都不会导入，系统会列出每一个错误行及原因；可先“仅校验”。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

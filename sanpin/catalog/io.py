"""Excel in and out for regions: read the flag sheet (python-calamine) and write its template
(openpyxl). Parsing only; validation and writing are in services.regions_import_xlsx."""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from sanpin.core.errors import ValidationFailed

MAX_ROWS = 5000

# Header (without a trailing "(是/否)" hint) → field. 名称 is informational and ignored.
COLUMNS = {
    "区划代码": "code",
    "脱贫县": "poverty_exit_county",
    "脱贫年份": "poverty_exit_year",
    "国家乡村振兴重点帮扶县": "key_assistance_county",
    "来源": "flags_source",
    "编号省份代码": "number_code",
}
TEMPLATE_HEADERS = [
    "区划代码", "名称", "脱贫县(是/否)", "脱贫年份", "国家乡村振兴重点帮扶县(是/否)", "来源", "编号省份代码",
]
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}


@dataclass
class SheetRow:
    """One data row as read: Excel row number and the cells of the known columns, as text."""

    row_no: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)


def cell_text(value) -> str:
    """Cells as text: calamine gives floats for integers (450102.0 → "450102") and bools."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(value) -> str:
    text = cell_text(value).replace(" ", "")
    return re.sub(r"[（(].*?[)）]$", "", text)


def parse_yes_no(text: str) -> bool | None:
    """True/False, or None when the text is neither."""
    lowered = text.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


def read_region_sheet(file) -> tuple[list[str], list[SheetRow]]:
    """The known columns present and the non-empty data rows of the first sheet."""
    try:
        data = file.read() if hasattr(file, "read") else file
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise ValidationFailed(
            _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件"), fields={"file": _("文件不是有效的 Excel 文件")}
        ) from exc
    if not rows:
        raise ValidationFailed(_("文件为空"), fields={"file": _("文件中没有任何数据")})
    headers = [normalise_header(h) for h in rows[0]]
    positions = {COLUMNS[h]: i for i, h in enumerate(headers) if h in COLUMNS}
    if "code" not in positions:
        raise ValidationFailed(
            _("缺少“区划代码”列"), fields={"file": _("第1行须为表头，且包含“区划代码”列，请使用下载的模板")}
        )
    out = []
    for offset, raw in enumerate(rows[1:], start=2):
        cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        if not any(cells.values()):
            continue
        out.append(SheetRow(row_no=offset, cells=cells))
    if not out:
        raise ValidationFailed(_("文件中没有数据行"), fields={"file": _("表头以下没有任何数据行")})
    if len(out) > MAX_ROWS:
        raise ValidationFailed(
            _("文件行数过多"), fields={"file": _("一次最多导入 %(n)d 行") % {"n": MAX_ROWS}}
        )
    return list(positions), out


def region_template(regions=()) -> bytes:
    """The import template: headers, a yes/no picker, an instructions sheet, and optionally the
    current values of `regions` so an administrator edits rather than retypes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "区划标识"
    sheet.append(TEMPLATE_HEADERS)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9EAD3")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for region in regions:
        sheet.append([
            region.code,
            region.full_name or region.name,
            "是" if region.poverty_exit_county else "否",
            region.poverty_exit_year or None,
            "是" if region.key_assistance_county else "否",
            region.flags_source,
            region.number_code or None,
        ])
    for column, width in zip("ABCDEFG", (12, 36, 14, 10, 28, 48, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    picker = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(picker)
    picker.add(f"C2:C{MAX_ROWS + 1}")
    picker.add(f"E2:E{MAX_ROWS + 1}")

    notes = workbook.create_sheet("填写说明")
    for line in (
        "区划代码：6位行政区划代码（GB/T 2260），必填。名称列仅供核对，导入时不读取。",
        "脱贫县、国家乡村振兴重点帮扶县：填“是”或“否”，留空视为“否”；只能用于县级区划。",
        "脱贫年份：脱贫县须填写脱贫摘帽年份（四位数字）；不是脱贫县时留空。",
        "来源：标识的依据，如公告名称、文号和日期；任一标识为“是”时必填。",
        "编号省份代码：仅省级区划填写，两位数字 01–50（51 起用于国外产品）。",
        "任何一行有误时整份文件都不会导入，系统会列出每一个错误行及原因；可先“仅校验”。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

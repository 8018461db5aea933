"""The base workbook: the template with its validation hints (openpyxl), reading an uploaded file
(python-calamine, row by row), and writing the refused rows. The checks on values are not here:
every row goes through sanpin.bases.validation, like the form and the API."""

import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from sanpin.core.errors import ValidationFailed
from sanpin.records_import.io import cell_text

from .choices import BaseLevel, BaseType
from .validation import FIELDS, LATITUDE, LENGTHS, LONGITUDE, MAX_AREA_MU, MAX_OUTPUT_TONS, REQUIRED

SHEET = "基地"
HELP_SHEET = "填写说明"
# Header → field, in the order of validation.FIELDS.
COLUMNS = {
    "基地名称": "name", "基地类型": "base_type", "基地级别": "level", "运营主体统一社会信用代码": "operator",
    "县级区划代码": "county", "产品": "products", "品种": "varieties", "面积（亩）": "area_mu",
    "年产量（吨）": "output_tons", "地点": "location", "经度": "longitude", "纬度": "latitude",
    "种养范围": "coverage", "技术措施": "techniques", "责任人": "responsible_person",
}
assert tuple(COLUMNS.values()) == FIELDS  # the template follows the one list of fields
LABELS = {name: header for header, name in COLUMNS.items()}
TEXT_FIELDS = ("operator", "county")  # codes: stored as text so Excel keeps every digit
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_ROWS = 200_000
TEMPLATE_ROWS = 200_000  # how far down the dropdowns and number checks reach in the template


@dataclass(slots=True)
class Row:
    """One data row: its Excel row number, its cells as text in the order of FIELDS (a list, not
    a dict: 100,000 rows stay small), and any problem found while reading a cell."""

    row_no: int
    cells: list
    cell_errors: dict | None = None


def _hints() -> dict:
    """The comment on each header: required or not, and the format."""
    types = "、".join(str(label) for label in BaseType.labels)
    levels = "、".join(str(label) for label in BaseLevel.labels)
    return {
        "name": _("同一县内不能重名，不超过 %(n)d 个字") % {"n": LENGTHS["name"]},
        "base_type": _("从下拉列表选择：%(v)s") % {"v": types},
        "level": _("从下拉列表选择：%(v)s") % {"v": levels},
        "operator": _("18 位统一社会信用代码，运营主体须已在系统中登记；请按文本填写"),
        "county": _("6 位县级行政区划代码，如 450102；须在本账号管辖范围内"),
        "products": _("主要产品，多个用顿号分隔，不超过 %(n)d 个字") % {"n": LENGTHS["products"]},
        "varieties": _("不超过 %(n)d 个字") % {"n": LENGTHS["varieties"]},
        "area_mu": _("数字，单位亩，大于 0，不超过 %(max)s") % {"max": f"{MAX_AREA_MU:,}"},
        "output_tons": _("数字，单位吨，不小于 0，不超过 %(max)s") % {"max": f"{MAX_OUTPUT_TONS:,}"},
        "location": _("基地所在乡镇、村等，不超过 %(n)d 个字") % {"n": LENGTHS["location"]},
        "longitude": _("数字，%(low)s 至 %(high)s，可不填") % {"low": LONGITUDE[0], "high": LONGITUDE[1]},
        "latitude": _("数字，%(low)s 至 %(high)s，可不填") % {"low": LATITUDE[0], "high": LATITUDE[1]},
        "coverage": _("标识牌内容：种养范围，不超过 %(n)d 个字") % {"n": LENGTHS["coverage"]},
        "techniques": _("标识牌内容：主要技术措施，不超过 %(n)d 个字") % {"n": LENGTHS["techniques"]},
        "responsible_person": _("标识牌内容：责任人，不超过 %(n)d 个字") % {"n": LENGTHS["responsible_person"]},
    }


def _required_mark(name: str) -> str:
    return _("* 必填。") if name in REQUIRED else _("选填。")


def template_xlsx() -> bytes:
    """The empty template: sheet 基地 with the headers, a comment on each (required or not and
    the format), dropdowns for type and level, number checks, text format for the codes; sheet
    填写说明 with the rules."""
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    hints = _hints()
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, name in enumerate(FIELDS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if name in REQUIRED else "000000")
        if name in REQUIRED:
            cell.fill = required_fill
        comment = Comment(f"{_required_mark(name)}{hints[name]}", "sanpin")
        comment.width, comment.height = 260, 110
        cell.comment = comment
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = 28 if name in ("name", "operator", "base_type", "location") else 16
        if name in TEXT_FIELDS:
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"

    def column_range(name: str) -> str:
        letter = get_column_letter(FIELDS.index(name) + 1)
        return f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"

    for name, choices in (("base_type", BaseType), ("level", BaseLevel)):
        listed = ",".join(str(label) for label in choices.labels)
        check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=False, showErrorMessage=True,
                               errorTitle=_("请从下拉列表选择"),
                               error=_("只能填写：%(v)s") % {"v": listed.replace(",", "、")})
        check.add(column_range(name))
        ws.add_data_validation(check)
    for name, low, high in (("area_mu", "0.01", MAX_AREA_MU), ("output_tons", "0", MAX_OUTPUT_TONS),
                            ("longitude", LONGITUDE[0], LONGITUDE[1]), ("latitude", LATITUDE[0], LATITUDE[1])):
        check = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high),
                               allow_blank=name not in REQUIRED, showErrorMessage=True, errorTitle=_("数值有误"),
                               error=_("%(col)s应为 %(low)s 至 %(high)s 之间的数字") % {
                                   "col": LABELS[name], "low": low, "high": high})
        check.add(column_range(name))
        ws.add_data_validation(check)

    rules = book.create_sheet(HELP_SHEET)
    rules.append([_("列"), _("是否必填"), _("填写要求")])
    for cell in rules[1]:
        cell.font = Font(bold=True)
    for name in FIELDS:
        rules.append([LABELS[name], _("必填") if name in REQUIRED else _("选填"), hints[name]])
    rules.append([])
    for line in (
        _("1. 请勿修改“基地”工作表的表头；第一行为表头，从第二行起每行一个基地。"),
        _("2. 统一社会信用代码和区划代码请按文本填写，避免 Excel 把它们变成数字而丢失位数。"),
        _("3. 导入前可勾选“仅校验（试运行）”：系统列出每个有误的单元格（行号、列、原因），不写入任何数据。"),
        _("4. 正式导入时，只要有一行有误，整个文件都不会导入；请改正后重新上传整个文件。"),
        _("5. 同一文件内、或与系统中已有基地在同一县内重名的，视为重复，不能导入。"),
        _("6. 导入的基地状态为“按标建设”，之后按验收、复核流程纳入目录。"),
        _("7. 单个文件不超过 %(mb)d MB、%(rows)s 行。") % {"mb": MAX_FILE_BYTES // (1024 * 1024),
                                                         "rows": f"{MAX_ROWS:,}"},
    ):
        rules.append([line])
    rules.column_dimensions["A"].width = 26
    rules.column_dimensions["B"].width = 10
    rules.column_dimensions["C"].width = 80
    for row in rules.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(value) -> str:
    return cell_text(value).replace(" ", "").replace("\u3000", "").replace("(", "（").replace(")", "）").strip("*")


def _unreadable(exc=None):
    return ValidationFailed(_("无法读取该文件，请上传由模板填写的 .xlsx 格式 Excel 文件"),
                            fields={"file": _("文件不是有效的 Excel 文件")})


def _cell(value) -> str:
    """cell_text for the types calamine gives, the common ones tested first (1.5 million cells
    in a 100,000-row file)."""
    kind = type(value)
    if kind is str:
        return value.strip()
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    return cell_text(value)


class Sheet:
    """Sheet 基地 of an uploaded workbook, checked to be the template. `rows()` yields its data
    rows one at a time, so a large file never sits in memory as Python objects; `expected` is
    the number of rows below the header (empty ones included), known before reading them."""

    def __init__(self, name: str, rows, header_no: int, headers: list[str], expected: int):
        self.name, self._rows, self._header_no, self.expected = name, rows, header_no, expected
        self._positions = [headers.index(h) for h in COLUMNS]  # in the order of FIELDS
        self._codes = [(name, headers.index(LABELS[name])) for name in TEXT_FIELDS]

    def rows(self) -> Iterator[Row]:
        """Every non-empty data row. Refuses the whole file (ValidationFailed) when it has more
        than MAX_ROWS of them, none at all, or turns out damaged part way."""
        positions, codes, count = self._positions, self._codes, 0
        try:
            for row_no, raw in enumerate(self._rows, start=self._header_no + 1):
                width = len(raw)
                cells = [_cell(raw[i]) if i < width else "" for i in positions]
                if not any(cells):
                    continue
                cell_errors = None
                for name, i in codes:
                    value = raw[i] if i < width else ""
                    if type(value) is str or not isinstance(value, float | int) or isinstance(value, bool):
                        continue
                    if name == "operator":
                        reason = _("统一社会信用代码须按文本填写（数字格式会丢失位数），请把该列设为文本后重新填写")
                    elif not float(value).is_integer():
                        reason = _("应为 6 位区划代码")
                    else:
                        continue  # 450102.0 is the code 450102
                    cell_errors = {**(cell_errors or {}), name: reason}
                count += 1
                if count > MAX_ROWS:
                    raise ValidationFailed(_("一次最多导入 %(n)s 行，请分成几个文件导入") % {"n": f"{MAX_ROWS:,}"},
                                           fields={"file": _("行数过多")})
                yield Row(row_no, cells, cell_errors)
        except ValidationFailed:
            raise
        except Exception as exc:  # calamine raises several error types for a damaged file
            raise _unreadable() from exc
        if not count:
            raise ValidationFailed(_("“%(sheet)s”工作表表头以下没有数据行") % {"sheet": self.name},
                                   fields={"file": _("没有数据行")})


def open_sheet(data: bytes) -> Sheet:
    """Sheet 基地 (or the only sheet, if renamed) with its header checked. A file that is too
    large, unreadable, or not made from the template is refused as a whole with one message."""
    if len(data) > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise ValidationFailed(_("文件超过 %(mb)d MB，请分成几个文件导入") % {"mb": mb},
                               fields={"file": _("文件过大（不超过 %(mb)d MB）") % {"mb": mb}})
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        name = SHEET if SHEET in names else names[0]
        sheet = book.get_sheet_by_name(name)
        last_row = sheet.end[0] if sheet.end else -1  # calamine counts from 0 and yields rows from the first
        rows = sheet.iter_rows()
        header_no, header = 0, []
        for header_no, header in enumerate(rows, start=1):  # noqa: B007 - the first non-empty row is the header
            if any(cell_text(c) for c in header):
                break
        else:
            raise ValidationFailed(_("“%(sheet)s”工作表是空的") % {"sheet": name},
                                   fields={"file": _("没有表头和数据")})
    except ValidationFailed:
        raise
    except Exception as exc:  # calamine raises several error types for a damaged or foreign file
        raise _unreadable() from exc
    headers = [_header(h) for h in header]
    missing = [h for h in COLUMNS if h not in headers]
    if missing:
        raise ValidationFailed(
            _("文件不是基地导入模板：“%(sheet)s”工作表缺少列：%(cols)s。请下载模板填写") % {
                "sheet": name, "cols": "、".join(missing)},
            fields={"file": _("缺少列：%(cols)s") % {"cols": "、".join(missing)}})
    return Sheet(name, rows, header_no, headers, expected=max(last_row + 1 - header_no, 0))


def refused_xlsx(problems, cells_by_row: dict[int, list[str]]) -> bytes:
    """The refused rows: row number, column, reason, then the row's original cells, one line per
    refused cell (write-only, so a file with many refused rows stays small in memory)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(_("未通过校验的行"))
    ws.append([_("行号"), _("列"), _("原因"), *COLUMNS])
    for p in problems:
        ws.append([p.row, p.column, p.reason, *cells_by_row.get(p.row, [])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_xlsx(rows, extra_headers, progress=None, total: int = 0) -> bytes:
    """A list of bases: the template's columns then `extra_headers`; `rows` yields lists."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(SHEET)
    ws.append([*COLUMNS, *extra_headers])
    done = 0
    for row in rows:
        ws.append(row)
        done += 1
        if progress is not None and done % 500 == 0:
            progress(done, total, _("正在导出"))
    if progress is not None:
        progress(done, total, _("正在导出"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Targets in Excel: the template (openpyxl), reading a filled-in workbook (python-calamine, as the
base directory does) and importing it all or nothing, and the progress table as a workbook.

Columns: 地区代码 / 地区名称 / 年度 / 指标 / 计划数 / 依据. Every row is checked by
target_services.check_target, like the page and the API; a dry run lists every bad row with a
Chinese message, and an import with any bad row writes nothing."""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from sanpin.core.errors import ValidationFailed
from sanpin.records_import.io import cell_text

from .models import TargetMeasure
from .target_services import check_target, settable_regions, targets_write

SHEET = "发展目标"
COLUMNS = {"地区代码": "region", "地区名称": "name", "年度": "year", "指标": "measure", "计划数": "value",
           "依据": "source"}
LABELS = {name: header for header, name in COLUMNS.items()}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    dry_run: bool
    total: int = 0
    written: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


def template_xlsx(actor, *, year: int, measure: str = TargetMeasure.GREEN_ORGANIC) -> bytes:
    """The template, one row per region the actor sets targets for, year and measure filled in."""
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    label = str(TargetMeasure(measure).label)
    for region in settable_regions(actor):
        ws.append([region.code, region.name, year, label, None, ""])
    for column, width in zip("ABCDEF", (12, 18, 8, 24, 10, 48), strict=True):
        ws.column_dimensions[column].width = width
    ws.column_dimensions["A"].number_format = "@"
    listed = ",".join(str(label) for label in TargetMeasure.labels)
    check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=False, showErrorMessage=True,
                           errorTitle=_("请从下拉列表选择"), error=_("只能填写列表中的指标"))
    check.add(f"D2:D{MAX_ROWS + 1}")
    ws.add_data_validation(check)
    numbers = DataValidation(type="whole", operator="between", formula1="0", formula2="1000000", allow_blank=True,
                             showErrorMessage=True, errorTitle=_("数值有误"), error=_("计划数应为 0 以上的整数"))
    numbers.add(f"E2:E{MAX_ROWS + 1}")
    ws.add_data_validation(numbers)
    ws.freeze_panes = "A2"
    rules = book.create_sheet(_("填写说明"))
    for line in (
        _("1. 每行一个地区的一个年度、一个指标的计划数（个），以当年 12 月 31 日有效期内的产品个数计；"
          "市场专区、商超专柜按当日开设中的个数计，推广专员按当日已培训且未离岗的人数计。"),
        _("2. 国家级填报各省（自治区、直辖市）的目标；省级填报本省各市（含省直辖县）的目标。"),
        _("3. 指标可填：%(v)s。") % {"v": "；".join(str(label) for label in TargetMeasure.labels)},
        _("4. 计划数为 0 以上的整数；依据填写文件名称或文号（不超过 200 字）。"),
        _("5. 先勾选“仅校验（试运行）”检查；只要有一行有误，整个文件都不会导入。"),
        _("6. 已有目标的地区、年度和指标，导入后以文件中的计划数为准。"),
    ):
        rules.append([line])
    rules.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(value) -> str:
    return cell_text(value).replace(" ", "").replace("\u3000", "").strip("*")


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(Excel row number, {field: text}) for every non-empty data row; a file that is not a
    workbook made from the template is refused as a whole."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(fields={"file": _("文件过大（不超过 %(mb)d MB）") % {"mb": MAX_FILE_BYTES >> 20}})
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = SHEET if SHEET in book.sheet_names else book.sheet_names[0]
        raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several error types for a damaged or foreign file
        raise ValidationFailed(_("无法读取该文件，请上传由模板填写的 .xlsx 文件"),
                               fields={"file": _("文件不是有效的 Excel 文件")}) from exc
    header_at = next((i for i, row in enumerate(raw) if any(cell_text(c) for c in row)), None)
    if header_at is None:
        raise ValidationFailed(fields={"file": _("没有表头和数据")})
    headers = [_header(h) for h in raw[header_at]]
    missing = [h for h in COLUMNS if h not in headers]
    if missing:
        raise ValidationFailed(_("文件不是发展目标模板，缺少列：%(cols)s") % {"cols": "、".join(missing)},
                               fields={"file": _("缺少列：%(cols)s") % {"cols": "、".join(missing)}})
    positions = {COLUMNS[h]: headers.index(h) for h in COLUMNS}
    rows = []
    for index, line in enumerate(raw[header_at + 1:], start=header_at + 2):
        values = {name: cell_text(line[i]) if i < len(line) else "" for name, i in positions.items()}
        if any(values.values()):
            rows.append((index, values))
        if len(rows) > MAX_ROWS:
            raise ValidationFailed(fields={"file": _("一次最多导入 %(n)d 行") % {"n": MAX_ROWS}})
    if not rows:
        raise ValidationFailed(fields={"file": _("表头以下没有数据行")})
    return rows


FIELD_COLUMN = {"region": "地区代码", "year": "年度", "measure": "指标", "value": "计划数", "source": "依据"}


def targets_import(*, actor, data: bytes, dry_run: bool) -> ImportResult:
    """Check every row; unless it is a dry run and only if no row is bad, write them all."""
    rows = read_rows(data)
    result = ImportResult(dry_run=dry_run, total=len(rows))
    clean_rows, seen = [], {}
    for row_no, values in rows:
        clean, errors = check_target(actor, region=values["region"], year=values["year"],
                                     measure=values["measure"], value=values["value"], source=values["source"])
        for name, reason in errors.items():
            result.problems.append(Problem(row_no, FIELD_COLUMN[name], reason))
        if clean is None:
            continue
        if values["name"] and values["name"] != clean.region.name:
            result.problems.append(Problem(row_no, "地区名称", _("地区名称与代码不符：%(code)s 是“%(name)s”") % {
                "code": clean.region.code, "name": clean.region.name}))
            continue
        key = (clean.region.code, clean.year, clean.measure)
        if key in seen:
            result.problems.append(Problem(row_no, "地区代码", _("与第 %(row)d 行重复（同一地区、年度和指标）") % {
                "row": seen[key]}))
            continue
        seen[key] = row_no
        clean_rows.append(clean)
    if result.ok and not dry_run:
        result.written = len(targets_write(actor=actor, targets=clean_rows))
    return result


def progress_xlsx(progress) -> bytes:
    """The progress table as shown on the page, with the total row."""
    book = Workbook()
    ws = book.active
    ws.title = _("目标进度")
    scope = progress.region.name if progress.region else _("全国")
    ws.append([_("%(year)d 年%(measure)s发展目标进度（%(scope)s，统计日 %(on)s）") % {
        "year": progress.year, "measure": progress.measure_label, "scope": scope, "on": progress.on.isoformat()}])
    ws.append([_("地区代码"), _("地区名称"), _("计划数"), progress.count_label, _("完成率（%）"), _("差额"), _("依据")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in progress.rows:
        ws.append([row.region.code, row.region.name, row.target, row.valid,
                   float(row.percent) if row.percent is not None else None, row.gap, row.source])
    total = progress.total
    ws.append(["", _("合计"), total.target, total.valid,
               float(total.percent) if total.percent is not None else None, total.gap, ""])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (12, 18, 10, 12, 12, 10, 48), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

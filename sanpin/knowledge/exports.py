"""The coverage table as an xlsx sheet, headed by what it is, for which region and period."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = ["区划", "区划代码", "获证主体数", "已发放主体数", "发放覆盖率（%）", "已培训主体数", "培训覆盖率（%）",
           "已覆盖主体数", "主体覆盖率（%）", "基地数", "已发放基地数", "基地发放覆盖率（%）", "已培训基地数",
           "基地培训覆盖率（%）", "已覆盖基地数", "基地覆盖率（%）"]


def _number(value):
    return float(value) if value is not None else None


def _cells(name, code, row):
    e, b = row.entities, row.bases
    return [name, code, e.total, e.received, _number(e.received_percent), e.trained, _number(e.trained_percent),
            e.reached, _number(e.reached_percent), b.total, b.received, _number(b.received_percent), b.trained,
            _number(b.trained_percent), b.reached, _number(b.reached_percent)]


def coverage_xlsx(result) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "进企入户覆盖"
    scope = result.region.name if result.region else "全国"
    sheet.append([f"标准规程进企入户覆盖情况（{scope}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"统计期间 {result.start.isoformat()} 至 {result.end.isoformat()}；获证主体按 "
                  f"{result.on.isoformat()} 持有有效证书计；制表时间 {timezone.localtime():%Y-%m-%d %H:%M}"])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in result.rows:
        sheet.append(_cells(row.region.name, row.region.code, row))
    sheet.append(_cells("合计", result.region.code if result.region else "", result.total))
    sheet.column_dimensions["A"].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

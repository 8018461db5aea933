"""The tables behind the dashboard's charts, and their Excel form: each chart's "导出 Excel"
downloads exactly the table it draws, and the annual report is a workbook of such tables.

A table knows its title, its column headers (Chinese), its rows and its totals row; the sheet
writer puts the title, the period, the unit and the time of production above the headers, so a
sheet printed on its own still says what it is."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .indicators import GRADES, Indicators, Row, scheme_label


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None
    unit: str = ""
    notes: list[str] = field(default_factory=list)


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _name(row: Row) -> str:
    return row.name


# --- tables of the dashboard's charts ------------------------------------------------------------

INDICATOR_COLUMNS = [  # (attribute, header)
    ("valid", "有效产品数"),
    ("new", "新获证"),
    ("renewed", "续展"),
    ("renewal_rate", "续展率（%）"),
    ("first_pass_rate", "首次申请一次通过率（%）"),
    ("inspection_coverage", "年检覆盖率（%）"),
    ("sampling_pass_rate", "抽检合格率（%）"),
    ("bases_listed", "目录内基地数"),
    ("base_share", "基地生产规模占比（%）"),
    ("waivers", "减免申请数"),
    ("waived_amount", "减免金额（元）"),
    ("issuing_rate", "合格证开具率（%）"),
]


def indicator_table(ind: Indicators) -> Table:
    def line(row: Row) -> list:
        return [row.code, row.name] + [_number(getattr(row, attr)) for attr, _title in INDICATOR_COLUMNS]

    return Table("indicators", _("分地区指标"), [_("区划代码"), _("地区")] + [_(t) for _a, t in INDICATOR_COLUMNS],
                 [line(r) for r in ind.rows], line(ind.total))


def trend_table(ind: Indicators) -> Table:
    rows = [[_("%(m)d 月") % {"m": t["month"]}, t["new"], t["renewed"], t["new"] + t["renewed"]] for t in ind.trend]
    total_new = sum(t["new"] for t in ind.trend)
    total_renewed = sum(t["renewed"] for t in ind.trend)
    return Table("trend", _("逐月新获证与续展"), [_("月份"), _("新获证"), _("续展"), _("合计")], rows,
                 [_("合计"), total_new, total_renewed, total_new + total_renewed], unit=_("个产品"))


def rank_valid_table(ind: Indicators) -> Table:
    ranked = sorted(ind.rows, key=lambda r: (-r.valid, r.code))
    return Table("rank_valid", _("有效产品数排名"), [_("名次"), _("区划代码"), _("地区"), _("有效产品数")],
                 [[i, r.code, r.name, r.valid] for i, r in enumerate(ranked, 1)],
                 [_("合计"), ind.total.code, ind.total.name, ind.total.valid], unit=_("个产品"))


def rank_pass_table(ind: Indicators) -> Table:
    ranked = sorted(ind.rows, key=lambda r: (r.sampling_pass_rate is None, -(r.sampling_pass_rate or 0), r.code))
    t = ind.total
    return Table("rank_pass", _("抽检合格率排名"),
                 [_("名次"), _("区划代码"), _("地区"), _("抽检数"), _("合格数"), _("合格率（%）")],
                 [[i, r.code, r.name, r.sampled, r.sampled_passed, _number(r.sampling_pass_rate)]
                  for i, r in enumerate(ranked, 1)],
                 [_("合计"), t.code, t.name, t.sampled, t.sampled_passed, _number(t.sampling_pass_rate)])


def map_table(ind: Indicators) -> Table:
    t = ind.total
    return Table("map", _("分地区有效产品（地图）"), [_("区划代码"), _("地区"), _("有效产品数")],
                 [[r.code, r.name, r.valid] for r in ind.rows], [t.code, _("合计"), t.valid], unit=_("个产品"))


def grades_table(ind: Indicators) -> Table:
    counts = ind.total.grades
    total = sum(counts.values())
    rows = [[grade, counts.get(grade, 0), _number(_share(counts.get(grade, 0), total))] for grade in GRADES]
    return Table("grades", _("信用等级分布"), [_("等级"), _("主体数"), _("占比（%）")], rows,
                 [_("合计"), total, 100.0 if total else None], unit=_("个主体"))


def timeliness_table(ind: Indicators) -> Table:
    rows = [[r["agency_level_label"], (r["region"] or {}).get("name", _("全国")),
             (r["agency"] or {}).get("name", _("（未登记机构）")), r["finished"], r["on_time"], r["late"],
             r["open_overdue"], _number(r["percent"])] for r in ind.timeliness]
    t = ind.timeliness_total
    return Table("timeliness", _("环节时效"),
                 [_("机构层级"), _("区划"), _("负责机构"), _("办结环节"), _("按时办结"), _("超期办结"),
                  _("超期未办结"), _("按时办结率（%）")], rows,
                 [_("合计"), "", "", t["finished"], t["on_time"], t["late"], t["open_overdue"], _number(t["percent"])])


def _share(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def target_progress(region, year: int) -> list:
    """sanpin.stats.targets' progress for each product measure that has targets for the children
    of `region` in `year` (a few queries per measure, whatever the number of regions). The
    "十百千万" channel measures count outlets and people, not products: they are not summed into
    this table (the targets page and its export show them)."""
    from .models import CHANNEL_MEASURES, TargetMeasure
    from .targets import progress

    tables = []
    for measure in (m for m in TargetMeasure.values if m not in CHANNEL_MEASURES):
        table = progress(year=year, region=region, measure=measure)
        if any(row.target is not None for row in table.rows):
            tables.append(table)
    return tables


def targets_table(tables: list) -> Table | None:
    """目标完成情况: a row per region and measure; with several measures a subtotal per measure and
    the sum of all as the totals row, with one measure its total."""
    if not tables:
        return None

    def line(label, code, name, row):
        return [label, code, name, row.target, row.valid, _number(row.percent), row.gap]

    rows = []
    for table in tables:
        rows += [line(table.measure_label, row.region.code, row.region.name, row) for row in table.rows]
        if len(tables) > 1:
            rows.append(line(table.measure_label, "", _("小计"), table.total))
    if len(tables) == 1:
        totals = line(tables[0].measure_label, "", _("合计"), tables[0].total)
    else:
        target_sum = sum(t.total.target or 0 for t in tables)
        valid_sum = sum(t.total.valid for t in tables)
        totals = [_("各指标合计"), "", "", target_sum, valid_sum, _number(_share(valid_sum, target_sum)),
                  max(target_sum - valid_sum, 0)]
    return Table("targets", _("目标完成情况"),
                 [_("指标"), _("区划代码"), _("地区"), _("目标数"), _("有效产品数"), _("完成率（%）"), _("差额")],
                 rows, totals, unit=_("个产品"),
                 notes=[_("有效产品数按 12 月 31 日（年度未结束时为今天）在有效期内的产品计。")])


CHART_TABLES = {
    "indicators": indicator_table,
    "trend": trend_table,
    "rank_valid": rank_valid_table,
    "rank_pass": rank_pass_table,
    "map": map_table,
    "grades": grades_table,
    "timeliness": timeliness_table,
}


# --- Excel -----------------------------------------------------------------------------------------


def heading(ind: Indicators) -> str:
    frozen = _("　截至 %(m)s 冻结数据") % {"m": ind.frozen_month} if ind.frozen_month else ""
    return _("%(region)s · %(scheme)s · %(period)s%(frozen)s") % {
        "region": ind.region_label, "scheme": scheme_label(ind.scheme), "period": ind.period.label, "frozen": frozen}


def write_sheet(sheet, table: Table, *, ind: Indicators, produced_at: datetime.datetime) -> None:
    """Title, scope and period, unit, time of production and notes; the headers; the rows; the
    totals row last."""
    width = max(len(table.headers), 1)
    sheet.append([table.title])
    sheet.append([heading(ind)])
    unit = _("单位：%(u)s　") % {"u": table.unit} if table.unit else ""
    notes = "".join(_("　说明：%(n)s") % {"n": note} for note in table.notes)
    sheet.append([_("%(unit)s制表时间：%(at)s%(notes)s") % {
        "unit": unit, "at": produced_at.strftime("%Y-%m-%d %H:%M"), "notes": notes}])
    for row_number in (1, 2, 3):
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=width)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(table.headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table.rows:
        sheet.append(row)
    if table.total is not None:
        sheet.append(table.total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, header in enumerate(table.headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(30, len(str(header)) * 2 + 4))
    sheet.freeze_panes = "A5"


def workbook(tables: list[Table], *, ind: Indicators, produced_at: datetime.datetime | None = None) -> bytes:
    produced_at = timezone.localtime(produced_at or timezone.now())
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        write_sheet(book.create_sheet(table.title[:31]), table, ind=ind, produced_at=produced_at)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chart_workbook(ind: Indicators, chart: str) -> tuple[str, bytes]:
    """The xlsx of one chart's table, and a file name for it."""
    table = CHART_TABLES[chart](ind)
    name = f"{ind.region_label}-{table.title}-{ind.period.year}.xlsx"
    return name, workbook([table], ind=ind)

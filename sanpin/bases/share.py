"""The share of base production in each city's total edible agricultural production, per province
and year, against the province's target (≥20% Guangxi [002 §2], ≥30% Shanghai [003 att.2 §3]),
and its export as the provincial office needs it [002 §3(2)].

What counts: the output snapshots of the submissions its city (or province) has REVIEWED in that
year's collection cycle. So the share reflects only data the cities have checked, and a past year
stays as it was when reviewed, whatever happens to the bases afterwards. A county submitted but not
yet reviewed (or returned) adds nothing and is named in the row. The denominator is the city's
total production entered for the year; without it the share is None (unknown), not 0.

The "cities" are those of sanpin.bases.collection.share_units: prefecture-level cities, counties the
province administers directly, or a municipality as a whole. Each county's submission is assigned
to its unit by one SQL expression and summed by the database, never by looping over bases."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.errors import NotFound, ValidationFailed

from .choices import SubmissionStatus
from .collection import FIRST_YEAR, agency_region_of, share_units
from .models import CollectionCycle, CountySubmission, RegionProduction, ShareTarget

HUNDREDTH = Decimal("0.01")


@dataclass
class ShareRow:
    code: str
    name: str
    counties_total: int = 0
    counties_reviewed: int = 0
    base_output_tons: Decimal = Decimal("0.00")
    total_output_tons: Decimal | None = None
    share_percent: Decimal | None = None
    target_percent: Decimal | None = None
    meets_target: bool | None = None
    pending_counties: list[str] = field(default_factory=list)

    def finish(self, target: Decimal | None, counted: bool) -> "ShareRow":
        """Share (2 decimals, half up) and the comparison with the target. `counted`: whether a
        cycle exists, i.e. whether the base output is known at all."""
        self.target_percent = target
        if counted and self.total_output_tons:
            self.share_percent = (self.base_output_tons * 100 / self.total_output_tons).quantize(
                HUNDREDTH, rounding=ROUND_HALF_UP)
        if self.share_percent is not None and target is not None:
            self.meets_target = self.share_percent >= target
        return self

    @property
    def below_target(self) -> bool:
        return self.meets_target is False


@dataclass
class ShareTable:
    province: Region
    year: int
    cycle: CollectionCycle | None
    target: ShareTarget | None
    rows: list[ShareRow]
    total: ShareRow

    @property
    def target_percent(self) -> Decimal | None:
        return self.target.min_percent if self.target else None

    @property
    def missing_totals(self) -> list[str]:
        return [row.name for row in self.rows if row.total_output_tons is None]


def _unit_expression(province: Region, units: list[Region]):
    """The share unit of a submission's county, computed by the database."""
    if len(units) == 1 and units[0].code == province.code:
        return Value(province.code, output_field=CharField())
    return Case(When(county__parent__level=RegionLevel.CITY, then=F("county__parent_id")),
                default=F("county_id"), output_field=CharField())


def share_table(*, province: Region, year: int) -> ShareTable:
    """One row per city of the province for the year, and the province's total row."""
    units = share_units(province)
    cycle = CollectionCycle.objects.filter(province=province, year=year).first()
    target = ShareTarget.objects.filter(province=province, year=year).first()
    target_percent = target.min_percent if target else None
    rows = {u.code: ShareRow(code=u.code, name=u.name) for u in units}

    totals = dict(RegionProduction.objects.filter(region_id__in=list(rows), year=year)
                  .values_list("region_id", "total_output_tons"))
    for code, total in totals.items():
        rows[code].total_output_tons = total

    if cycle is not None:
        reviewed = Q(status=SubmissionStatus.REVIEWED)
        submissions = CountySubmission.objects.filter(cycle=cycle).annotate(unit=_unit_expression(province, units))
        for unit, total, done, output in (submissions.values("unit").order_by("unit")
                                          .annotate(total=Count("pk"), done=Count("pk", filter=reviewed),
                                                    output=Sum("output_tons", filter=reviewed))
                                          .values_list("unit", "total", "done", "output")):
            row = rows.get(unit)
            if row is None:  # a county whose city was abolished after the cycle opened: still counted
                row = rows[unit] = ShareRow(code=unit, name=unit)
            row.counties_total, row.counties_reviewed = total, done
            row.base_output_tons = (output or Decimal("0")).quantize(HUNDREDTH)
        for unit, name in (submissions.exclude(reviewed).order_by("county_id").values_list("unit", "county__name")):
            rows[unit].pending_counties.append(name)

    ordered = [row.finish(target_percent, cycle is not None) for row in rows.values()]
    total = ShareRow(code=province.code, name=_("全省合计") if len(units) > 1 else _("合计"))
    for row in ordered:
        total.counties_total += row.counties_total
        total.counties_reviewed += row.counties_reviewed
        total.base_output_tons += row.base_output_tons
        total.pending_counties += row.pending_counties
    # The province's share needs every city's total: a sum over some of them would overstate it.
    if ordered and all(row.total_output_tons is not None for row in ordered):
        total.total_output_tons = sum((row.total_output_tons for row in ordered), Decimal("0"))
    total.finish(target_percent, cycle is not None)
    return ShareTable(province=province, year=year, cycle=cycle, target=target, rows=ordered, total=total)


# --- who sees which province ---------------------------------------------------------------------


def share_provinces(user) -> list[Region]:
    """National staff choose any province; everyone else sees their own province's table."""
    scope = scope_for(user, "view", CollectionCycle)
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True).order_by("code")
    if scope.kind == ALL:
        return list(provinces)
    if scope.kind == REGION:
        return list(provinces.filter(code=scope.value[:2] + "0000"))
    return []


def choose(user, params) -> tuple[Region, int]:
    """The province and year asked for in `params` (defaults: the user's province, the year of its
    latest cycle); a province the user may not see is 404."""
    provinces = share_provinces(user)
    if not provinces:
        raise NotFound()
    code = (params.get("province") or "").strip() or provinces[0].code
    province = next((p for p in provinces if p.code == code), None)
    if province is None:
        raise NotFound()
    raw = (params.get("year") or "").strip()
    if not raw:
        latest = CollectionCycle.objects.filter(province=province).order_by("-year").first()
        return province, latest.year if latest else clock.today().year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= clock.today().year + 1:
        raise ValidationFailed(_("年度不正确"), fields={"year": _("年度不正确")})
    return province, int(raw)


def production_regions(user, province: Region) -> list[Region]:
    """The units whose total the user may enter: all of them for the province's staff, its own
    for a city's."""
    units = share_units(province)
    agency_region = agency_region_of(user)
    if agency_region == province.code:
        return units
    return [u for u in units if u.code == agency_region]



# --- export -----------------------------------------------------------------------------------------

COLUMNS = [  # (title, width)
    (gettext_lazy("区划代码"), 10),
    (gettext_lazy("设区市"), 16),
    (gettext_lazy("县（市、区）数"), 14),
    (gettext_lazy("已复核县数"), 12),
    (gettext_lazy("基地年产量（吨）"), 18),
    (gettext_lazy("食用农产品生产总量（吨）"), 24),
    (gettext_lazy("基地生产规模占比（%）"), 20),
    (gettext_lazy("目标占比（%）"), 14),
    (gettext_lazy("是否达标"), 10),
    (gettext_lazy("未复核的县（市、区）"), 40),
]
BELOW = PatternFill("solid", fgColor="F8D7DA")


def _met(value: bool | None) -> str:
    return {True: _("达标"), False: _("未达标"), None: "—"}[value]


def _line(row: ShareRow) -> list:
    def number(value):
        return float(value) if value is not None else None

    return [row.code, row.name, row.counties_total, row.counties_reviewed, number(row.base_output_tons),
            number(row.total_output_tons), number(row.share_percent), number(row.target_percent),
            _met(row.meets_target), "、".join(row.pending_counties)]


def share_workbook(table: ShareTable, exported_at: datetime.datetime | None = None) -> bytes:
    """One sheet: a header line naming province, year, target and the time of export, the column
    titles, a row per city and the total row; rows below target are shaded."""
    exported_at = timezone.localtime(exported_at or timezone.now())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("基地生产规模占比")
    target = f"≥{table.target_percent}%" if table.target_percent is not None else _("未设定")
    sheet.append([_("%(p)s %(y)d 年度优质农产品生产基地生产规模占比　目标：%(t)s　导出时间：%(at)s") % {
        "p": table.province.name, "y": table.year, "t": target, "at": exported_at.strftime("%Y-%m-%d %H:%M")}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([str(title) for title, _width in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table.rows:
        sheet.append(_line(row))
        if row.below_target:
            for cell in sheet[sheet.max_row]:
                cell.fill = BELOW
    sheet.append(_line(table.total))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for index, (_title, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index + 1, max_col=index + 1):
            if index in (4, 5, 6, 7) and cell.value is not None:
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

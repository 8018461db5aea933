"""The annual statistics report (统计年报): one xlsx workbook, one sheet per table, built from the
indicators of a region and year, or from a frozen monthly snapshot so that a published report can
be produced again unchanged. Every sheet carries its title, region, period, unit and time of
production, Chinese headers and a totals row."""

from django.utils.translation import gettext as _

from .exports import Table, _number, indicator_table, timeliness_table, workbook
from .indicators import GRADES, Indicators, Row

SHEETS = ["总表", "分地区有效产品", "新申报与续展", "审核一次性通过率", "环节时效", "年检与抽检", "生产基地",
          "合格证", "费用减免", "信用等级"]
TARGET_SHEET = "目标完成情况"


def _table(key, title, headers, line, ind: Indicators, *, unit="") -> Table:
    return Table(key, title, [_("区划代码"), _("地区"), *headers],
                 [[r.code, r.name, *line(r)] for r in ind.rows],
                 [ind.total.code, _("合计"), *line(ind.total)], unit=unit)


def tables(ind: Indicators, targets: Table | None = None) -> list[Table]:
    summary = indicator_table(ind)
    summary.title = _("总表")
    schemes = [(s, label) for s, label in _scheme_columns()]

    def valid_by_scheme(row: Row) -> list:
        return [row.by_scheme.get(s, {}).get("valid", 0) for s, _label in schemes] + [row.valid]

    result = [
        summary,
        _table("valid", _("分地区有效产品"), [str(label) for _s, label in schemes] + [_("合计")], valid_by_scheme, ind,
               unit=_("个产品")),
        _table("new", _("新申报与续展"),
               [_("新获证"), _("续展"), _("期内到期"), _("按时续展"), _("续展率（%）")],
               lambda r: [r.new, r.renewed, r.expiring, r.renewed_in_time, _number(r.renewal_rate)], ind,
               unit=_("个产品")),
        _table("first_pass", _("审核一次性通过率"),
               [_("首次申请审结"), _("首次一次通过"), _("首次通过率（%）"), _("续展申请审结"), _("续展一次通过"),
                _("续展通过率（%）")],
               lambda r: [r.first_decided, r.first_passed, _number(r.first_pass_rate), r.renewal_decided,
                          r.renewal_passed, _number(r.renewal_pass_rate)], ind, unit=_("件")),
        timeliness_table(ind),
        _table("supervision", _("年检与抽检"),
               [_("应年检"), _("已年检"), _("年检覆盖率（%）"), _("抽检数"), _("抽检合格"), _("抽检合格率（%）")],
               lambda r: [r.inspection_due, r.inspected, _number(r.inspection_coverage), r.sampled,
                          r.sampled_passed, _number(r.sampling_pass_rate)], ind),
        _table("bases", _("生产基地"), [_("目录内基地数"), _("基地生产规模占比（%）")],
               lambda r: [r.bases_listed, _number(r.base_share)], ind),
        _table("compliance", _("合格证"), [_("应开具主体"), _("已开具主体"), _("开具率（%）")],
               lambda r: [r.issuing_covered, r.issuing, _number(r.issuing_rate)], ind, unit=_("个主体")),
        _table("waivers", _("费用减免"), [_("减免申请数"), _("减免金额（元）")],
               lambda r: [r.waivers, _number(r.waived_amount)], ind),
        _table("credit", _("信用等级"), [*GRADES, _("合计")],
               lambda r: [r.grades.get(g, 0) for g in GRADES] + [sum(r.grades.get(g, 0) for g in GRADES)], ind,
               unit=_("个主体")),
    ]
    if targets is not None:
        result.append(targets)
    return result


def _scheme_columns():
    from sanpin.certificates.choices import Scheme

    return Scheme.choices


def report(ind: Indicators, targets: Table | None = None) -> bytes:
    return workbook(tables(ind, targets), ind=ind)


def filename(ind: Indicators) -> str:
    suffix = f"-{ind.frozen_month}冻结" if ind.frozen_month else ""
    return f"{ind.region_label}{ind.period.year}年统计年报{suffix}.xlsx"

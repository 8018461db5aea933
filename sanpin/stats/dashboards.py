"""Staff statistics pages: the dashboard (统计看板) with its charts and drill-down, each chart's
Excel export, the annual statistics report (统计年报) and the monthly snapshots.

Thin views: parse the region (inside the caller's own, else 404), scheme and period → compute the
indicators (or read them from a frozen snapshot) → render. The charts are drawn by
static/js/dashboard.js from a JSON script element of the page; nothing runs inline."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.catalog.choices import RegionLevel
from sanpin.core import clock, replica
from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.views.mixins import RoleRequiredMixin

from . import annual_report, drilldown, exports, snapshots
from .api.views import STATS_ROLES, region_in_scope
from .indicators import ALL, SCHEME_CHOICES, Indicators, compute, parse_period, parse_scheme, scheme_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2015


def load(request) -> tuple:
    """(region, indicators) for the request's region, scheme, period or snapshot."""
    params = request.GET
    region = region_in_scope(request.user, (params.get("region") or "").strip())
    raw_snapshot = (params.get("snapshot") or "").strip()
    if raw_snapshot:
        return region, snapshots.indicators_from(snapshots.snapshot_for(raw_snapshot), region)
    return region, compute(region=region, scheme=parse_scheme(params), period=parse_period(params))


def query(ind: Indicators, **changes) -> str:
    """The query string of the view of `ind`, with `changes` (None drops a parameter)."""
    params = {"region": ind.region_code, "scheme": ind.scheme if ind.scheme != ALL else "",
              "year": ind.period.year}
    if not ind.period.whole_year:
        params.update(month_from=ind.period.first_month, month_to=ind.period.last_month)
    if ind.frozen_month:
        params = {"region": ind.region_code, "snapshot": ind.frozen_month}
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def xlsx_response(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _own_region(user):
    return user.agency.region if user.agency_id and user.agency.region_id else None


class DashboardView(RoleRequiredMixin, TemplateView):
    roles = STATS_ROLES
    template_name = "stats/dashboard.html"

    @replica.reads_view
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, ind = load(self.request)
        base = reverse("stats:dashboard")
        drillable = region is None or region.level == RegionLevel.PROVINCE
        rows = []
        for row in ind.rows:
            url = f"{base}?{query(ind, region=row.code)}" if drillable and row.code != ind.region_code else ""
            rows.append({"row": row, "url": url})
        own = _own_region(self.request.user)
        crumbs = [{"name": c.name, "url": f"{base}?{query(ind, region=c.code)}"}
                  for c in drilldown.breadcrumbs(region, own)]
        if own is None:
            crumbs.insert(0, {"name": _("全国"), "url": f"{base}?{query(ind, region=None)}"})
        this_year = clock.today().year
        export = reverse("stats:dashboard_export")
        chart_data = {
            "rows": [dict(r["row"].as_dict(), url=r["url"]) for r in rows],
            "total": ind.total.as_dict(), "trend": ind.trend,
            "map": drilldown.map_for(region),
            "targets": target_progress(region, ind),
        }
        context.update({
            "ind": ind, "region": region, "rows": rows, "crumbs": crumbs, "chart_data": chart_data,
            "scheme_label": scheme_label(ind.scheme), "scheme_options": SCHEME_CHOICES,
            "year_options": list(range(max(this_year, ind.period.year), min(FIRST_YEAR, ind.period.year) - 1, -1)),
            "snapshot_options": [s.month.strftime("%Y-%m") for s in snapshots.listing()],
            "export_query": query(ind), "export_url": export,
            "report_url": f"{reverse('stats:annual_report')}?{query(ind)}",
            "level_label": _child_level_label(region),
            "timeliness_total": ind.timeliness_total,
        })
        return context


def _child_level_label(region) -> str:
    if region is None:
        return _("省份")
    return {RegionLevel.PROVINCE: _("市"), RegionLevel.CITY: _("县（市、区）")}.get(region.level, _("地区"))


def target_progress(region, ind: Indicators) -> list[dict] | None:
    """The first measure with targets for the children of `region` in the year, as chart rows
    (None when the figures are frozen: targets are not part of a snapshot)."""
    if ind.frozen_month:
        return None
    for table in exports.target_progress(region, ind.period.year):
        return [{"measure": table.measure_label, "name": row.region.name if row.region else _("全国"),
                 "code": row.region.code if row.region else "", "target": row.target, "actual": row.valid,
                 "percent": None if row.percent is None else str(row.percent)}
                for row in table.rows if row.target is not None]
    return []


def targets_sheet(region, ind: Indicators):
    """The 目标完成情况 table, or None without targets (or for frozen figures: targets and their
    progress are not part of a snapshot)."""
    if ind.frozen_month:
        return None
    return exports.targets_table(exports.target_progress(region, ind.period.year))


class ChartExportView(RoleRequiredMixin, View):
    """`?chart=<name>&...`: the table behind one chart, as xlsx."""

    roles = STATS_ROLES

    @replica.reads_view
    def get(self, request):
        chart = request.GET.get("chart", "")
        if chart not in exports.CHART_TABLES and chart != "targets":
            raise ValidationFailed(fields={"chart": _("没有这个图表")})
        region, ind = load(request)
        if chart == "targets":
            table = targets_sheet(region, ind)
            if table is None:
                raise ValidationFailed(fields={"chart": _("该年度没有设定目标")})
            return xlsx_response(f"{ind.region_label}-{table.title}-{ind.period.year}.xlsx",
                                 exports.workbook([table], ind=ind))
        name, data = exports.chart_workbook(ind, chart)
        return xlsx_response(name, data)


class AnnualReportView(RoleRequiredMixin, TemplateView):
    """The form (year, region, snapshot); with `year` or `snapshot` given, the workbook itself."""

    roles = STATS_ROLES
    template_name = "stats/annual_report.html"

    @replica.reads_view
    def get(self, request, *args, **kwargs):
        if request.GET.get("year") or request.GET.get("snapshot"):
            region, ind = load(request)
            return xlsx_response(annual_report.filename(ind), annual_report.report(ind, targets_sheet(region, ind)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = clock.today().year
        own = _own_region(self.request.user)
        context.update({
            "year_options": list(range(this_year, FIRST_YEAR - 1, -1)),
            "scheme_options": SCHEME_CHOICES,
            "snapshot_options": [s.month.strftime("%Y-%m") for s in snapshots.listing()],
            "own_region": own, "sheets": annual_report.SHEETS,
        })
        return context


class SnapshotListView(RoleRequiredMixin, TemplateView):
    """The frozen monthly snapshots; national staff may freeze a past month not yet frozen."""

    roles = STATS_ROLES
    template_name = "stats/snapshots.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [{"s": s, "month": s.month.strftime("%Y-%m"), "frozen_at": snapshots.frozen_at_text(s),
                 "frozen_by": (s.frozen_by.get_full_name() or s.frozen_by.get_username()) if s.frozen_by else "",
                 "dashboard": f"{reverse('stats:dashboard')}?snapshot={s.month:%Y-%m}",
                 "report": f"{reverse('stats:annual_report')}?snapshot={s.month:%Y-%m}"}
                for s in snapshots.listing()]
        context.update({
            "rows": rows, "can_freeze": bool(self.request.user.roles & NATIONAL_ROLES),
            "default_month": snapshots.previous_month(clock.today()).strftime("%Y-%m"),
            "errors": kwargs.get("errors") or {},
        })
        return context

    def post(self, request):
        try:
            snapshot = snapshots.freeze(snapshots.parse_month(request.POST.get("month", "")), actor=request.user)
        except ValidationFailed as error:
            return self.render_to_response(self.get_context_data(errors=error.fields), status=400)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("stats:snapshots")
        messages.success(request, _("已冻结 %(m)s 的统计数据") % {"m": snapshot.month.strftime("%Y-%m")})
        return redirect("stats:snapshots")

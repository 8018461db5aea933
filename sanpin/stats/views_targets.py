"""The targets page (发展目标): the progress table per child region for a year and measure, with a
bar per row, and, for national and provincial staff, entering targets one by one or from the
Excel template; the table downloads as xlsx. Thin: parse → scope → selector/service → render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sanpin.catalog.choices import RegionLevel
from sanpin.core import clock, replica
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import drilldown, target_io
from .api.views import STATS_ROLES, region_in_scope
from .forms import TargetForm, TargetImportForm
from .models import TargetMeasure
from .target_services import TARGET_ROLES, may_set_targets, settable_regions, target_set
from .targets import progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2015


def _choice(request, this_year: int) -> tuple[int, str, list[str]]:
    """The year and measure asked for, falling back (with a warning) on a bad value."""
    warnings = []
    raw_year = (request.GET.get("year") or "").strip()
    year = this_year
    if raw_year:
        if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
            year = int(raw_year)
        else:
            warnings.append(_("年份应为 2000–2100 的整数，已显示今年"))
    measure = request.GET.get("measure") or TargetMeasure.GREEN_ORGANIC
    if measure not in TargetMeasure.values:
        warnings.append(_("指标无效，已显示绿色食品、有机农产品合计"))
        measure = TargetMeasure.GREEN_ORGANIC
    return year, measure, warnings


class TargetsView(RoleRequiredMixin, View):
    roles = STATS_ROLES
    template_name = "stats/targets.html"

    @replica.reads_view
    def get(self, request):
        return self.show(request, TargetForm(regions=settable_regions(request.user)))

    def show(self, request, form, status=200):
        this_year = clock.today().year
        year, measure, warnings = _choice(request, this_year)
        region = region_in_scope(request.user, request.GET.get("region", "").strip())
        result = progress(year=year, region=region, measure=measure)
        top = request.user.agency.region if request.user.agency_id and request.user.agency.region_id else None
        settable = {r.code for r in settable_regions(request.user)}
        if not form.is_bound:
            form.initial = {"year": year, "measure": measure}
        query = {"year": year, "measure": measure, **({"region": region.code} if region else {})}
        return render(request, self.template_name, {
            "result": result, "year": year, "measure": measure, "region": region, "warnings": warnings,
            "year_options": list(range(max(this_year + 1, year), min(FIRST_YEAR, year) - 1, -1)),
            "measure_options": TargetMeasure.choices,
            "breadcrumbs": drilldown.breadcrumbs(region, top) if region else [],
            "drillable": {row.region.code for row in result.rows if row.region.level != RegionLevel.COUNTY
                          and row.region.code != getattr(region, "code", None)},
            "settable": settable, "may_set": may_set_targets(request.user), "form": form,
            "query": urlencode(query),
        }, status=status)


class TargetSetView(TargetsView):
    """Enter or change one target (national staff: provinces; provincial staff: their cities)."""

    roles = TARGET_ROLES

    def post(self, request):
        form = TargetForm(request.POST, regions=settable_regions(request.user))
        outcome = run_service(form, lambda data: target_set(
            actor=request.user, region=data["region"], year=data["year"], measure=data["measure"],
            value=data["value"], source=data["source"]), catch=ValidationFailed)
        if not outcome.ok:
            return self.show(request, form, status=outcome.status)
        target = outcome.result
        messages.success(request, _("已保存 %(region)s %(year)d 年%(measure)s目标：%(value)d 个") % {
            "region": target.region.name, "year": target.year, "measure": target.get_measure_display(),
            "value": target.value})
        query = {"year": target.year, "measure": target.measure}
        parent = target.region.parent_id
        if parent:
            query["region"] = parent
        return redirect(f"{reverse('stats:targets')}?{urlencode(query)}")

    def get(self, request):
        return redirect("stats:targets")


class TargetTemplateView(RoleRequiredMixin, View):
    roles = TARGET_ROLES

    def get(self, request):
        year, measure, _warnings = _choice(request, clock.today().year)
        response = HttpResponse(target_io.template_xlsx(request.user, year=year, measure=measure), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="targets-template-{year}.xlsx"'
        return response


class TargetImportView(RoleRequiredMixin, View):
    """Upload the filled-in template: a dry run lists every bad row; an import writes all or none."""

    roles = TARGET_ROLES
    template_name = "stats/targets_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TargetImportForm(), "year": clock.today().year})

    def post(self, request):
        form = TargetImportForm(request.POST, request.FILES)
        context = {"form": form, "year": clock.today().year}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            result = target_io.targets_import(actor=request.user, data=form.cleaned_data["file"].read(),
                                              dry_run=form.cleaned_data["dry_run"])
        except ValidationFailed as exc:
            for messages_ in exc.fields.values():
                for message in messages_:
                    form.add_error("file", message)
            if not exc.fields:
                form.add_error("file", exc.message)
            return render(request, self.template_name, context, status=400)
        context["result"] = result
        return render(request, self.template_name, context, status=200 if result.ok else 400)


class TargetExportView(RoleRequiredMixin, View):
    roles = STATS_ROLES

    @replica.reads_view
    def get(self, request):
        year, measure, _warnings = _choice(request, clock.today().year)
        region = region_in_scope(request.user, request.GET.get("region", "").strip())
        result = progress(year=year, region=region, measure=measure)
        response = HttpResponse(target_io.progress_xlsx(result), content_type=XLSX)
        name = f"targets-{year}-{measure}-{region.code if region else 'national'}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

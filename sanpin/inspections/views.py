"""Annual-inspection pages: the plans (list, generate, detail with its items, regenerate), an
item (its certificates, assigning the inspector, recording the inspection), an inspector's own
list, and coverage per region against the 100% target [002 §3(5)].

Thin: parse → access (selectors: 403 wrong role, 404 out of scope) → service → redirect or render.
The services are atomic, so a refused form leaves nothing half-written.
"""

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import can, scope_for
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import filter_rows, paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import AssignForm, ItemFilterForm, PlanGenerateForm, PlanRegenerateForm, RecordForm
from .models import ITEM_ACTIONS, PLAN_ACTIONS, PROVINCE_ROLES, AnnualInspectionPlan, PlanItem

FIRST_YEAR = 2015
COVERAGE_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR}


def _provinces(user):
    """Provinces the user may plan for."""
    scope = scope_for(user, "generate", AnnualInspectionPlan)
    rows = Region.objects.filter(level="province", is_active=True).order_by("code")
    if scope.kind == "all":
        return rows
    if scope.kind == "region":
        return rows.filter(code__startswith=str(scope.value)[:2])
    return rows.none()


def _year_param(request, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


# --- plans ------------------------------------------------------------------------------------------------


def _plan_list(request, form=None, http_status=200):
    may_generate = can(request.user, "generate", AnnualInspectionPlan)
    context = paginate(request, selectors.plans(request.user).order_by("-year", "province_id"), keep_query=False)
    if form is None and may_generate:
        provinces = _provinces(request.user)
        form = PlanGenerateForm(provinces=provinces, initial={
            "year": clock.today().year, "province": provinces.first() if provinces.count() == 1 else None})
    return render(request, "inspections/plans.html", {
        **context, "rows": [(p, _percent(p.inspected_count, p.item_count)) for p in context["page_obj"]],
        "form": form if may_generate else None,
    }, status=http_status)


def _percent(done, total):
    return None if not total else round(done * 100 / total, 1)


class PlanListView(RoleRequiredMixin, View):
    roles = PLAN_ACTIONS["view"]

    def get(self, request):
        return _plan_list(request)


class PlanGenerateView(RoleRequiredMixin, View):
    roles = PLAN_ACTIONS["generate"]

    def post(self, request):
        form = PlanGenerateForm(request.POST, provinces=_provinces(request.user))
        outcome = run_service(form, lambda d: services.plan_generate(
            actor=request.user, province=d["province"], year=d["year"], schemes=d["schemes"], on=d["on"]))
        if not outcome.ok:
            return _plan_list(request, form, outcome.status)
        plan = outcome.result
        messages.success(request, _("已生成 %(p)s 年检计划，列入 %(n)s 家单位") % {"p": plan, "n": plan.items.count()})
        return redirect("inspections:plan", pk=plan.pk)


def _plan_page(request, plan, *, regenerate_form=None, http_status=200):
    form = ItemFilterForm(request.GET or None)
    rows = filter_rows(form, selectors.items(request.user).filter(plan=plan), selectors.filter_items)
    context = paginate(request, rows.order_by("entity__region_id", "entity__name", "pk"))
    total = plan.items.count()
    done = plan.items.filter(record__isnull=False).count()
    may_regenerate = can(request.user, "generate", AnnualInspectionPlan)
    return render(request, "inspections/plan.html", {
        "plan": plan, "form": form, **context, "items": list(context["page_obj"]),
        "total": total, "done": done, "unassigned": plan.items.filter(inspector__isnull=True).count(),
        "percent": _percent(done, total),
        "regenerate_form": regenerate_form or (PlanRegenerateForm() if may_regenerate else None),
    }, status=http_status)


class PlanDetailView(RoleRequiredMixin, View):
    roles = PLAN_ACTIONS["view"]

    def get(self, request, pk):
        return _plan_page(request, selectors.plan(request.user, pk))


class PlanRegenerateView(RoleRequiredMixin, View):
    roles = PLAN_ACTIONS["generate"]

    def post(self, request, pk):
        plan = selectors.plan(request.user, pk)
        form = PlanRegenerateForm(request.POST)
        outcome = run_service(form, lambda d: services.plan_regenerate(actor=request.user, plan=plan, on=d["on"]))
        if not outcome.ok:
            return _plan_page(request, plan, regenerate_form=form, http_status=outcome.status)
        result = outcome.result
        messages.success(request, _("已重新生成名单：新增 %(items)s 家单位、%(links)s 张证书") % {
            "items": result[0], "links": result[1]})
        return redirect("inspections:plan", pk=plan.pk)


# --- items ------------------------------------------------------------------------------------------------


def _item_page(request, item, *, assign_form=None, record_form=None, http_status=200):
    today = clock.today()
    user = request.user
    try:
        record = item.record
    except PlanItem.record.RelatedObjectDoesNotExist:
        record = None
    in_province_scope = (bool(user.roles & PROVINCE_ROLES)
                         and PlanItem.objects.restrict(user, "assign").filter(pk=item.pk).exists())
    may_assign = record is None and in_province_scope
    may_record = record is None and item.inspector_id is not None and (in_province_scope
                                                                         or item.inspector_id == user.pk)
    if may_assign and assign_form is None:
        assign_form = AssignForm(inspectors=selectors.assignable_inspectors(item, today),
                                 initial={"inspector": item.inspector_id})
    if may_record and record_form is None:
        record_form = RecordForm(initial={"inspected_on": today})
    return render(request, "inspections/item.html", {
        "item": item, "plan": item.plan, "record": record, "today": today,
        "certificates": [(c, c.effective_status_label(today)) for c in item.certificates.all()],
        "rectifications": list(record.rectifications.select_related("certificate")) if record else [],
        "revocations": list(record.revocation_requests.select_related("certificate")) if record else [],
        "assign_form": assign_form if may_assign else None,
        "record_form": record_form if may_record else None,
        "may_see_plan": can(user, "view", AnnualInspectionPlan),
    }, status=http_status)


class ItemDetailView(RoleRequiredMixin, View):
    roles = ITEM_ACTIONS["view"]

    def get(self, request, pk):
        return _item_page(request, selectors.item(request.user, pk))


class ItemAssignView(RoleRequiredMixin, View):
    roles = ITEM_ACTIONS["assign"]

    def post(self, request, pk):
        item = selectors.item(request.user, pk, "assign")
        form = AssignForm(request.POST, inspectors=selectors.assignable_inspectors(item, clock.today()))
        outcome = run_service(form, lambda d: services.item_assign(actor=request.user, item=item,
                                                                   inspector=d["inspector"]))
        if not outcome.ok:
            return _item_page(request, item, assign_form=form, http_status=outcome.status)
        messages.success(request, _("已指派检查员 %(u)s") % {"u": outcome.result.inspector})
        return redirect("inspections:item", pk=item.pk)


class ItemRecordView(RoleRequiredMixin, View):
    roles = ITEM_ACTIONS["record"]

    def post(self, request, pk):
        item = selectors.item(request.user, pk)
        form = RecordForm(request.POST)
        outcome = run_service(form, lambda d: services.inspection_record(
            actor=request.user, item=item, inspected_on=d["inspected_on"], findings=d["findings"],
            conclusion=d["conclusion"]))
        if not outcome.ok:
            return _item_page(request, item, record_form=form, http_status=outcome.status)
        result = outcome.result
        text = {
            "pass": _("已录入年检结果：合格"),
            "rectify": _("已录入年检结果：限期整改，已作出 %(n)s 项整改决定") % {"n": result.rectifications.count()},
            "fail": _("已录入年检结果：不合格，已报请取消 %(n)s 张证书的标志使用权")
            % {"n": result.revocation_requests.count()},
        }[result.conclusion]
        messages.success(request, text)
        return redirect("inspections:item", pk=item.pk)


class MyInspectionsView(RoleRequiredMixin, View):
    """An inspector's own items, this year first."""

    roles = frozenset({Role.INSPECTOR})

    def get(self, request):
        this_year = clock.today().year
        year = _year_param(request, this_year)
        form = ItemFilterForm(request.GET or None)
        rows = selectors.filter_items(selectors.items(request.user), inspector=request.user).filter(plan__year=year)
        rows = filter_rows(form, rows, selectors.filter_items)
        context = paginate(request, rows.order_by(F("record__id").asc(nulls_first=True), "entity__name", "pk"))
        return render(request, "inspections/mine.html", {
            "form": form, **context, "items": list(context["page_obj"]), "year": year,
            "year_options": list(range(this_year + 1, FIRST_YEAR - 1, -1)),
        })


class CoverageView(RoleRequiredMixin, View):
    """Per child region: items in the year's plans, inspected, coverage, flagged below 100%."""

    roles = COVERAGE_ROLES

    def get(self, request):
        this_year = clock.today().year
        raw = request.GET.get("year", "")
        year = _year_param(request, this_year)
        year_error = _("年份应为 2000–2100 的整数，已显示今年") if raw and str(year) != raw else ""
        region = selectors.region_in_scope(request.user, request.GET.get("region", "").strip())
        rows = selectors.coverage(year=year, region=region)
        return render(request, "inspections/coverage.html", {
            "year": year, "year_error": year_error, "region": region, "rows": rows,
            "year_options": list(range(max(this_year + 1, year), min(FIRST_YEAR, year) - 1, -1)),
            "planned": sum(r.planned for r in rows), "inspected": sum(r.inspected for r in rows),
            "target": selectors.TARGET,
        })

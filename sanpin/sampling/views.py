"""Sampling pages: plans (create, quotas, the draw with its seed, tasks), the lab's task list and
report form (made for a phone), the standards table and the pass rate per region.

Thin: parse → access (selectors: 403 wrong role, 404 out of scope) → service → redirect or render.
The services are atomic, so a refused form leaves nothing written."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import NATIONAL_ROLES, Role
from sanpin.core import clock
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import filter_rows, paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import (
    AssignForm,
    DrawForm,
    PassRateForm,
    PlanCreateForm,
    QuotaForm,
    ReportForm,
    StandardFilterForm,
    TaskFilterForm,
)
from .models import PASS_RATE_TARGET, PLAN_ROLES, TASK_ACTIONS, PlanStatus, TaskStatus


def _is_national(user) -> bool:
    return bool(user.roles & NATIONAL_ROLES)


class HomeView(RoleRequiredMixin, View):
    """The navigation entry: agencies see the plans, a lab its tasks (the same pages, at /sampling/)."""

    roles = PLAN_ROLES | {Role.LAB}

    def get(self, request):
        if request.user.roles & PLAN_ROLES:
            return PlanListView().get(request)
        return TaskListView().get(request)


class PlanListView(RoleRequiredMixin, View):
    roles = PLAN_ROLES

    def _render(self, request, form=None, status=200):
        rows = selectors.plans(request.user)
        return render(request, "sampling/plans.html", {
            "plans": rows, "form": form or (PlanCreateForm() if _is_national(request.user) else None),
        }, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if not _is_national(request.user):
            return self._render(request, status=403)
        form = PlanCreateForm(request.POST)
        outcome = run_service(form, lambda d: services.plan_create(actor=request.user, **d))
        if outcome.ok:
            messages.success(request, _("已创建抽检计划 %(n)s") % {"n": outcome.result.number})
            return redirect("sampling:plan", pk=outcome.result.pk)
        return self._render(request, form, outcome.status)


def _plan_page(request, plan, *, quota_form=None, draw_form=None, status=200):
    today = clock.today()
    tasks = selectors.filter_tasks(selectors.tasks(request.user).filter(plan=plan), **{
        k: request.GET.get(k, "") for k in ("status", "conclusion", "q")})
    draft = plan.status == PlanStatus.DRAFT
    national = _is_national(request.user)
    draw = getattr(plan, "draw", None) if not draft else None
    return render(request, "sampling/plan.html", {
        "plan": plan, "quotas": list(plan.quotas.select_related("region")), "draw": draw,
        "replay_ok": draw is not None and services.draw_replay(draw) == draw.selected,
        "candidate_counts": {code: len(rows) for code, rows in draw.candidates.items()} if draw else {},
        "quota_form": quota_form or (QuotaForm() if draft and national else None),
        "draw_form": draw_form or (DrawForm() if draft and national else None),
        "filter_form": TaskFilterForm(request.GET or None),
        **paginate(request, tasks.order_by("number"), keep_query=False), "today": today,
    }, status=status)


class PlanDetailView(RoleRequiredMixin, View):
    roles = PLAN_ROLES

    def get(self, request, pk):
        return _plan_page(request, selectors.plan(request.user, pk))


class QuotaView(RoleRequiredMixin, View):
    roles = NATIONAL_ROLES

    def post(self, request, pk):
        plan = selectors.plan(request.user, pk)
        form = QuotaForm(request.POST)
        outcome = run_service(form, lambda d: services.quota_set(actor=request.user, plan=plan, **d))
        if outcome.ok:
            messages.success(request, _("已设置 %(r)s 的抽检数量") % {"r": form.cleaned_data["region"].name})
            return redirect("sampling:plan", pk=plan.pk)
        return _plan_page(request, plan, quota_form=form, status=outcome.status)


class DrawView(RoleRequiredMixin, View):
    roles = NATIONAL_ROLES

    def post(self, request, pk):
        plan = selectors.plan(request.user, pk)
        form = DrawForm(request.POST)
        outcome = run_service(form, lambda d: services.plan_draw(actor=request.user, plan=plan, seed=d["seed"]))
        if outcome.ok:
            messages.success(request, _("已抽取，随机种子 %(seed)s") % {"seed": outcome.result.seed})
            return redirect("sampling:plan", pk=plan.pk)
        return _plan_page(request, plan, draw_form=form, status=outcome.status)


class TaskListView(RoleRequiredMixin, View):
    """Tasks in scope: the region's for agencies, its own for a lab. Made for a phone."""

    roles = TASK_ACTIONS["view"]

    def get(self, request):
        form = TaskFilterForm(request.GET or None)
        rows = filter_rows(form, selectors.tasks(request.user), selectors.filter_tasks)
        return render(request, "sampling/tasks.html", {
            "form": form, **paginate(request, rows.order_by("status", "-assigned_on", "number"), keep_query=False),
            "is_lab": Role.LAB in request.user.roles,
        })


def _task_page(request, task, *, report_form=None, assign_form=None, status=200):
    _tests, standards = services.tests_for(task.certificate)
    may_report = (task.status == TaskStatus.ASSIGNED and Role.LAB in request.user.roles
                  and task.lab_id == request.user.entity_id)
    may_assign = task.status != TaskStatus.REPORTED and _is_national(request.user)
    report = getattr(task, "report", None) if task.status == TaskStatus.REPORTED else None
    return render(request, "sampling/task.html", {
        "task": task, "report": report, "results": list(report.results.all()) if report else [],
        "standards": standards,
        "report_form": report_form or (ReportForm(standards=standards) if may_report else None),
        "assign_form": assign_form or (AssignForm(initial={"lab": task.lab_id}) if may_assign else None),
    }, status=status)


class TaskDetailView(RoleRequiredMixin, View):
    roles = TASK_ACTIONS["view"]

    def get(self, request, pk):
        return _task_page(request, selectors.task(request.user, pk))


class ReportView(RoleRequiredMixin, View):
    roles = TASK_ACTIONS["report"]

    def post(self, request, pk):
        task = selectors.task(request.user, pk, "report")
        _tests, standards = services.tests_for(task.certificate)
        form = ReportForm(request.POST, standards=standards)
        outcome = run_service(form, lambda d: services.report_submit(
            actor=request.user, task=task, results=form.results(), report_number=d["report_number"],
            sampled_on=d["sampled_on"], note=d["note"]))
        if outcome.ok:
            messages.success(request, _("已提交检测报告，结论：%(c)s") % {"c": outcome.result.get_conclusion_display()})
            return redirect("sampling:task", pk=task.pk)
        return _task_page(request, selectors.task(request.user, pk), report_form=form, status=outcome.status)


class AssignView(RoleRequiredMixin, View):
    roles = TASK_ACTIONS["assign"]

    def post(self, request, pk):
        task = selectors.task(request.user, pk, "assign")
        form = AssignForm(request.POST)
        outcome = run_service(form, lambda d: services.task_assign_lab(actor=request.user, task=task, **d))
        if outcome.ok:
            messages.success(request, _("已委托 %(lab)s") % {"lab": form.cleaned_data["lab"].name})
            return redirect("sampling:task", pk=task.pk)
        return _task_page(request, task, assign_form=form, status=outcome.status)


class StandardListView(RoleRequiredMixin, View):
    roles = PLAN_ROLES | {Role.LAB}

    def get(self, request):
        form = StandardFilterForm(request.GET or None)
        rows = selectors.standards()
        if form.is_bound and form.is_valid():
            rows = selectors.standards(**form.cleaned_data)
        return render(request, "sampling/standards.html", {"form": form, "rows": rows})


class PassRateView(RoleRequiredMixin, View):
    """Pass rate of sampled products per child region against the ≥98% target [002 §2]."""

    roles = PLAN_ROLES

    def get(self, request):
        year, code, scheme = clock.today().year, "", ""
        form = PassRateForm(request.GET or None, initial={"year": year})
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"] or year
            code, scheme = form.cleaned_data["region"].strip(), form.cleaned_data["scheme"]
        region = selectors.region_in_scope(request.user, code)
        rows, total = selectors.pass_rates(year=year, region=region, scheme=scheme)
        return render(request, "sampling/pass_rates.html", {
            "form": form, "rows": rows, "total": total, "year": year, "region": region,
            "target": PASS_RATE_TARGET,
        })

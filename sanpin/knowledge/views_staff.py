"""Staff pages: managing standards and procedures, recording deliveries and training, and the
coverage table. Thin: parse → access → service/selector → render; domain errors escaping a view
become 403/404/409 pages in sanpin.core.middleware."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, STAFF_ROLES
from sanpin.catalog import region_tree as drilldown
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import NotFound
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import exports, selectors, services, transitions
from .choices import ProcedureStatus
from .coverage import coverage
from .forms import (
    AttendanceForm,
    CoverageForm,
    DistributionForm,
    ProcedureForm,
    StandardForm,
    TrainingForm,
    TransitionForm,
    WithdrawForm,
)
from .models import Distribution, Procedure, TrainingSession

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COVERAGE_ROLES = STAFF_ROLES


# --- documents ------------------------------------------------------------------------------------


class ManageView(RoleRequiredMixin, View):
    """The documents a member of staff looks after: every standard, and the procedures and sheets
    of the own region in every status."""

    roles = STAFF_ROLES

    def get(self, request):
        status = request.GET.get("status") if request.GET.get("status") in ProcedureStatus.values else ""
        procedures = Procedure.objects.restrict(request.user, "view").select_related("region")
        if status:
            procedures = procedures.filter(status=status)
        return render(request, "knowledge/manage.html", {
            "procedures": procedures.order_by("status", "-updated_at")[:200], "status": status,
            "statuses": ProcedureStatus.choices, "today": clock.today(),
            "standards": selectors.public_standards(),
            "may_add_standard": bool(request.user.roles & services.STANDARD_ROLES),
            "may_add_procedure": bool(request.user.roles & REVIEW_STAFF_ROLES),
        })


class StandardCreateView(RoleRequiredMixin, View):
    roles = services.STANDARD_ROLES

    def get(self, request):
        return render(request, "knowledge/standard_form.html", {"form": StandardForm()})

    def post(self, request):
        form = StandardForm(request.POST, request.FILES)
        outcome = run_service(form, lambda data: services.standard_create(actor=request.user, **form.service_values()))
        if outcome.ok:
            messages.success(request, _("已录入标准 %s") % outcome.result.number)
            return redirect("knowledge:standard", pk=outcome.result.pk)
        return render(request, "knowledge/standard_form.html", {"form": form}, status=outcome.status)


class StandardEditView(RoleRequiredMixin, View):
    roles = services.STANDARD_ROLES

    def get(self, request, pk):
        standard = selectors.public_standard(pk)
        initial = {name: getattr(standard, name) for name in StandardForm.base_fields if name != "file"}
        return render(request, "knowledge/standard_form.html", {"form": StandardForm(initial=initial),
                                                                "standard": standard})

    def post(self, request, pk):
        standard = selectors.public_standard(pk)
        form = StandardForm(request.POST, request.FILES)
        outcome = run_service(form, lambda data: services.standard_update(
            actor=request.user, standard=standard, **form.service_values()))
        if outcome.ok:
            messages.success(request, _("已保存标准 %s") % outcome.result.number)
            return redirect("knowledge:standard", pk=standard.pk)
        return render(request, "knowledge/standard_form.html", {"form": form, "standard": standard},
                      status=outcome.status)


class StandardWithdrawView(RoleRequiredMixin, View):
    roles = services.STANDARD_ROLES

    def _page(self, request, standard, form, status=200):
        form.fields["replaced_by"].queryset = form.fields["replaced_by"].queryset.exclude(pk=standard.pk)
        return render(request, "knowledge/standard_withdraw.html", {"form": form, "standard": standard},
                      status=status)

    def get(self, request, pk):
        return self._page(request, selectors.public_standard(pk), WithdrawForm(initial={"withdrawn_on": clock.today()}))

    def post(self, request, pk):
        standard = selectors.public_standard(pk)
        form = WithdrawForm(request.POST)
        outcome = run_service(form, lambda data: services.standard_withdraw(actor=request.user, standard=standard,
                                                                            **data))
        if outcome.ok:
            messages.success(request, _("已登记标准 %s 废止") % standard.number)
            return redirect("knowledge:standard", pk=standard.pk)
        return self._page(request, standard, form, status=outcome.status)


class ProcedureCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        return render(request, "knowledge/procedure_form.html", {"form": ProcedureForm(user=request.user)})

    def post(self, request):
        form = ProcedureForm(request.POST, request.FILES, user=request.user)
        outcome = run_service(form, lambda data: services.procedure_create(actor=request.user,
                                                                           **form.service_values()))
        if outcome.ok:
            messages.success(request, _("已保存草稿：%s") % outcome.result.title)
            return redirect("knowledge:procedure_manage", pk=outcome.result.pk)
        return render(request, "knowledge/procedure_form.html", {"form": form}, status=outcome.status)


def _procedure_page(request, procedure, form=None, status=200):
    deliveries = Distribution.objects.restrict(request.user, "view").filter(procedure=procedure)
    return render(request, "knowledge/procedure_manage.html", {
        "procedure": procedure, "actions": transitions.available(procedure.status),
        "may_change": bool(request.user.roles & REVIEW_STAFF_ROLES), "form": form or TransitionForm(),
        "deliveries": deliveries.aggregate(rows=Count("pk"), copies=Sum("copies")),
    }, status=status)


class ProcedureManageView(RoleRequiredMixin, View):
    """A procedure as its region's staff see it: status, the actions open now, where it went."""

    roles = STAFF_ROLES

    def get(self, request, pk):
        return _procedure_page(request, access_by_id(Procedure, request.user, pk, "view"))


class ProcedureEditView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def get(self, request, pk):
        procedure = access_by_id(Procedure, request.user, pk, "change")
        initial = {name: getattr(procedure, name) for name in ProcedureForm.base_fields
                   if name not in ("file", "standards")}
        initial["standards"] = list(procedure.standards.all())
        return render(request, "knowledge/procedure_form.html", {
            "form": ProcedureForm(initial=initial, user=request.user), "procedure": procedure})

    def post(self, request, pk):
        procedure = access_by_id(Procedure, request.user, pk, "change")
        form = ProcedureForm(request.POST, request.FILES, user=request.user)
        outcome = run_service(form, lambda data: services.procedure_update(
            actor=request.user, procedure=procedure, **form.service_values()))
        if outcome.ok:
            messages.success(request, _("已保存：%s") % procedure.title)
            return redirect("knowledge:procedure_manage", pk=procedure.pk)
        return render(request, "knowledge/procedure_form.html", {"form": form, "procedure": procedure},
                      status=outcome.status)


class ProcedureTransitionView(RoleRequiredMixin, View):
    """Publish or retire (POST); a refusal re-renders the page with the reason and 400/409."""

    roles = REVIEW_STAFF_ROLES

    def post(self, request, pk, action):
        procedure = access_by_id(Procedure, request.user, pk, "change")
        if action not in transitions.ACTIONS:
            raise NotFound()
        form = TransitionForm(request.POST)
        outcome = run_service(form, lambda data: services.procedure_transition(
            actor=request.user, procedure=procedure, action=action, reason=data["reason"]))
        if outcome.ok:
            messages.success(request, _("%(title)s：%(status)s") % {
                "title": procedure.title, "status": outcome.result.get_status_display()})
            return redirect("knowledge:procedure_manage", pk=procedure.pk)
        return _procedure_page(request, procedure, form, status=outcome.status)


# --- deliveries and training ----------------------------------------------------------------------


class DistributionListView(RoleRequiredMixin, View):
    roles = STAFF_ROLES

    def get(self, request):
        rows = (Distribution.objects.restrict(request.user, "view")
                .select_related("standard", "procedure", "entity", "base", "region"))
        q = (request.GET.get("q") or "").strip()
        if q:
            rows = rows.filter(Q(entity__name__icontains=q) | Q(entity__uscc__iexact=q) | Q(base__name__icontains=q)
                               | Q(standard__number__icontains=q) | Q(procedure__title__icontains=q))
        return render(request, "knowledge/distributions.html", {
            "q": q, "may_record": bool(request.user.roles & REVIEW_STAFF_ROLES), **paginate(request, rows)})


class DistributionCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        initial = {"delivered_on": clock.today(), "delivered_by": request.user.get_full_name() or request.user.username}
        document = request.GET.get("document", "")
        if document:
            initial["document"] = document
        return render(request, "knowledge/distribution_form.html", {"form": DistributionForm(initial=initial)})

    def post(self, request):
        form = DistributionForm(request.POST)
        outcome = run_service(form, lambda data: services.distribution_record(actor=request.user,
                                                                              **form.service_values()))
        if outcome.ok:
            messages.success(request, _("已登记发放 %d 个接收方") % len(outcome.result))
            return redirect("knowledge:distributions")
        return render(request, "knowledge/distribution_form.html", {"form": form}, status=outcome.status)


class TrainingListView(RoleRequiredMixin, View):
    roles = STAFF_ROLES

    def get(self, request):
        rows = (TrainingSession.objects.restrict(request.user, "view").select_related("region")
                .annotate(units=Count("attendance"), people=Sum("attendance__people")))
        return render(request, "knowledge/trainings.html", {
            "may_record": bool(request.user.roles & REVIEW_STAFF_ROLES), **paginate(request, rows)})


class TrainingCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        form = TrainingForm(user=request.user, initial={"held_on": clock.today()})
        return render(request, "knowledge/training_form.html", {"form": form})

    def post(self, request):
        form = TrainingForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: services.training_create(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已登记：%s") % outcome.result.title)
            return redirect("knowledge:training", pk=outcome.result.pk)
        return render(request, "knowledge/training_form.html", {"form": form}, status=outcome.status)


class TrainingDetailView(RoleRequiredMixin, View):
    roles = STAFF_ROLES

    def _page(self, request, session, form=None, status=200):
        may_change = bool(request.user.roles & REVIEW_STAFF_ROLES)
        return render(request, "knowledge/training_detail.html", {
            "session": session, "attendance": session.attendance.select_related("entity", "base", "region"),
            "form": form or (AttendanceForm() if may_change else None),
            "people": session.attendance.aggregate(n=Sum("people"))["n"] or 0,
        }, status=status)

    def get(self, request, pk):
        return self._page(request, access_by_id(TrainingSession, request.user, pk, "view"))

    def post(self, request, pk):
        session = access_by_id(TrainingSession, request.user, pk, "change")
        form = AttendanceForm(request.POST)
        outcome = run_service(form, lambda data: services.training_record_attendance(
            actor=request.user, session=session, rows=form.service_rows()))
        if outcome.ok:
            messages.success(request, _("已登记 %d 个参训单位") % len(outcome.result))
            return redirect("knowledge:training", pk=session.pk)
        return self._page(request, session, form, status=outcome.status)


# --- coverage -------------------------------------------------------------------------------------


def own_region(user) -> Region | None:
    return user.agency.region if user.agency_id and user.agency.region_id else None


def region_in_scope(user, code: str) -> Region | None:
    """The region asked for, inside the caller's own (out of it: 404); None = the whole country."""
    own = own_region(user)
    if not code:
        return own
    region = Region.objects.filter(code=code).first()
    if region is None or (own is not None and not region.code.startswith(own.scope_prefix)):
        raise NotFound()
    return region


def coverage_request(request, params) -> tuple:
    """(coverage, form) for the region and period asked; the period defaults to this year so far."""
    today = clock.today()
    form = CoverageForm({"start": params.get("from", ""), "end": params.get("to", "")})
    valid = form.is_valid()
    start = (form.cleaned_data.get("start") if valid else None) or datetime.date(today.year, 1, 1)
    end = (form.cleaned_data.get("end") if valid else None) or today
    region = region_in_scope(request.user, (params.get("region") or "").strip())
    return coverage(region=region, start=start, end=end), form


class CoverageView(RoleRequiredMixin, View):
    roles = COVERAGE_ROLES

    def get(self, request):
        result, form = coverage_request(request, request.GET)
        own = own_region(request.user)
        region = result.region
        period = {"from": result.start.isoformat(), "to": result.end.isoformat()}
        return render(request, "knowledge/coverage.html", {
            "result": result, "form": form, "period": urlencode(period),
            "query": urlencode({**period, **({"region": region.code} if region else {})}),
            "breadcrumbs": drilldown.breadcrumbs(region, own) if region else [],
            "drillable": {row.region.code for row in result.rows if row.region.level != RegionLevel.COUNTY
                          and row.region.code != getattr(region, "code", None)},
        })


class CoverageExportView(RoleRequiredMixin, View):
    roles = COVERAGE_ROLES

    def get(self, request):
        result, _form = coverage_request(request, request.GET)
        response = HttpResponse(exports.coverage_xlsx(result), content_type=XLSX)
        name = f"coverage-{result.region.code if result.region else 'china'}-{result.start}-{result.end}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

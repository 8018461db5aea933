"""Pages of oversight: risk monitoring, unannounced inspections, market checks of mark use with
their cases and figures, packaging-label filings, complaints (staff side), and the two public
complaint pages (the form and the tracking page).

Thin: parse → access (selectors: 403 wrong role, 404 out of scope) → service → redirect or render.
Every service is one transaction, so a refused form leaves nothing written."""

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core.access import can, require_role
from sanpin.core.errors import NotFound, ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import filter_rows, paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import forms as f
from . import selectors, services, throttles
from .models import (
    COMPLAINT_ACTIONS,
    FLIGHT_ACTIONS,
    LABEL_ACTIONS,
    MARKET_ACTIONS,
    PROVINCE_ROLES,
    RISK_ACTIONS,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    FlightInspection,
    FlightStatus,
    ItemResult,
    LabelFiling,
    LabelStatus,
    MarketCheck,
    RiskFinding,
    RiskProject,
)

HOME_ROLES = RISK_ACTIONS["view"] | FLIGHT_ACTIONS["view"] | LABEL_ACTIONS["view"]


class _ListPage(RoleRequiredMixin, View, metaclass=ABCMeta):
    """A list filtered by keyword and status, a page at a time, and for those of `form_roles` the
    form that adds one (its POST is the subclass's)."""

    template = ""
    statuses: tuple | list = ()
    search_fields: tuple | list = ()
    order_by: tuple = ("-pk",)
    form_class = None
    form_roles: frozenset = frozenset()

    @abstractmethod
    def rows(self, user):
        """The rows `user` may see, before filtering."""

    def _render(self, request, form=None, status=200):
        user = request.user
        filter_form = f.ListFilterForm(request.GET or None, statuses=self.statuses)
        rows = filter_rows(filter_form, self.rows(user), lambda rows, q, status: selectors.filter_rows(
            rows, q=q, status=status, fields=self.search_fields))
        context = {"filter_form": filter_form, **paginate(request, rows.order_by(*self.order_by))}
        if self.form_class is not None:
            context["form"] = form or (self.form_class(user=user) if user.roles & self.form_roles else None)
        return render(request, self.template, context, status=status)

    def get(self, request):
        return self._render(request)


def _certificate_or_error(user, number, field="certificate_number"):
    try:
        return selectors.certificate_in_scope(user, number)
    except NotFound:
        raise ValidationFailed(fields={field: _("未找到该证书，或不在您的管辖范围内")}) from None


class HomeView(RoleRequiredMixin, View):
    """The five kinds of oversight with what is waiting in each, in the user's scope."""

    roles = HOME_ROLES

    def get(self, request):
        user = request.user
        cards = []
        if can(user, "view", RiskProject):
            cards.append(("risk", selectors.risk_projects(user).count(),
                          selectors.risk_records(user).exclude(finding=RiskFinding.NORMAL).count()))
        if can(user, "view", FlightInspection):
            cards.append(("flight", selectors.flights(user).count(),
                          selectors.flights(user).filter(status=FlightStatus.PLANNED).count()))
        if can(user, "view", MarketCheck):
            cards.append(("market", selectors.market_checks(user).count(),
                          selectors.mark_cases(user).filter(status=CaseStatus.OPEN).count()))
        if can(user, "view", LabelFiling):
            cards.append(("labels", selectors.label_filings(user).count(),
                          selectors.label_filings(user).filter(status=LabelStatus.SUBMITTED).count()))
        if can(user, "view", Complaint):
            cards.append(("complaints", selectors.complaints(user).count(),
                          selectors.complaints(user).exclude(status=ComplaintStatus.CLOSED).count()))
        return render(request, "oversight/home.html", {"cards": cards})


# --- risk monitoring ----------------------------------------------------------------------------------


class RiskProjectListView(_ListPage):
    roles = RISK_ACTIONS["view"]
    template = "oversight/risk_projects.html"
    search_fields = ["title", "focus", "number"]
    order_by = ("-year", "-pk")
    form_class, form_roles = f.RiskProjectForm, RISK_ACTIONS["manage"]

    def rows(self, user):
        return selectors.risk_projects(user)

    def post(self, request):
        require_role(request.user, RISK_ACTIONS["manage"])
        form = f.RiskProjectForm(request.POST, user=request.user)
        outcome = run_service(form, lambda d: services.risk_project_create(actor=request.user, **d))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        messages.success(request, _("已建立风险监测项目 %(n)s") % {"n": outcome.result.number})
        return redirect("oversight:risk_project", pk=outcome.result.pk)


class RiskProjectDetailView(RoleRequiredMixin, View):
    roles = RISK_ACTIONS["view"]

    def _render(self, request, project, form=None, status=200):
        user = request.user
        may_record = bool(user.roles & RISK_ACTIONS["record"])
        return render(request, "oversight/risk_project.html", {
            "p": project, "regions": list(project.regions.order_by("code")),
            **paginate(request, selectors.risk_records(user, project).order_by("-sampled_on", "-pk")),
            "form": form or (f.RiskRecordForm(user=user) if may_record else None),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.risk_project(request.user, pk))

    def post(self, request, pk):
        project = selectors.risk_project(request.user, pk)
        form = f.RiskRecordForm(request.POST, user=request.user)

        def call(data):
            number = data.pop("certificate_number")
            certificate = _certificate_or_error(request.user, number) if number else None
            return services.risk_record_add(actor=request.user, project=project, certificate=certificate, **data)

        outcome = run_service(form, call, rename={"certificate": "certificate_number"})
        if not outcome.ok:
            return self._render(request, project, form, outcome.status)
        messages.success(request, _("已记录样品 %(s)s 的监测结果") % {"s": outcome.result.sample_code})
        return redirect("oversight:risk_project", pk=project.pk)


class RiskRecordView(RoleRequiredMixin, View):
    roles = RISK_ACTIONS["view"]

    def _render(self, request, record, form=None, status=200):
        may_rectify = (record.certificate_id and record.finding != RiskFinding.NORMAL and not record.rectification_id
                       and request.user.roles & PROVINCE_ROLES)
        return render(request, "oversight/risk_record.html", {
            "r": record, "form": form or (f.CauseForm(scheme=record.certificate.scheme,
                                                      default="sampling_failed") if may_rectify else None),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.risk_record(request.user, pk))

    def post(self, request, pk):
        record = selectors.risk_record(request.user, pk)
        if record.certificate_id is None:
            raise NotFound()
        form = f.CauseForm(request.POST, scheme=record.certificate.scheme)
        outcome = run_service(form, lambda d: services.risk_record_rectify(actor=request.user, record=record, **d))
        if not outcome.ok:
            return self._render(request, selectors.risk_record(request.user, pk), form, outcome.status)
        messages.success(request, _("已作出整改决定 %(n)s") % {"n": outcome.result.number})
        return redirect("oversight:risk_record", pk=record.pk)


# --- unannounced inspections ------------------------------------------------------------------------------


class FlightListView(_ListPage):
    roles = FLIGHT_ACTIONS["view"]
    template = "oversight/flights.html"
    statuses = f.FLIGHT_STATUSES
    search_fields = ["number", "certificate__number", "certificate__holder__name"]
    order_by = ("-planned_on", "-pk")
    form_class, form_roles = f.FlightPlanForm, FLIGHT_ACTIONS["plan"]

    def rows(self, user):
        return selectors.flights(user)

    def post(self, request):
        require_role(request.user, FLIGHT_ACTIONS["plan"])
        form = f.FlightPlanForm(request.POST, user=request.user)

        def call(data):
            certificate = _certificate_or_error(request.user, data["certificate_number"])
            return services.flight_plan(actor=request.user, certificate=certificate, planned_on=data["planned_on"],
                                        reason=data["reason"], inspectors=list(data["inspectors"]))

        outcome = run_service(form, call, rename={"certificate": "certificate_number"})
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        messages.success(request, _("已安排飞行检查 %(n)s（不通知被检查单位）") % {"n": outcome.result.number})
        return redirect("oversight:flight", pk=outcome.result.pk)


class FlightDetailView(RoleRequiredMixin, View):
    roles = FLIGHT_ACTIONS["view"]

    def _render(self, request, item, form=None, status=200):
        user = request.user
        may_record = item.status == FlightStatus.PLANNED and (
            bool(user.roles & PROVINCE_ROLES) or item.inspectors.filter(pk=user.pk).exists())
        return render(request, "oversight/flight.html", {
            "i": item, "c": item.certificate, "inspectors": list(item.inspectors.order_by("username")),
            "form": form or (f.FlightRecordForm(scheme=item.certificate.scheme) if may_record else None),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.flight(request.user, pk))

    def post(self, request, pk):
        item = selectors.flight(request.user, pk, "record")
        form = f.FlightRecordForm(request.POST, scheme=item.certificate.scheme)
        outcome = run_service(form, lambda d: services.flight_record(actor=request.user, inspection=item, **d))
        if not outcome.ok:
            return self._render(request, selectors.flight(request.user, pk), form, outcome.status)
        messages.success(request, _("已记录飞行检查结果"))
        return redirect("oversight:flight", pk=item.pk)


# --- market checks ------------------------------------------------------------------------------------------


class MarketCheckListView(_ListPage):
    roles = MARKET_ACTIONS["view"]
    template = "oversight/market_checks.html"
    search_fields = ["number", "place", "region__name"]
    order_by = ("-checked_on", "-pk")
    form_class, form_roles = f.MarketCheckForm, MARKET_ACTIONS["record"]

    def rows(self, user):
        return selectors.market_checks(user)

    def post(self, request):
        form = f.MarketCheckForm(request.POST, user=request.user)
        outcome = run_service(form, lambda d: services.market_check_create(actor=request.user, **d))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        messages.success(request, _("已建立用标监察 %(n)s，请逐一录入检查的产品") % {"n": outcome.result.number})
        return redirect("oversight:market_check", pk=outcome.result.pk)


class MarketCheckDetailView(RoleRequiredMixin, View):
    roles = MARKET_ACTIONS["view"]

    def _render(self, request, check, form=None, status=200):
        user = request.user
        items = list(check.items.select_related("certificate__holder", "rectification", "case").order_by("pk"))
        may_rectify = bool(user.roles & PROVINCE_ROLES)
        rows = [(item, getattr(item, "case", None),
                 may_rectify and item.result == ItemResult.LABEL_NONCONFORMING and item.certificate_id
                 and not item.rectification_id) for item in items]
        return render(request, "oversight/market_check.html", {
            "check": check, "rows": rows, "detail_form": f.DetailForm(),
            "form": form or (f.MarketItemForm() if user.roles & MARKET_ACTIONS["record"] else None),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.market_check(request.user, pk))

    def post(self, request, pk):
        check = selectors.market_check(request.user, pk, "record")
        form = f.MarketItemForm(request.POST)
        outcome = run_service(form, lambda d: services.market_item_add(actor=request.user, check=check, **d))
        if not outcome.ok:
            return self._render(request, check, form, outcome.status)
        item = outcome.result
        label = item.get_result_display()
        if item.result in (ItemResult.COUNTERFEIT, ItemResult.UNAUTHORISED):
            messages.warning(request, _("%(p)s：%(r)s，已登记案件") % {"p": item.product_name, "r": label})
        else:
            messages.success(request, _("%(p)s：%(r)s") % {"p": item.product_name, "r": label})
        return redirect("oversight:market_check", pk=check.pk)


class MarketItemRectifyView(RoleRequiredMixin, View):
    """Misuse by a holder whose certificate is in force → a rectification (cause mark misuse)."""

    roles = PROVINCE_ROLES

    def post(self, request, pk, item_id):
        item = selectors.market_item(request.user, pk, item_id)
        form = f.DetailForm(request.POST)
        outcome = run_service(form, lambda d: services.market_item_rectify(actor=request.user, item=item, **d))
        if not outcome.ok:
            for error in form.errors.get("detail", []) + form.non_field_errors():
                messages.error(request, error)
        else:
            messages.success(request, _("已作出整改决定 %(n)s") % {"n": outcome.result.number})
        return redirect("oversight:market_check", pk=pk)


class MarkCaseListView(_ListPage):
    roles = MARKET_ACTIONS["view"]
    template = "oversight/cases.html"
    statuses = CaseStatus.choices
    search_fields = ["number", "seller", "place", "item__number_shown"]

    def rows(self, user):
        return selectors.mark_cases(user)


class MarkCaseDetailView(RoleRequiredMixin, View):
    roles = MARKET_ACTIONS["view"]

    def _render(self, request, case, form=None, status=200):
        may = case.status == CaseStatus.OPEN and request.user.roles & MARKET_ACTIONS["hand_over"]
        return render(request, "oversight/case.html", {
            "case": case, "item": case.item, "form": form or (f.HandOverForm() if may else None)}, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.mark_case(request.user, pk))

    def post(self, request, pk):
        case = selectors.mark_case(request.user, pk, "hand_over")
        form = f.HandOverForm(request.POST)
        outcome = run_service(form, lambda d: services.mark_case_hand_over(actor=request.user, case=case, **d))
        if not outcome.ok:
            return self._render(request, case, form, outcome.status)
        messages.success(request, _("案件已移交"))
        return redirect("oversight:case", pk=case.pk)


class MarketFiguresView(RoleRequiredMixin, View):
    """Checks, items and counterfeit marks per region and year."""

    roles = MARKET_ACTIONS["view"]

    def get(self, request):
        form = f.FiguresForm(request.GET or None)
        year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
        rows = selectors.market_figures(request.user, year)
        totals = {k: sum(r[k] for r in rows) for k in ("checks", "items", "counterfeit", "unauthorised")}
        return render(request, "oversight/figures.html", {"form": form, "rows": rows, "totals": totals})


# --- label filing ---------------------------------------------------------------------------------------------


class LabelListView(_ListPage):
    roles = LABEL_ACTIONS["view"]
    template = "oversight/labels.html"
    statuses = f.LABEL_STATUSES
    search_fields = ["number", "certificate__number", "certificate__holder__name"]
    order_by = ("-created_at", "-pk")
    form_class, form_roles = f.LabelFileForm, LABEL_ACTIONS["file"]

    def rows(self, user):
        return selectors.label_filings(user)

    def post(self, request):
        require_role(request.user, LABEL_ACTIONS["file"])
        form = f.LabelFileForm(request.POST, request.FILES, user=request.user)
        outcome = run_service(form, lambda d: services.label_file(
            actor=request.user, certificate=d["certificate"], upload=d["file"], description=d["description"]))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        messages.success(request, _("已提交包装标签备案 %(n)s，等待省级工作机构审核") % {"n": outcome.result.number})
        return redirect("oversight:label", pk=outcome.result.pk)


class LabelDetailView(RoleRequiredMixin, View):
    roles = LABEL_ACTIONS["view"]

    def _render(self, request, filing, form=None, status=200):
        may = filing.status == LabelStatus.SUBMITTED and request.user.roles & LABEL_ACTIONS["review"]
        return render(request, "oversight/label.html", {
            "l": filing, "c": filing.certificate, "form": form or (f.LabelReviewForm() if may else None),
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.label_filing(request.user, pk))

    def post(self, request, pk):
        filing = selectors.label_filing(request.user, pk, "review")
        form = f.LabelReviewForm(request.POST)
        outcome = run_service(form, lambda d: services.label_review(
            actor=request.user, filing=filing, approve=d["decision"] == "approve", comments=d["comments"]))
        if not outcome.ok:
            return self._render(request, filing, form, outcome.status)
        messages.success(request, _("备案 %(n)s：%(s)s") % {"n": filing.number,
                                                           "s": outcome.result.get_status_display()})
        return redirect("oversight:label", pk=filing.pk)


class LabelFileView(RoleRequiredMixin, View):
    """The design file is private: served only to those who may see the filing."""

    roles = LABEL_ACTIONS["view"]

    def get(self, request, pk):
        filing = selectors.label_filing(request.user, pk)
        return FileResponse(filing.file.open("rb"), as_attachment=False, filename=filing.filename,
                            content_type=filing.content_type)


# --- complaints (staff) ----------------------------------------------------------------------------------------


class ComplaintListView(_ListPage):
    roles = COMPLAINT_ACTIONS["view"]
    template = "oversight/complaints.html"
    statuses = f.COMPLAINT_STATUSES
    search_fields = ["tracking_code", "product_name", "number_shown", "place"]
    order_by = ("-created_at", "-pk")

    def rows(self, user):
        return selectors.complaints(user)


def _complaint_page(request, item, *, assign_form=None, close_form=None, status=200):
    may = item.status != ComplaintStatus.CLOSED and can(request.user, "handle", Complaint)
    scheme = item.certificate.scheme if item.certificate_id else ""
    return render(request, "oversight/complaint.html", {
        "c": item,
        "assign_form": assign_form or (f.AssignForm(complaint=item) if may else None),
        "close_form": close_form or (f.CloseForm(scheme=scheme) if may else None),
    }, status=status)


class ComplaintDetailView(RoleRequiredMixin, View):
    roles = COMPLAINT_ACTIONS["view"]

    def get(self, request, pk):
        return _complaint_page(request, selectors.complaint(request.user, pk))


class ComplaintAssignView(RoleRequiredMixin, View):
    roles = COMPLAINT_ACTIONS["handle"]

    def post(self, request, pk):
        item = selectors.complaint(request.user, pk, "handle")
        form = f.AssignForm(request.POST, complaint=item)
        outcome = run_service(form, lambda d: services.complaint_assign(actor=request.user, complaint=item, **d))
        if not outcome.ok:
            return _complaint_page(request, selectors.complaint(request.user, pk), assign_form=form,
                                   status=outcome.status)
        messages.success(request, _("已指定承办人"))
        return redirect("oversight:complaint", pk=item.pk)


class ComplaintCloseView(RoleRequiredMixin, View):
    roles = COMPLAINT_ACTIONS["handle"]

    def post(self, request, pk):
        item = selectors.complaint(request.user, pk, "handle")
        form = f.CloseForm(request.POST, scheme=item.certificate.scheme if item.certificate_id else "")
        outcome = run_service(form, lambda d: services.complaint_close(actor=request.user, complaint=item, **d))
        if not outcome.ok:
            return _complaint_page(request, selectors.complaint(request.user, pk), close_form=form,
                                   status=outcome.status)
        messages.success(request, _("举报已办结"))
        return redirect("oversight:complaint", pk=item.pk)


class ComplaintPhotoView(RoleRequiredMixin, View):
    roles = COMPLAINT_ACTIONS["view"]

    def get(self, request, pk):
        item = selectors.complaint(request.user, pk)
        if not item.photo:
            raise NotFound()
        return FileResponse(item.photo.open("rb"), as_attachment=False, filename=item.photo_name,
                            content_type=item.photo_type)


# --- complaints (public) ------------------------------------------------------------------------------------------


class ComplaintNewView(View):
    """The public complaint form: no sign-in, limited per address; answers with the tracking code."""

    def get(self, request):
        return render(request, "oversight/complaint_new.html", {"form": f.ComplaintForm()})

    def post(self, request):
        form = f.ComplaintForm(request.POST, request.FILES)
        allowed, wait = throttles.allow(request)
        if not allowed:
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请 %(s)d 秒后再试") % {"s": int(wait or 60)})
            return render(request, "oversight/complaint_new.html", {"form": form}, status=429)
        outcome = run_service(form, lambda d: services.complaint_submit(**d))
        if not outcome.ok:
            return render(request, "oversight/complaint_new.html", {"form": form}, status=outcome.status)
        return render(request, "oversight/complaint_done.html", {"code": outcome.result.tracking_code,
                                                                 "region": outcome.result.region})


class ComplaintTrackView(View):
    """The complainant's view by tracking code: the status and its dates, nothing the staff wrote."""

    def get(self, request):
        form = f.TrackForm(request.GET or None)
        found, status = None, 200
        if form.is_bound:
            status = 400
            if form.is_valid():
                found = services.complaint_public(form.cleaned_data["code"])
                status = 200 if found else 404
                if found is None:
                    form.add_error("code", _("查询码不正确"))
        return render(request, "oversight/complaint_track.html", {"form": form, "found": found}, status=status)

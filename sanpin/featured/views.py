"""名特优新 pages: the listings in scope (and those falling due), one listing with its
confirmations, quality tests and nutrition evaluations, the holder's annual confirmation, the
province's queue of confirmations to decide, and staff recording tests and evaluations.

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404
in sanpin.core.middleware.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.catalog.forms import add_service_errors
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import DomainError, NotFound, ValidationFailed
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import ConfirmationForm, DecisionForm, NutritionEvaluationForm, QualityTestForm
from .models import ConfirmationStatus, QualityTest

VIEWERS = REVIEW_STAFF_ROLES | {Role.APPLICANT}


def _days_left(certificate, today):
    return (certificate.valid_until - today).days


class ListingListView(RoleRequiredMixin, View):
    """Listings in scope; `?due=1` those whose confirmation falls due within 60 days."""

    roles = VIEWERS

    def get(self, request):
        today = clock.today()
        due = request.GET.get("due") == "1"
        rows = selectors.due_listings(request.user, today) if due else selectors.listings(request.user).order_by(
            "valid_until", "number")
        q = request.GET.get("q", "").strip()
        if q:
            rows = rows.filter(Q(number__icontains=q) | Q(product_name__icontains=q) | Q(holder__name__icontains=q))
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        pending = set(selectors.confirmations(request.user).filter(
            status=ConfirmationStatus.SUBMITTED, certificate__in=list(page)).values_list("certificate_id", flat=True))
        return render(request, "featured/list.html", {
            "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(), "due": due,
            "q": q, "is_staff": bool(request.user.roles & REVIEW_STAFF_ROLES),
            "rows": [(c, c.effective_status_label(today), _days_left(c, today), c.pk in pending) for c in page],
        })


def _detail(request, certificate, *, confirm_form=None, test_form=None, evaluation_form=None, http_status=200):
    today = clock.today()
    user = request.user
    is_holder = Role.APPLICANT in user.roles and user.entity_id == certificate.holder_id
    is_staff = bool(user.roles & REVIEW_STAFF_ROLES)
    in_force = certificate.status not in ("stopped", "revoked")
    open_confirmation = selectors.open_confirmation(certificate)
    opens = services.confirmation_opens_on(certificate)
    can_confirm = is_holder and in_force and open_confirmation is None and opens <= today <= certificate.valid_until
    last_test = selectors.last_quality_test_on(certificate)
    return render(request, "featured/detail.html", {
        "c": certificate, "status": certificate.effective_status(today),
        "status_label": certificate.effective_status_label(today), "days_left": _days_left(certificate, today),
        "opens": opens, "open_confirmation": open_confirmation, "last_test": last_test,
        "next_test_due": services._years_later(last_test, 3) if last_test else None,
        "confirmations": certificate.featured_confirmations.select_related("submitted_by", "decided_by"),
        "tests": selectors.quality_tests(certificate), "evaluations": selectors.nutrition_evaluations(certificate),
        "free_basis": services.free_basis(certificate.holder.region),
        "confirm_form": confirm_form or (ConfirmationForm(initial={"output_unit": certificate.output_unit,
                                                                   "still_producing": True})
                                         if can_confirm else None),
        "test_form": test_form or (QualityTestForm(initial={"tested_on": today}) if is_staff and in_force else None),
        "evaluation_form": evaluation_form or (NutritionEvaluationForm(initial={"evaluated_on": today})
                                               if is_staff and in_force else None),
        "decision_form": DecisionForm() if open_confirmation and Role.PROVINCIAL_REVIEWER in user.roles else None,
        "is_holder": is_holder,
    }, status=http_status)


class ListingDetailView(RoleRequiredMixin, View):
    roles = VIEWERS

    def get(self, request, number):
        return _detail(request, selectors.listing(request.user, number))


class ConfirmationSubmitView(RoleRequiredMixin, View):
    roles = frozenset({Role.APPLICANT})

    def post(self, request, number):
        certificate = selectors.listing(request.user, number)
        form = ConfirmationForm(request.POST)
        if form.is_valid():
            try:
                services.confirmation_submit(actor=request.user, certificate=certificate, **form.cleaned_data)
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
                return _detail(request, certificate, confirm_form=form, http_status=exc.status)
            else:
                messages.success(request, _("年度确认已提交，等待省级工作机构确认"))
                return redirect("featured:detail", number=certificate.number)
        return _detail(request, certificate, confirm_form=form, http_status=400)


class ConfirmationQueueView(RoleRequiredMixin, View):
    """Confirmations waiting for the province (and, with `?status=`, those decided)."""

    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        status = request.GET.get("status", ConfirmationStatus.SUBMITTED)
        rows = selectors.confirmations(request.user)
        if status in ConfirmationStatus.values:
            rows = rows.filter(status=status)
        page = Paginator(rows.order_by("due_on", "pk"), 50).get_page(request.GET.get("page"))
        return render(request, "featured/confirmations.html", {
            "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "status": status, "statuses": ConfirmationStatus.choices,
            "can_decide": Role.PROVINCIAL_REVIEWER in request.user.roles, "decision_form": DecisionForm(),
        })


class ConfirmationDecideView(RoleRequiredMixin, View):
    roles = frozenset({Role.PROVINCIAL_REVIEWER})

    def post(self, request, pk):
        confirmation = selectors.confirmation(request.user, pk, "decide")
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择确认结果并填写意见"))
        else:
            try:
                services.confirmation_decide(actor=request.user, confirmation=confirmation,
                                             confirm=form.cleaned_data["decision"] == "confirm",
                                             opinion=form.cleaned_data["opinion"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已办理 %(number)s 的年度确认")
                                 % {"number": confirmation.certificate.number})
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/featured/")
                        else "featured:confirmations")


class QualityTestCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def post(self, request, number):
        certificate = selectors.listing(request.user, number)
        form = QualityTestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.quality_test_record(actor=request.user, certificate=certificate, **form.cleaned_data)
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已录入品质检测"))
                return redirect("featured:detail", number=certificate.number)
        return _detail(request, certificate, test_form=form, http_status=400)


class NutritionEvaluationCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def post(self, request, number):
        certificate = selectors.listing(request.user, number)
        form = NutritionEvaluationForm(request.POST)
        if form.is_valid():
            try:
                services.nutrition_evaluation_record(actor=request.user, certificate=certificate,
                                                     **form.cleaned_data)
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已录入营养品质评价"))
                return redirect("featured:detail", number=certificate.number)
        return _detail(request, certificate, evaluation_form=form, http_status=400)


class QualityTestReportView(RoleRequiredMixin, View):
    """The stored report file of a quality test, in scope only."""

    roles = VIEWERS

    def get(self, request, pk):
        test = access_by_id(QualityTest.objects.all(), request.user, pk)
        if not test.report_file:
            raise NotFound()
        return FileResponse(test.report_file.open("rb"), as_attachment=True,
                            filename=test.report_file.name.rsplit("/", 1)[-1])

"""Base pages for staff and operators: the scoped list, entering and editing a base, its page with
the sign-board, links, directory history and yearly checks, and the actions on it (apply for
acceptance, record a yearly check, remove from the directory).

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404/409
in sanpin.core.middleware."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.catalog.picker import picker_context
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.errors import Conflict
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .filtersets import BaseFilterSet
from .forms import BaseCheckForm, BaseEditForm, BaseForm, BaseRemoveForm, base_initial
from .models import BASE_ACTIONS, Base


class BaseListView(RoleRequiredMixin, View):
    """Bases in scope: the region's for staff, its own for an operator; filtered and paginated."""

    roles = BASE_ACTIONS["view"]

    def get(self, request):
        filterset = BaseFilterSet(request.GET or None, queryset=Base.objects.none())
        rows = selectors.scoped_bases(request.user, request.GET)
        return render(request, "bases/list.html", {
            "filter_form": filterset.form, **paginate(request, rows),
            "is_review_staff": bool(request.user.roles & REVIEW_STAFF_ROLES),
        })


def _picker_prefix(user) -> str:
    """The region a staff member may place a base in."""
    scope = scope_for(user, "change", Base)
    return scope.value if scope.kind == REGION else "" if scope.kind == ALL else "-"


def _picker_partial(request):
    """The county picker re-rendered for a new choice (htmx), answered by the form page itself."""
    if not (request.htmx and "county_pick" in request.GET):
        return None
    return render(request, "catalog/includes/region_picker.html",
                  picker_context("county", request.GET.get("county_pick", ""), _picker_prefix(request.user)))


def _form_page(request, form, *, base=None, status=200):
    picker = picker_context("county", form["county"].value() or "", _picker_prefix(request.user))
    return render(request, "bases/form.html", {"form": form, "base": base, "picker": picker}, status=status)


class BaseCreateView(RoleRequiredMixin, View):
    roles = BASE_ACTIONS["change"]

    def get(self, request):
        return _picker_partial(request) or _form_page(request, BaseForm())

    def post(self, request):
        form = BaseForm(request.POST)
        outcome = run_service(form, lambda data: selectors.county_in_scope(
            lambda: services.base_create(actor=request.user, **form.service_data())))
        if outcome.ok:
            messages.success(request, _("已录入基地 %(name)s") % {"name": outcome.result.name})
            return redirect("bases:detail", pk=outcome.result.pk)
        return _form_page(request, form, status=outcome.status)


class BaseEditView(RoleRequiredMixin, View):
    roles = BASE_ACTIONS["change"]

    def _form(self, base, data=None):
        certificates, gap_certificates = selectors.operator_certificates(base.operator)
        initial = None if data is not None else base_initial(base)
        return BaseEditForm(data, initial=initial, certificates=certificates, gap_certificates=gap_certificates)

    def get(self, request, pk):
        base = selectors.scoped_base(request.user, pk, "change")
        return _picker_partial(request) or _form_page(request, self._form(base), base=base)

    def post(self, request, pk):
        base = selectors.scoped_base(request.user, pk, "change")
        form = self._form(base, request.POST)
        outcome = run_service(form, lambda data: selectors.county_in_scope(
            lambda: services.base_update(actor=request.user, base=base, **form.service_data())))
        if outcome.ok:
            messages.success(request, _("已保存修改"))
            return redirect("bases:detail", pk=base.pk)
        return _form_page(request, form, base=base, status=outcome.status)


def _detail(request, base, *, check_form=None, remove_form=None, status=200):
    user = request.user
    base = selectors.with_links(Base.objects.filter(pk=base.pk)).select_related(*selectors.RELATED).get()
    supervise = selectors.may_supervise(user, base)
    return render(request, "bases/detail.html", {
        "base": base,
        "application": base.listing_application,
        "may_change": selectors.may_change(user, base),
        "may_apply": selectors.may_apply(user, base),
        "open_application": selectors.open_application(base),
        "check_form": check_form or (BaseCheckForm.blank() if supervise else None),
        "remove_form": remove_form or (BaseRemoveForm() if supervise else None),
        "history": base.status_changes.select_related("actor"),
        "checks": base.checks.select_related("checked_by"),
    }, status=status)


class BaseDetailView(RoleRequiredMixin, View):
    roles = BASE_ACTIONS["view"]

    def get(self, request, pk):
        return _detail(request, selectors.scoped_base(request.user, pk))


class BaseApplyView(RoleRequiredMixin, View):
    """The operator declares the base built to standard: a draft listing application, which it
    completes with its materials and submits on the application's page."""

    roles = frozenset({Role.APPLICANT})

    def post(self, request, pk):
        base = selectors.scoped_base(request.user, pk)
        try:
            application = services.base_apply_for_listing(actor=request.user, base=base)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("bases:detail", pk=base.pk)
        messages.success(request, _("已创建验收复核申请，请上传申请材料后提交"))
        return redirect("certification:detail", pk=application.pk)


class BaseCheckView(RoleRequiredMixin, View):
    roles = BASE_ACTIONS["change"]

    def post(self, request, pk):
        base = selectors.scoped_base(request.user, pk, "change")
        form = BaseCheckForm(request.POST)
        outcome = run_service(form, lambda data: services.base_record_check(
            actor=request.user, base=base, **data), catch=Conflict)
        if outcome.ok:
            messages.success(request, _("已登记 %(y)d 年度检查") % {"y": outcome.result.year})
            return redirect("bases:detail", pk=base.pk)
        return _detail(request, base, check_form=form, status=outcome.status)


class BaseRemoveView(RoleRequiredMixin, View):
    roles = BASE_ACTIONS["change"]

    def post(self, request, pk):
        base = selectors.scoped_base(request.user, pk, "change")
        form = BaseRemoveForm(request.POST)
        outcome = run_service(form, lambda data: services.base_remove(
            actor=request.user, base=base, **data), catch=Conflict)
        if outcome.ok:
            messages.success(request, _("已将该基地移出目录"))
            return redirect("bases:detail", pk=base.pk)
        return _detail(request, base, remove_form=form, status=outcome.status)

"""Pages of the allowed-input lists: the public search (no sign-in) and the staff pages that
manage the list versions, their inputs and residue limits, the Excel import and export.

Thin: parse → access (restrict / access_by_id) → service/selector → render. Domain errors escaping a
view become 403/404/409 in sanpin.core.middleware; errors a user can correct go back on the form."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, access_by_id, can, scope_for
from sanpin.core.errors import DomainError, NotFound, ValidationFailed
from sanpin.core.views.forms import add_service_errors, run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io, selectors, services, transitions
from .choices import ListStatus
from .forms import ImportForm, InputForm, LimitForm, ListForm, NewVersionForm, RetireForm, SearchForm
from .models import LIST_ACTIONS, AllowedInput, AllowedInputList, ResidueLimit

VIEW_ROLES = LIST_ACTIONS["view"]
MANAGE_ROLES = LIST_ACTIONS["manage"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- public -----------------------------------------------------------------------------------------


class PublicSearchView(View):
    """Which inputs green food may use on a day, by name, crop, kind and category, with their
    residue limits and where each comes from. No sign-in."""

    def get(self, request):
        form = SearchForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        on = data.get("on") or clock.today()
        rows = selectors.public_search(q=data.get("q", ""), crop=data.get("crop", ""), kind=data.get("kind", ""),
                                       category=data.get("category", ""), region=data.get("region", ""), on=on)
        if form.is_bound and not form.is_valid():
            rows = rows.none()
        page = paginate(request, rows, size=30)
        return render(request, "inputs/search.html", {
            "form": form, "on": on, **page,
            "has_demo": any(limit.is_demo for item in page["page_obj"] for limit in item.applicable_limits),
        })


# --- staff: lists ------------------------------------------------------------------------------------


def _region_choices(user) -> list[tuple[str, str]]:
    scope = scope_for(user, "manage", AllowedInputList)
    if scope.kind == ALL:
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True).order_by("code")
        return [("", _("全国"))] + [(r.code, r.name) for r in provinces]
    if scope.kind == REGION and user.agency_id and user.agency.region.level == RegionLevel.PROVINCE:
        return [(user.agency.region.code, user.agency.region.name)]
    return []


def may_manage(user, lst) -> bool:
    return can(user, "manage", AllowedInputList) and \
        AllowedInputList.objects.restrict(user, "manage").filter(pk=lst.pk).exists()


class ListIndexView(RoleRequiredMixin, View):
    """Every list version an agency may read (its province's and the national ones), newest first."""

    roles = VIEW_ROLES

    def get(self, request):
        rows = (AllowedInputList.objects.restrict(request.user, "view").select_related("issuer_region")
                .order_by("kind", "issuer_region_id", "-effective_from", "-pk"))
        kind = request.GET.get("kind", "")
        if kind:
            rows = rows.filter(kind=kind)
        today = clock.today()
        return render(request, "inputs/lists.html", {
            **paginate(request, rows), "today": today, "kind": kind,
            "can_create": bool(_region_choices(request.user)) and can(request.user, "manage", AllowedInputList),
        })


class ListCreateView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def _form(self, request, data=None):
        choices = _region_choices(request.user)
        return ListForm(data, regions=choices, initial={"issuer_name": request.user.agency.name
                                                        if request.user.agency_id else ""})

    def get(self, request):
        return render(request, "inputs/list_form.html", {"form": self._form(request), "creating": True})

    def post(self, request):
        form = self._form(request, request.POST)
        outcome = run_service(form, lambda d: services.list_create(actor=request.user, **d))
        if not outcome.ok:
            return render(request, "inputs/list_form.html", {"form": form, "creating": True}, status=outcome.status)
        messages.success(request, _("清单草稿已创建，请添加投入品或导入 Excel"))
        return redirect("inputs:list", pk=outcome.result.pk)


def _list(user, pk, action="view") -> AllowedInputList:
    return access_by_id(AllowedInputList.objects.select_related("issuer_region", "previous"), user, pk, action)


def detail_context(request, lst, **bound) -> dict:
    today = clock.today()
    items = list(lst.inputs.prefetch_related("limits"))
    manage = may_manage(request.user, lst)
    return {
        "lst": lst, "items": items, "today": today, "in_force": lst.in_force_on(today),
        "can_manage": manage, "is_draft": lst.status == ListStatus.DRAFT,
        "actions": [t.action for t in transitions.available(lst.status)] if manage else [],
        "has_demo": any(limit.is_demo for item in items for limit in item.limits.all()),
        "input_form": bound.get("input_form") or InputForm(),
        "limit_form": bound.get("limit_form") or LimitForm(),
        "limit_for": bound.get("limit_for"),
        "retire_form": bound.get("retire_form") or RetireForm(),
        "version_form": bound.get("version_form") or NewVersionForm(initial={"title": lst.title}),
        "action_error": bound.get("action_error", ""),
    }


class ListDetailView(RoleRequiredMixin, View):
    roles = VIEW_ROLES

    def get(self, request, pk):
        lst = _list(request.user, pk)
        return render(request, "inputs/list.html", detail_context(request, lst))


class ListEditView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def _initial(self, lst):
        return {"title": lst.title, "issuer_name": lst.issuer_name, "source_document": lst.source_document,
                "effective_from": lst.effective_from, "effective_until": lst.effective_until, "note": lst.note}

    def get(self, request, pk):
        lst = _list(request.user, pk, "manage")
        form = ListForm(creating=False, initial=self._initial(lst))
        return render(request, "inputs/list_form.html", {"form": form, "lst": lst})

    def post(self, request, pk):
        lst = _list(request.user, pk, "manage")
        form = ListForm(request.POST, creating=False)
        outcome = run_service(form, lambda d: services.list_update(actor=request.user, lst=lst, **d))
        if not outcome.ok:
            return render(request, "inputs/list_form.html", {"form": form, "lst": lst}, status=outcome.status)
        messages.success(request, _("已保存"))
        return redirect("inputs:list", pk=lst.pk)


class _ListAction(RoleRequiredMixin, View):
    """POST one action on a list; a refusal is shown on the list page. Each subclass defines
    `run(request, lst, data) -> (list, message)`, calling one service."""

    roles = MANAGE_ROLES
    form_class = None
    form_name = ""

    def post(self, request, pk):
        lst = _list(request.user, pk, "manage")
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return render(request, "inputs/list.html", detail_context(request, lst, **{self.form_name: form}),
                          status=400)
        try:
            result, message = self.run(request, lst, form.cleaned_data if form is not None else {})
        except ValidationFailed as exc:
            if form is None:
                text = "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
                return render(request, "inputs/list.html", detail_context(request, lst, action_error=text), status=400)
            add_service_errors(form, exc)
            return render(request, "inputs/list.html", detail_context(request, lst, **{self.form_name: form}),
                          status=400)
        except DomainError as exc:
            return render(request, "inputs/list.html", detail_context(request, lst, action_error=exc.message),
                          status=exc.status)
        messages.success(request, message)
        return redirect("inputs:list", pk=result.pk)


class ListPublishView(_ListAction):
    def run(self, request, lst, data):
        lst = services.list_publish(actor=request.user, lst=lst)
        return lst, _("清单已发布，自 %s 起施行") % lst.effective_from.isoformat()


class ListRetireView(_ListAction):
    form_class, form_name = RetireForm, "retire_form"

    def run(self, request, lst, data):
        return services.list_retire(actor=request.user, lst=lst, **data), _("清单已废止")


class ListNewVersionView(_ListAction):
    form_class, form_name = NewVersionForm, "version_form"

    def run(self, request, lst, data):
        draft = services.list_new_version(actor=request.user, lst=lst, **data)
        return draft, _("已创建新版本草稿，原清单的投入品和残留限量已复制，可修改后发布")


class InputAddView(_ListAction):
    form_class, form_name = InputForm, "input_form"

    def run(self, request, lst, data):
        item = services.input_add(actor=request.user, lst=lst, **data)
        return lst, _("已添加：%s") % item.common_name


# --- staff: entries and limits ----------------------------------------------------------------------


def _entry(user, pk) -> AllowedInput:
    """An input whose list the user manages (404 otherwise)."""
    lists = AllowedInputList.objects.restrict(user, "manage")
    found = AllowedInput.objects.filter(pk=pk, list__in=lists).select_related("list").first() \
        if can(user, "manage", AllowedInputList) else None
    if found is None:
        raise NotFound()
    return found


class InputRemoveView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def post(self, request, pk):
        item = _entry(request.user, pk)
        services.input_remove(actor=request.user, item=item)
        messages.success(request, _("已移除：%s") % item.common_name)
        return redirect("inputs:list", pk=item.list_id)


class LimitAddView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def post(self, request, pk):
        item = _entry(request.user, pk)
        form = LimitForm(request.POST)
        outcome = run_service(form, lambda d: services.limit_add(actor=request.user, item=item, **d))
        if not outcome.ok:
            return render(request, "inputs/list.html",
                          detail_context(request, item.list, limit_form=form, limit_for=item.pk),
                          status=outcome.status)
        messages.success(request, _("已添加残留限量：%s") % outcome.result)
        return redirect("inputs:list", pk=item.list_id)


class LimitRemoveView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def post(self, request, pk):
        lists = AllowedInputList.objects.restrict(request.user, "manage")
        limit = ResidueLimit.objects.filter(pk=pk, input__list__in=lists).select_related("input").first()
        if limit is None:
            raise NotFound()
        services.limit_remove(actor=request.user, limit=limit)
        messages.success(request, _("已删除残留限量"))
        return redirect("inputs:list", pk=limit.input.list_id)


# --- staff: Excel --------------------------------------------------------------------------------------


class ListImportView(RoleRequiredMixin, View):
    """Upload the filled template; a dry run shows what would be written and every bad row."""

    roles = MANAGE_ROLES

    def get(self, request, pk):
        lst = _list(request.user, pk, "manage")
        return render(request, "inputs/import.html", {"lst": lst, "form": ImportForm()})

    def post(self, request, pk):
        lst = _list(request.user, pk, "manage")
        form = ImportForm(request.POST, request.FILES)
        context = {"lst": lst, "form": form}
        if not form.is_valid():
            return render(request, "inputs/import.html", context, status=400)
        try:
            outcome = services.list_import(actor=request.user, lst=lst, data=form.cleaned_data["file"].read(),
                                           dry_run=form.cleaned_data["dry_run"])
        except ValidationFailed as exc:
            context["row_errors"] = exc.fields.get("rows", [])
            if not context["row_errors"]:
                add_service_errors(form, exc, {"rows": None})
            return render(request, "inputs/import.html", context, status=400)
        if outcome.written:
            messages.success(request, _("已导入 %(n)d 个投入品、%(m)d 条残留限量") % {
                "n": outcome.new_inputs, "m": outcome.limit_count})
            return redirect("inputs:list", pk=lst.pk)
        return render(request, "inputs/import.html", {**context, "outcome": outcome})


class TemplateDownloadView(RoleRequiredMixin, View):
    roles = MANAGE_ROLES

    def get(self, request):
        return _xlsx(io.template_xlsx(), "allowed-inputs-template.xlsx")


class ListExportView(RoleRequiredMixin, View):
    roles = VIEW_ROLES

    def get(self, request, pk):
        lst = _list(request.user, pk)
        return _xlsx(io.export_xlsx(lst), f"allowed-inputs-{lst.pk}.xlsx")

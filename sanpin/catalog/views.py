"""Pages for regions, entities, trademarks and applicant sign-up.

Thin: parse the form → reach the object through the access helpers → call the service →
render. Domain errors escaping a view become 403/404 in sanpin.core.middleware.
"""

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sanpin.accounts.choices import ENTITY_ROLES, NATIONAL_ROLES, REVIEW_STAFF_ROLES, STAFF_ROLES, Role
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed
from sanpin.core.views.forms import add_service_errors, run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io as region_io
from . import selectors, services
from .choices import RegionLevel
from .filtersets import EntityFilterSet, search_regions
from .forms import (
    EntityContactForm,
    EntityEditForm,
    EntityForm,
    RegionEditForm,
    RegionFilterForm,
    RegionImportForm,
    SignupForm,
    TrademarkForm,
)
from .models import Entity, Region, Trademark
from .picker import picker_context

ENTITY_LIST_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR}
IMPORT_SESSION_KEY = "catalog.region_import"
IMPORT_STASH_LIMIT = 2 * 1024 * 1024


def _region_or_404(code: str) -> Region:
    region = Region.objects.select_related("parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


def _querystring(request, drop=("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


# --- regions ----------------------------------------------------------------------------------


class RegionListView(RoleRequiredMixin, TemplateView):
    """Browse the tree (province → city → county) with subtree counts, or search by name/code
    and flag."""

    roles = STAFF_ROLES
    template_name = "catalog/region_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = RegionFilterForm(self.request.GET or None)
        parent = _region_or_404(self.request.GET["parent"]) if self.request.GET.get("parent") else None
        searching = form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["flag"])
        context.update(form=form, parent=parent, searching=searching, totals=selectors.region_totals(),
                       can_edit=bool(self.request.user.roles & NATIONAL_ROLES),
                       breadcrumb=[*parent.ancestors(), parent] if parent else [])
        if searching:
            context["page_obj"] = self._search(form.cleaned_data)
            context["query"] = _querystring(self.request)
        else:
            context["rows"] = selectors.region_children_rows(parent)
        return context

    def _search(self, data):
        queryset = search_regions(Region.objects.all(), data["q"])
        queryset = {
            "poverty": queryset.filter(poverty_exit_county=True),
            "key": queryset.filter(key_assistance_county=True),
            "any": queryset.filter(Q(poverty_exit_county=True) | Q(key_assistance_county=True)),
            "number_code": queryset.exclude(number_code=""),
        }.get(data["flag"], queryset)
        return Paginator(queryset.order_by("code"), 100).get_page(self.request.GET.get("page"))


class RegionDetailView(RoleRequiredMixin, TemplateView):
    roles = STAFF_ROLES
    template_name = "catalog/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = _region_or_404(kwargs["code"])
        is_national = bool(self.request.user.roles & NATIONAL_ROLES)
        context.update(
            region=region,
            breadcrumb=region.ancestors(),
            rows=selectors.region_children_rows(region) if region.level != RegionLevel.COUNTY else [],
            history=selectors.region_history(region) if is_national else [],
            can_edit=is_national and region.level in (RegionLevel.PROVINCE, RegionLevel.COUNTY),
        )
        return context


class RegionEditView(RoleRequiredMixin, View):
    roles = NATIONAL_ROLES
    template_name = "catalog/region_edit.html"

    def get(self, request, code):
        region = _region_or_404(code)
        return render(request, self.template_name, {"region": region, "form": RegionEditForm(region=region)})

    def post(self, request, code):
        region = _region_or_404(code)
        form = RegionEditForm(request.POST, region=region)
        if run_service(form, lambda data: services.region_update(
                region=region, actor=request.user, data=form.service_data(), reason=data["reason"]),
                catch=ValidationFailed).ok:
            messages.success(request, _("已保存 %(name)s 的修改") % {"name": region})
            return redirect("catalog:region_detail", code=region.code)
        return render(request, self.template_name, {"region": region, "form": form}, status=400)


class RegionImportView(RoleRequiredMixin, View):
    """Upload → validate (dry run) → confirm. The checked file waits in the session so the
    administrator confirms exactly what was checked."""

    roles = NATIONAL_ROLES
    template_name = "catalog/region_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RegionImportForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self._confirm(request)
        form = RegionImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        dry_run = request.POST.get("action") != "import"
        try:
            result = services.regions_import_xlsx(actor=request.user, file=data, dry_run=dry_run, file_name=upload.name)
        except ValidationFailed as exc:
            form = RegionImportForm()
            add_service_errors(form, ValidationFailed(exc.message, fields={
                "file": exc.fields.get("file", [exc.message])
            }))
            return render(request, self.template_name, {"form": form}, status=400)
        stashed = False
        if dry_run and result.ok and result.changed_rows and len(data) <= IMPORT_STASH_LIMIT:
            request.session[IMPORT_SESSION_KEY] = {"name": upload.name, "data": base64.b64encode(data).decode()}
            stashed = True
        return self._result(request, result, stashed=stashed)

    def _confirm(self, request):
        stash = request.session.pop(IMPORT_SESSION_KEY, None)
        if not stash:
            messages.warning(request, _("校验结果已失效，请重新上传文件"))
            return redirect("catalog:region_import")
        result = services.regions_import_xlsx(
            actor=request.user, file=base64.b64decode(stash["data"]), dry_run=False, file_name=stash["name"]
        )
        return self._result(request, result, stashed=False)

    def _result(self, request, result, *, stashed):
        if not result.dry_run and result.ok:
            messages.success(request, _("导入完成：更新 %(n)d 个区划") % {"n": result.written})
        status = 200 if result.ok else 400
        return render(request, self.template_name, {"form": RegionImportForm(), "result": result,
                                                    "stashed": stashed}, status=status)


class RegionTemplateView(RoleRequiredMixin, View):
    """The import template as xlsx; `?province=450000` fills in that province's counties."""

    roles = NATIONAL_ROLES

    def get(self, request):
        regions, suffix = [], ""
        code = request.GET.get("province", "")
        if code:
            province = _region_or_404(code)
            regions = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=province.scope_prefix)
            suffix = f"-{province.code}"
        response = HttpResponse(
            region_io.region_template(regions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="regions-flags{suffix}.xlsx"'
        return response


def _picker_prefix(user) -> str | None:
    """Where the user may place an organisation: staff within their region, anyone signing up
    anywhere."""
    if user.is_authenticated and user.roles & REVIEW_STAFF_ROLES:
        return services.entity_region_prefix(user, "create")
    return ""


def picker_partial(request, prefix: str):
    """The picker block re-rendered for a new choice, answered by the form page itself (htmx)
    so that the picker is exactly as open as its form: public on sign-up, scoped for staff."""
    if not (request.htmx and "region_pick" in request.GET):
        return None
    return render(request, "catalog/includes/region_picker.html",
                  picker_context("region", request.GET.get("region_pick", ""), prefix))


# --- entities ---------------------------------------------------------------------------------


class EntityListView(RoleRequiredMixin, TemplateView):
    roles = ENTITY_LIST_ROLES
    template_name = "catalog/entity_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Entity.objects.restrict(self.request.user, "view").select_related("region")
        filterset = EntityFilterSet(self.request.GET or None, queryset=queryset)
        entities = filterset.qs if filterset.is_bound else queryset
        page = Paginator(entities.order_by("name", "pk"), 50).get_page(self.request.GET.get("page"))
        context.update(filter=filterset, page_obj=page, paginator=page.paginator,
                       is_paginated=page.has_other_pages(), query=_querystring(self.request),
                       can_create=can(self.request.user, "create", Entity))
        return context


def _entity_context(request, entity, **extra):
    user = request.user
    may_change = Entity.objects.restrict(user, "change").filter(pk=entity.pk).exists()
    return {
        "entity": entity,
        "trademarks": entity.trademarks.all(),
        "can_change": may_change,
        "staff_edit": may_change and bool(user.roles & REVIEW_STAFF_ROLES),
        "trademark_form": TrademarkForm(),
        "region_chain": [*entity.region.ancestors(), entity.region],
        **extra,
    }


class EntityDetailView(RoleRequiredMixin, View):
    roles = ENTITY_LIST_ROLES | ENTITY_ROLES

    def get(self, request, pk):
        entity = access_by_id(Entity.objects.select_related("region__parent__parent"), request.user, pk, "view")
        # Imported here: portal sits above catalog, which must not depend on it at module level.
        from sanpin.portal.holdings import entity_holdings

        holdings = entity_holdings(request.user, entity)
        return render(request, "catalog/entity_detail.html", _entity_context(request, entity, holdings=holdings))


class EntityCreateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES
    template_name = "catalog/entity_form.html"

    def _render(self, request, form, status=200):
        prefix = _picker_prefix(request.user) or ""
        picker = picker_context("region", form["region"].value() or "", prefix)
        return render(request, self.template_name, {"form": form, "picker": picker, "creating": True}, status=status)

    def get(self, request):
        if not can(request.user, "create", Entity):
            raise PermissionDenied()
        return picker_partial(request, _picker_prefix(request.user) or "") or self._render(request, EntityForm())

    def post(self, request):
        form = EntityForm(request.POST)
        entity, status = run_service(form, lambda data: services.entity_create(
            actor=request.user, **form.service_data()), catch=ValidationFailed)
        if status is None:
            messages.success(request, _("已登记 %(name)s") % {"name": entity.name})
            return redirect("catalog:entity_detail", pk=entity.pk)
        return self._render(request, form, status=400)


class EntityEditView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES
    template_name = "catalog/entity_form.html"

    def _render(self, request, entity, form, status=200):
        prefix = services.entity_region_prefix(request.user, "change") or ""
        picker = picker_context("region", form["region"].value() or "", prefix)
        return render(request, self.template_name, {"form": form, "entity": entity, "picker": picker}, status=status)

    def get(self, request, pk):
        entity = access_by_id(Entity, request.user, pk, "change")
        partial = picker_partial(request, services.entity_region_prefix(request.user, "change") or "")
        return partial or self._render(request, entity, EntityEditForm(initial=services.entity_snapshot(entity)))

    def post(self, request, pk):
        entity = access_by_id(Entity, request.user, pk, "change")
        form = EntityEditForm(request.POST)
        if run_service(form, lambda data: services.entity_update(
                entity=entity, actor=request.user, data=form.service_data(), reason=data["reason"]),
                catch=ValidationFailed).ok:
            messages.success(request, _("已保存修改"))
            return redirect("catalog:entity_detail", pk=entity.pk)
        return self._render(request, entity, form, status=400)


class MyEntityView(RoleRequiredMixin, View):
    """An organisation's own page for its users; its applicant keeps the contact data current."""

    roles = ENTITY_ROLES
    template_name = "catalog/my_entity.html"

    def _entity(self, request):
        if not request.user.entity_id:
            raise NotFound(_("您的账号尚未关联单位，请联系所在地工作机构"))
        return access_by_id(Entity.objects.select_related("region__parent__parent"), request.user,
                            request.user.entity_id, "view")

    def get(self, request):
        entity = self._entity(request)
        form = EntityContactForm(initial=services.entity_snapshot(entity))
        return render(request, self.template_name, _entity_context(request, entity, contact_form=form))

    def post(self, request):
        entity = self._entity(request)
        form = EntityContactForm(request.POST)
        if run_service(form, lambda data: services.entity_update(
                entity=entity, actor=request.user, data=data, reason=_("申请人更新联系信息")),
                catch=ValidationFailed).ok:
            messages.success(request, _("联系信息已更新"))
            return redirect("catalog:my_entity")
        context = _entity_context(request, entity, contact_form=form)
        return render(request, self.template_name, context, status=400)


def _back(request, entity) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("catalog:entity_detail", args=[entity.pk])
    return HttpResponseRedirect(target)


class TrademarkAddView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES | {Role.APPLICANT}

    def post(self, request, pk):
        entity = access_by_id(Entity, request.user, pk, "change")
        form = TrademarkForm(request.POST)
        run_service(form, lambda data: services.trademark_add(entity=entity, actor=request.user, **data),
                    catch=ValidationFailed)
        if form.errors:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}：{error}" if label else error)
        else:
            messages.success(request, _("已添加商标"))
        return _back(request, entity)


class TrademarkRemoveView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES | {Role.APPLICANT}

    def post(self, request, pk):
        trademark = access_by_id(Trademark.objects.select_related("entity"), request.user, pk, "change")
        services.trademark_remove(trademark=trademark, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已删除商标 %(name)s") % {"name": trademark})
        return _back(request, trademark.entity)


# --- sign-up ----------------------------------------------------------------------------------


class SignupView(View):
    """Public: a new applicant opens an account with its organisation, then is signed in."""

    template_name = "catalog/signup.html"

    def _render(self, request, form, status=200):
        picker = picker_context("region", form["region"].value() or "", "")
        return render(request, self.template_name, {"form": form, "picker": picker}, status=status)

    @staticmethod
    def _home(request):
        if request.user.entity_id:
            return redirect("catalog:my_entity")
        return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))

    def get(self, request):
        if request.user.is_authenticated:
            messages.info(request, _("您已登录；如需为其他单位注册，请先退出"))
            return self._home(request)
        return picker_partial(request, "") or self._render(request, SignupForm())

    def post(self, request):
        if request.user.is_authenticated:
            return self._home(request)
        form = SignupForm(request.POST)
        # SignupForm.add_service_errors puts the service's `password` on `password1`.
        user, status = run_service(form, lambda data: services.applicant_signup(**form.service_data()),
                                   catch=ValidationFailed)
        if status is None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用。请核对本单位信息。"))
            return redirect("catalog:my_entity")
        return self._render(request, form, status=400)


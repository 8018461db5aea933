"""GI registry pages: the list and detail for staff and holder associations, the import, and
the public verification page.

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404
in sanpin.core.middleware.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core import clock
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import DomainError, ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io, selectors, services
from .choices import AuthorizationStatus, RegistrationStatus
from .filtersets import GIRegistrationFilterSet
from .forms import AuthorizeForm, EndForm, ImportForm, QualityRecordForm, RevokeForm
from .models import GI_ACTIONS, GIAuthorization, GIRegistration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _querystring(request, drop=("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


class RegistrationListView(RoleRequiredMixin, View):
    """Registrations in scope: all of the region for staff, its own for a holder association."""

    roles = GI_ACTIONS["view"]

    def get(self, request):
        queryset = GIRegistration.objects.restrict(request.user, "view").select_related("holder", "holder__region")
        filterset = GIRegistrationFilterSet(request.GET or None, queryset=queryset)
        registrations = (filterset.qs if filterset.is_bound else queryset).order_by("number")
        page = Paginator(registrations, 50).get_page(request.GET.get("page"))
        return render(request, "gi/list.html", {
            "filter": filterset, "page_obj": page, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(), "query": _querystring(request),
            "can_import": can(request.user, "change", GIRegistration),
        })


def _detail(request, registration, *, authorize_form=None, quality_form=None, revoke_form=None, http_status=200):
    today = clock.today()
    user = request.user
    live = registration.status == RegistrationStatus.REGISTERED
    may_authorize = live and GIRegistration.objects.restrict(user, "authorize").filter(pk=registration.pk).exists()
    may_record = GIRegistration.objects.restrict(user, "change").filter(pk=registration.pk).exists()
    may_revoke = live and GIRegistration.objects.restrict(user, "revoke").filter(pk=registration.pk).exists()
    authorizations = [
        (a, a.effective_status(today), a.effective_status_label(today))
        for a in selectors.authorizations_of(registration)
    ]
    years, quality_rows = selectors.quality_table(registration)
    return render(request, "gi/detail.html", {
        "r": registration, "counties": registration.counties.order_by("code"),
        "history": registration.status_changes.select_related("actor"),
        "authorizations": authorizations, "valid": AuthorizationStatus.VALID,
        "years": years, "quality_rows": quality_rows,
        "authorize_form": authorize_form or (AuthorizeForm() if may_authorize else None),
        "quality_form": quality_form or (QualityRecordForm(initial={"year": today.year}) if may_record else None),
        "revoke_form": revoke_form or (RevokeForm() if may_revoke else None),
        "may_end": may_authorize,
    }, status=http_status)


class RegistrationDetailView(RoleRequiredMixin, View):
    roles = GI_ACTIONS["view"]

    def get(self, request, gi_number):
        return _detail(request, selectors.scoped_registration(request.user, gi_number))


class AuthorizeView(RoleRequiredMixin, View):
    """The holder association (or staff in scope) authorises a producer to use the mark."""

    roles = GI_ACTIONS["authorize"]

    def post(self, request, gi_number):
        registration = selectors.scoped_registration(request.user, gi_number, "authorize")
        form = AuthorizeForm(request.POST)
        outcome = run_service(form, lambda data: services.gi_authorize(
            actor=request.user, registration=registration, **data))
        if outcome.ok:
            name = form.cleaned_data["user_entity"].name
            messages.success(request, _("已授权 %(name)s 使用地理标志") % {"name": name})
            return redirect("gi:detail", gi_number=registration.number)
        return _detail(request, registration, authorize_form=form, http_status=outcome.status)


class AuthorizationEndView(RoleRequiredMixin, View):
    roles = GI_ACTIONS["authorize"]

    def post(self, request, gi_number, authorization_id):
        registration = selectors.scoped_registration(request.user, gi_number, "authorize")
        authorization = access_by_id(GIAuthorization.objects.filter(registration=registration), request.user,
                                     authorization_id, "authorize")
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                services.gi_authorization_end(actor=request.user, authorization=authorization, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, "；".join([exc.message, *(m for ms in exc.fields.values() for m in ms)]))
            else:
                messages.success(request, _("已终止该用标授权"))
        else:
            messages.error(request, _("请填写终止理由"))
        return redirect("gi:detail", gi_number=registration.number)


class QualityRecordView(RoleRequiredMixin, View):
    """Staff in scope add one measured indicator to the GI quality database."""

    roles = GI_ACTIONS["change"]

    def post(self, request, gi_number):
        registration = selectors.scoped_registration(request.user, gi_number, "change")
        form = QualityRecordForm(request.POST)
        if run_service(form, lambda data: services.gi_quality_record_add(
                actor=request.user, registration=registration, **data), catch=ValidationFailed).ok:
            messages.success(request, _("品质数据已保存"))
            return redirect("gi:detail", gi_number=registration.number)
        return _detail(request, registration, quality_form=form, http_status=400)


class RevokeView(RoleRequiredMixin, View):
    roles = GI_ACTIONS["revoke"]

    def post(self, request, gi_number):
        registration = selectors.scoped_registration(request.user, gi_number, "revoke")
        form = RevokeForm(request.POST)
        outcome = run_service(form, lambda data: services.gi_registration_revoke(
            actor=request.user, registration=registration, reason=data["reason"]))
        if outcome.ok:
            messages.success(request, _("登记已撤销"))
            return redirect("gi:detail", gi_number=registration.number)
        return _detail(request, registration, revoke_form=form, http_status=outcome.status)


class ImportView(RoleRequiredMixin, View):
    """Upload → validate (仅校验) or validate and import. Any bad row: nothing is written and
    every bad row is listed."""

    roles = GI_ACTIONS["change"]
    template_name = "gi/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("action") != "import"
        try:
            result = services.gi_registration_import(actor=request.user, file=upload.read(), dry_run=dry_run,
                                                     file_name=upload.name)
        except ValidationFailed as exc:
            for message in exc.fields.get("file", [exc.message]):
                form.add_error("file", message)
            return render(request, self.template_name, {"form": form}, status=400)
        if not result.dry_run and result.ok:
            messages.success(request, _("导入完成：新增 %(n)d 个地理标志登记") % {"n": result.written})
        return render(request, self.template_name, {"form": ImportForm(), "result": result},
                      status=200 if result.ok else 400)


class ImportTemplateView(RoleRequiredMixin, View):
    roles = GI_ACTIONS["change"]

    def get(self, request):
        response = HttpResponse(io.registration_template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="gi-registrations-template.xlsx"'
        return response


class VerifyView(View):
    """Public: look up a GI registration number."""

    def get(self, request):
        number = request.GET.get("number", "").strip()[:40]
        registration = selectors.public_lookup(number) if number else None
        return render(request, "gi/verify.html", {"number": number, "registration": registration,
                                                  "searched": bool(number)})

"""GAP record pages: the scoped list, recording, correcting and ending a certificate.

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404
in sanpin.core.middleware.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.catalog.models import Entity
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.views.forms import add_service_errors, run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import GAPCertificateForm, GAPCreateForm, GAPEndForm, GAPFilterForm
from .models import GAP_ACTIONS, GAPCertificate, GAPStatus


class GAPListView(RoleRequiredMixin, View):
    """Certificates in scope: the region's for staff, its own for a holder."""

    roles = GAP_ACTIONS["view"]

    def get(self, request):
        today = clock.today()
        form = GAPFilterForm(request.GET or None)
        rows = selectors.scoped_certificates(request.user)
        if form.is_valid():
            q = form.cleaned_data["q"].strip()
            if q:
                rows = rows.filter(Q(number__icontains=q) | Q(holder__name__icontains=q) | Q(products__icontains=q)
                                   | Q(certifier__icontains=q))
            rows = selectors.with_effective_status(rows, form.cleaned_data["status"], today)
        page = Paginator(rows.order_by("-valid_from", "pk"), 50).get_page(request.GET.get("page"))
        return render(request, "gap/list.html", {
            "form": form, "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "rows": [(c, c.effective_status_label(today)) for c in page],
            "can_create": can(request.user, "change", GAPCertificate),
        })


class GAPCreateView(RoleRequiredMixin, View):
    roles = GAP_ACTIONS["change"]

    def _render(self, request, form, status=200):
        return render(request, "gap/form.html", {"form": form, "creating": True}, status=status)

    def get(self, request):
        return self._render(request, GAPCreateForm(initial={"holder_uscc": request.GET.get("holder", "")}))

    def post(self, request):
        form = GAPCreateForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            uscc = values.pop("holder_uscc").strip().upper()
            holder = Entity.objects.restrict(request.user, "view").filter(uscc=uscc, is_active=True).first()
            if holder is None:
                form.add_error("holder_uscc", _("未找到该统一社会信用代码的主体，或该主体不在您的管辖范围内"))
            else:
                try:
                    certificate = services.gap_certificate_create(actor=request.user, holder=holder, **values)
                except ValidationFailed as exc:
                    add_service_errors(form, exc)
                except PermissionDenied:
                    form.add_error("holder_uscc", _("该主体不在您的管辖范围内"))
                else:
                    messages.success(request, _("已录入良好农业规范认证证书 %(n)s") % {"n": certificate.number})
                    return redirect("gap:detail", pk=certificate.pk)
        return self._render(request, form, status=400)


def _detail(request, certificate, *, edit_form=None, end_form=None, http_status=200):
    today = clock.today()
    may_change = (certificate.status == GAPStatus.VALID
                  and GAPCertificate.objects.restrict(request.user, "change").filter(pk=certificate.pk).exists())
    initial = {f: getattr(certificate, f) for f in services.FIELDS}
    return render(request, "gap/detail.html", {
        "c": certificate, "status_label": certificate.effective_status_label(today),
        "status": certificate.effective_status(today),
        "edit_form": edit_form or (GAPCertificateForm(initial=initial) if may_change else None),
        "end_form": end_form or (GAPEndForm(initial={"ended_on": today}) if may_change else None),
    }, status=http_status)


class GAPDetailView(RoleRequiredMixin, View):
    roles = GAP_ACTIONS["view"]

    def get(self, request, pk):
        return _detail(request, selectors.scoped_certificate(request.user, pk))


class GAPEditView(RoleRequiredMixin, View):
    roles = GAP_ACTIONS["change"]

    def post(self, request, pk):
        certificate = selectors.scoped_certificate(request.user, pk, "change")
        form = GAPCertificateForm(request.POST)
        outcome = run_service(form, lambda data: services.gap_certificate_update(
            actor=request.user, certificate=certificate, **data))
        if outcome.ok:
            messages.success(request, _("已保存修改"))
            return redirect("gap:detail", pk=certificate.pk)
        return _detail(request, certificate, edit_form=form, http_status=outcome.status)


class GAPEndView(RoleRequiredMixin, View):
    roles = GAP_ACTIONS["change"]

    def post(self, request, pk):
        certificate = selectors.scoped_certificate(request.user, pk, "change")
        form = GAPEndForm(request.POST)
        outcome = run_service(form, lambda data: services.gap_certificate_end(
            actor=request.user, certificate=certificate, **data))
        if outcome.ok:
            messages.success(request, _("已终止该证书记录"))
            return redirect("gap:detail", pk=certificate.pk)
        return _detail(request, certificate, end_form=form, http_status=outcome.status)

"""合格证 pages: issue one (phone-first), the caller's list (keyset), upload a sheet, one
certificate with its QR code, and the public scan page `/c/<code>/?s=`.

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404
in sanpin.core.middleware.
"""

import uuid

import segno
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.middleware import client_ip_of
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import codes, issuing, scans, selectors
from .choices import COMMITMENT_TEXT, CommitmentBasis, ProductCategory
from .models import COMPLIANCE_ACTIONS, ComplianceCertificate


class IssueForm(forms.Form):
    product_name = forms.CharField(label=gettext_lazy("产品名称"), max_length=60)
    category = forms.ChoiceField(label=gettext_lazy("产品类别"), choices=ProductCategory.choices)
    quantity = forms.DecimalField(label=gettext_lazy("数量（重量）"), max_digits=14, decimal_places=3,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=10)
    origin = forms.CharField(label=gettext_lazy("产地"), max_length=120)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    basis = forms.ChoiceField(label=gettext_lazy("承诺依据"), choices=CommitmentBasis.choices,
                              widget=forms.RadioSelect)
    test_report_no = forms.CharField(label=gettext_lazy("检测报告编号"), max_length=60, required=False,
                                     help_text=gettext_lazy("依据自行检测或委托检测时填写"))
    mark_number = forms.CharField(label=gettext_lazy("绿色食品/有机/地理标志编号"), max_length=40, required=False,
                                  help_text=gettext_lazy("产品已获证时填写，扫码时一并显示（三码合一）"))
    trace_code = forms.CharField(label=gettext_lazy("追溯码"), max_length=60, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel（.xlsx）或 CSV 文件"))
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不开具"), required=False, initial=True)


class ComplianceListView(RoleRequiredMixin, View):
    """The caller's certificates, newest first, 50 a page by keyset (`?after=` / `?before=`)."""

    roles = COMPLIANCE_ACTIONS["view"]

    def get(self, request):
        page = selectors.keyset(selectors.issued_by_caller(request.user), request.GET.get("after", ""),
                                before=request.GET.get("before", ""))
        return render(request, "compliance/list.html", {
            "rows": page.rows, "keyset": page, "first_page": page.first,
            "can_issue": can(request.user, "issue", ComplianceCertificate),
        })


class ComplianceIssueView(RoleRequiredMixin, View):
    """Issue one 合格证 on a phone: the producer's defaults prefilled; a hidden key makes a double
    tap or a resent form answer the certificate already made."""

    roles = COMPLIANCE_ACTIONS["issue"]

    def _render(self, request, form, status=200):
        return render(request, "compliance/issue.html", {"form": form, "commitment": COMMITMENT_TEXT,
                                                         "entity": request.user.entity}, status=status)

    def get(self, request):
        entity = issuing.issuer_of(request.user)
        initial = {**issuing.defaults_for(entity), "idempotency_key": f"ui-{uuid.uuid4().hex}"}
        return self._render(request, IssueForm(initial=initial))

    def post(self, request):
        form = IssueForm(request.POST)

        def call(data):
            values = {k: v for k, v in data.items() if k != "idempotency_key"}
            values["quantity"] = str(values["quantity"])
            if data.get("idempotency_key"):
                values["idempotency_key"] = data["idempotency_key"]
            return issuing.compliance_issue_one(actor=request.user, **values)

        outcome = run_service(form, call)
        if not outcome.ok:
            return self._render(request, form, status=outcome.status)
        messages.success(request, _("已开具承诺达标合格证 %(code)s") % {"code": outcome.result.code})
        return redirect("compliance:detail", code=outcome.result.code)


class ComplianceUploadView(RoleRequiredMixin, View):
    """Issue from an xlsx/CSV sheet: a dry run lists every bad row; a real run is all or nothing."""

    roles = COMPLIANCE_ACTIONS["issue"]

    def _render(self, request, form, outcome=None, status=200):
        return render(request, "compliance/upload.html", {
            "form": form, "outcome": outcome, "labels": issuing.LABELS, "max_rows": issuing.MAX_BATCH,
        }, status=status)

    def get(self, request):
        issuing.issuer_of(request.user)
        return self._render(request, UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)

        def call(data):
            upload = data["file"]
            return issuing.compliance_issue_upload(actor=request.user, data=upload.read(), file_name=upload.name,
                                                   dry_run=data["dry_run"])

        outcome = run_service(form, call, rename={"items": "file"})
        if not outcome.ok:
            return self._render(request, form, status=outcome.status)
        result = outcome.result
        if result.problems:
            return self._render(request, form, result, status=400)
        if result.result is not None:
            messages.success(request, _("已开具 %(n)d 张合格证（其中 %(new)d 张为新开具）") % {
                "n": len(result.result.certificates), "new": result.result.created_count})
            return redirect("compliance:list")
        return self._render(request, form, result)


class ComplianceTemplateView(RoleRequiredMixin, View):
    roles = COMPLIANCE_ACTIONS["issue"]

    def get(self, request):
        response = HttpResponse(issuing.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="compliance-template.csv"'
        return response


def _qr_svg(code: str) -> str:
    return segno.make(codes.scan_url(code), error="m", micro=False).svg_inline(scale=4, border=2, dark="#000")


class ComplianceDetailView(RoleRequiredMixin, View):
    """One certificate as its issuer (or staff of its region) sees it: the QR code to print or
    show, scans and any copy flag."""

    roles = COMPLIANCE_ACTIONS["view"]

    def get(self, request, code):
        certificate = selectors.scoped_by_code(request.user, code)
        if certificate is None:
            raise Http404
        graph = selectors.chain(certificate)
        return render(request, "compliance/detail.html", {
            "certificate": certificate, "qr": _qr_svg(certificate.code), "scan_url": codes.scan_url(certificate.code),
            "commitment": COMMITMENT_TEXT, "chain": graph,
            "marks": [selectors.mark_status(certificate.mark_number, clock.today())],
        })


class ComplianceScanView(View):
    """Public: where a 合格证 QR code lands, `/c/<code>/?s=<kid>.<signature>` (optionally
    `&loc=lat,lng` from a scanning app). Counts the scan."""

    def get(self, request, code):
        code = code[:40]
        answer = selectors.public_answer(code, request.GET.get("s", "")[:200], clock.today())
        if answer.certificate is not None:
            scans.record_scan(answer.certificate, location=scans.parse_location(request.GET.get("loc", "")),
                              ip=client_ip_of(request) or "")
        return render(request, "compliance/scan.html", {
            "answer": answer, "certificate": answer.certificate, "chain": answer.chain,
            "commitment": COMMITMENT_TEXT,
        })

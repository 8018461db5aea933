"""Pages of 收证, re-issue, violations and the issuing rate (decision 0028).

Phone-first: the receive and re-issue pages are one column, large inputs, usable at 360 px wide.
Thin: parse → access → service (one transaction; a refusal leaves nothing written) → redirect or
render. Receipt lists page by keyset (received_at, id), never by OFFSET over a hot table."""

from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.catalog.models import Entity
from sanpin.core import clock
from sanpin.core.errors import NotFound
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import rates, receiving, reissue
from .choices import CheckResult, CommitmentBasis, ProductCategory, ViolationKind
from .models import COMPLIANCE_ACTIONS, ComplianceCertificate, Receipt, SourceLink

PAGE_SIZE = 50
SOURCE_ROWS = 5

# --- forms ------------------------------------------------------------------------------------------


class ReceiveForm(forms.Form):
    code = forms.CharField(label=_l("合格证编码"), required=False, max_length=500,
                           help_text=_l("扫描二维码或输入 20 位编码；纸质合格证可只上传照片"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                                         "class": "form-control-lg font-monospace"}))
    quantity = forms.DecimalField(label=_l("收货数量"), required=False, max_digits=14, decimal_places=3,
                                  help_text=_l("留空则按合格证上的数量"),
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
    place = forms.CharField(label=_l("收货地点"), max_length=120)
    check_result = forms.ChoiceField(label=_l("查验结果"), choices=CheckResult.choices, initial=CheckResult.CONFORMING,
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_l("说明"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_l("纸质合格证照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf",
                                                                   "capture": "environment"}))


class ReissueForm(forms.Form):
    product_name = forms.CharField(label=_l("产品名称"), max_length=60)
    category = forms.ChoiceField(label=_l("产品类别"), choices=ProductCategory.choices)
    quantity = forms.DecimalField(label=_l("数量（重量）"), max_digits=14, decimal_places=3,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
    unit = forms.CharField(label=_l("单位"), max_length=10, initial="公斤")
    origin = forms.CharField(label=_l("产地"), max_length=120)
    contact_phone = forms.CharField(label=_l("联系电话"), max_length=30,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    basis = forms.ChoiceField(label=_l("承诺依据"), choices=CommitmentBasis.choices,
                              initial=CommitmentBasis.QUALITY_CONTROL)
    test_report_no = forms.CharField(label=_l("检测报告编号"), max_length=60, required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SOURCE_ROWS):
            self.fields[f"source_code_{i}"] = forms.CharField(
                label=_l("来源合格证编码"), required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "font-monospace", "inputmode": "numeric",
                                              "autocomplete": "off"}))
            self.fields[f"source_quantity_{i}"] = forms.DecimalField(
                label=_l("取用数量"), required=False, max_digits=14, decimal_places=3,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))

    def source_rows(self):
        return [(self[f"source_code_{i}"], self[f"source_quantity_{i}"]) for i in range(SOURCE_ROWS)]

    def sources(self) -> list[dict]:
        data = self.cleaned_data
        return [{"code": data[f"source_code_{i}"], "quantity": data[f"source_quantity_{i}"]}
                for i in range(SOURCE_ROWS) if data.get(f"source_code_{i}") or data.get(f"source_quantity_{i}")]

    def add_service_errors(self, exc):
        for name, items in exc.fields.items():
            for message in items:
                self.add_error(name if name in self.fields else None, message)
        if not exc.fields:
            self.add_error(None, exc.message)

    def non_source_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("source_") and k != "key"}


class ViolationForm(forms.Form):
    entity = forms.ModelChoiceField(label=_l("违规主体"), queryset=Entity.objects.none())
    kind = forms.ChoiceField(label=_l("类型"), choices=ViolationKind.choices)
    occurred_on = forms.DateField(label=_l("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    code = forms.CharField(label=_l("涉及合格证编码"), max_length=500, required=False)
    detail = forms.CharField(label=_l("情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.restrict(user, "view").only("pk", "name").order_by("name")


class RateForm(forms.Form):
    year = forms.IntegerField(label=_l("年份"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_l("月份"), min_value=1, max_value=12, required=False)
    region = forms.CharField(label=_l("区划代码"), max_length=6, required=False)


# --- helpers ----------------------------------------------------------------------------------------


def keyset_page(request, rows, *, time_field: str):
    """Rows ordered by (`time_field`, id) descending; `?after=<iso time>_<id>` continues after a row.
    Returns (rows of this page, the cursor of the next page or "")."""
    after = request.GET.get("after", "")
    if "_" in after:
        moment, _sep, pk = after.rpartition("_")
        when = parse_datetime(moment)
        if when is not None and pk.isdigit():
            from django.db.models import Q

            rows = rows.filter(Q(**{f"{time_field}__lt": when}) | Q(**{time_field: when, "id__lt": int(pk)}))
    page = list(rows.order_by(f"-{time_field}", "-id")[:PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    cursor = f"{getattr(page[-1], time_field).isoformat()}_{page[-1].pk}" if more else ""
    return page, cursor


# --- receiving --------------------------------------------------------------------------------------


class ReceiveView(RoleRequiredMixin, View):
    """收证 on a phone: scan or type the code (or photograph a paper certificate), the check result."""

    roles = COMPLIANCE_ACTIONS["receive"]

    def _render(self, request, form, status=200):
        return render(request, "compliance/receive.html", {"form": form}, status=status)

    def get(self, request):
        initial = {"code": request.GET.get("code", "")[:500]}
        return self._render(request, ReceiveForm(initial=initial))

    def post(self, request):
        form = ReceiveForm(request.POST, request.FILES)
        outcome = run_service(form, lambda d: receiving.receipt_record(
            actor=request.user, code=d["code"], quantity=d["quantity"], place=d["place"],
            check_result=d["check_result"], note=d["note"], photo=d["photo"]))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        result = outcome.result
        if result.violation or result.reported_to:
            messages.warning(request, _("已记录收证并将查验不合格情况报告产地农业农村部门"))
        else:
            messages.success(request, _("已收证 %(code)s") % {"code": result.receipt.code or _("（纸质合格证）")})
        return redirect("compliance:receipts")


class ReceiptListView(RoleRequiredMixin, View):
    """The receipts the user may see: a purchaser its own, staff their region's."""

    roles = COMPLIANCE_ACTIONS["view"] - {Role.APPLICANT}

    def get(self, request):
        rows = receiving.receipts(request.user)
        code = request.GET.get("code", "").strip()
        if code:
            rows = rows.filter(code=code)
        page, cursor = keyset_page(request, rows, time_field="received_at")
        for row in page:
            row.qty_text = receiving.fmt_qty(row.quantity)
        return render(request, "compliance/receipts.html", {
            "rows": page, "next_query": urlencode({"code": code, "after": cursor}) if cursor else "",
            "code": code, "may_receive": Role.PURCHASER in request.user.roles})


class ReceiptPhotoView(RoleRequiredMixin, View):
    """The photo of a paper certificate, after the same scope check as the receipt."""

    roles = COMPLIANCE_ACTIONS["view"]

    def get(self, request, pk):
        receipt = receiving.receipt_in_scope(request.user, pk)
        if not receipt.photo:
            raise NotFound()
        name = receipt.photo.name.rsplit("/", 1)[-1]
        return FileResponse(receipt.photo.open("rb"), as_attachment=False, filename=name)


# --- re-issue ---------------------------------------------------------------------------------------


def _available(entity, limit=50):
    """The certificates `entity` received (conforming) with what is left of each, newest first."""
    received = (Receipt.objects.filter(receiver=entity, check_result=CheckResult.CONFORMING,
                                       certificate_id__isnull=False)
                .values("certificate_id", "code").annotate(total=Sum("quantity"))
                .order_by("-certificate_id")[:limit])
    received = list(received)
    taken = dict(SourceLink.objects.filter(receiver=entity, source_id__in=[r["certificate_id"] for r in received])
                 .values("source_id").annotate(total=Sum("quantity")).values_list("source_id", "total"))
    units = dict(ComplianceCertificate.objects.filter(id__in=[r["certificate_id"] for r in received])
                 .values_list("id", "unit"))
    rows = []
    for r in received:
        left = r["total"] - (taken.get(r["certificate_id"]) or Decimal(0))
        if left > 0:
            rows.append({"code": r["code"], "left": receiving.fmt_qty(left),
                         "unit": units.get(r["certificate_id"], "")})
    return rows


class ReissueView(RoleRequiredMixin, View):
    """Re-issue after mixing or repacking, on a phone: the sources with the quantity taken from each,
    then the new certificate."""

    roles = frozenset({Role.PURCHASER})

    def _render(self, request, form, status=200):
        return render(request, "compliance/reissue.html", {
            "form": form, "available": _available(request.user.entity) if request.user.entity_id else []},
            status=status)

    def get(self, request):
        import secrets

        initial = {"key": secrets.token_hex(16), "source_code_0": request.GET.get("source", "")[:500]}
        return self._render(request, ReissueForm(initial=initial))

    def post(self, request):
        form = ReissueForm(request.POST)
        outcome = run_service(form, lambda d: reissue.reissue(actor=request.user, sources=form.sources(),
                                                              key=d.get("key") or "", **form.non_source_data()))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        certificate = outcome.result
        messages.success(request, _("已重新开具合格证 %(code)s") % {"code": certificate.code})
        return redirect(_certificate_url(certificate))


def _certificate_url(certificate) -> str:
    """The page of the new certificate: A's detail page when routed, else the public scan page."""
    from django.urls import NoReverseMatch, reverse

    for name, args in (("compliance:detail", [certificate.code]), ("compliance:certificate", [certificate.code])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    from . import codes

    return codes.scan_path(certificate.code)


# --- violations -------------------------------------------------------------------------------------


class ViolationListView(RoleRequiredMixin, View):
    """Violations of the 合格证 rules in the user's region; staff record new ones."""

    roles = REVIEW_STAFF_ROLES | {Role.INSPECTOR}

    def _render(self, request, form=None, status=200):
        user = request.user
        rows = receiving.violations(user)
        kind = request.GET.get("kind", "")
        if kind in ViolationKind.values:
            rows = rows.filter(kind=kind)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        may_record = bool(user.roles & REVIEW_STAFF_ROLES)
        return render(request, "compliance/violations.html", {
            "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "query": urlencode({"kind": kind}) if kind else "", "kind": kind, "kinds": ViolationKind.choices,
            "form": form or (ViolationForm(user=user, initial={"occurred_on": clock.today()}) if may_record else None),
        }, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        form = ViolationForm(request.POST, user=request.user)
        outcome = run_service(form, lambda d: receiving.violation_record(
            actor=request.user, entity_id=d["entity"].pk, kind=d["kind"], occurred_on=d["occurred_on"],
            detail=d["detail"], code=d["code"]))
        if not outcome.ok:
            return self._render(request, form, outcome.status)
        messages.success(request, _("已记录违规：%(e)s") % {"e": outcome.result.entity.name})
        return redirect("compliance:violations")


# --- issuing rate -----------------------------------------------------------------------------------


class RateView(RoleRequiredMixin, View):
    """应开尽开: per child region, the covered producers and the share that issued in the period."""

    roles = rates.RATE_ROLES

    def get(self, request):
        today = clock.today()
        data = request.GET.copy()
        data.setdefault("year", str(today.year))
        form = RateForm(data)
        rows, region, producers = [], None, []
        status = 200
        if form.is_valid():
            d = form.cleaned_data
            region = rates.region_in_scope(request.user, d["region"] or "")
            rows = rates.issuing_rates(year=d["year"], month=d["month"], region=region)
            if region is not None and region.level == "county":
                producers = list(rates.not_issuing(year=d["year"], month=d["month"], region=region)[:200])
        else:
            status = 400
        return render(request, "compliance/rates.html", {
            "form": form, "rows": rows, "region": region, "producers": producers}, status=status)

"""Staff pages (certificate list with Excel export, detail), the public announcements page and
the public verification pages (typed number, scanned QR code).

Thin: parse → access → selector → render. Domain errors escaping a view become 403/404 in
sanpin.core.middleware.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.core import clock, keyset
from sanpin.core.access import can
from sanpin.core.errors import NotFound, ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io, organic_codes, selectors, services, signing
from .api.views import organic_csv_response, scoped_term
from .choices import DOCUMENT_TITLES, EXPIRED, FINAL, MARK_NAMES, AnnouncementKind, Scheme, category_label
from .filtersets import CertificateFilterSet
from .forms import AnnouncementForm, OrganicCodesForm, RecoverForm, StatusForm
from .models import CERTIFICATE_ACTIONS, Announcement, Certificate, quantity_text

EXPORT_LIMIT = 20000
LIST_ORDER = selectors.LIST_ORDER


def _querystring(request, drop=("page", "export")) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


class CertificateListView(RoleRequiredMixin, View):
    """Certificates in scope, one row per number; `?export=xlsx` downloads the filtered list."""

    roles = CERTIFICATE_ACTIONS["view"]

    def get(self, request):
        today = clock.today()
        queryset = selectors.heads(Certificate.objects.restrict(request.user, "view")).select_related("holder")
        filterset = CertificateFilterSet(keyset.filters_of(request), queryset=queryset)
        certificates = (filterset.qs if filterset.is_bound else queryset).order_by(*LIST_ORDER.order())
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(
                io.certificates_xlsx(certificates[:EXPORT_LIMIT], today),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="certificates-{today:%Y%m%d}.xlsx"'
            return response
        # Keyset pages (no OFFSET); the total is counted on the first page only.
        page = keyset.page_from_request(request, certificates, LIST_ORDER)
        rows = [(c, c.effective_status(today), c.effective_status_label(today)) for c in page.rows]
        return render(request, "certificates/list.html", {
            "filter": filterset, "rows": rows, "total": certificates.count() if page.first else None,
            **keyset.links_context(request, page),
            "export_query": _querystring(request, drop=("after", "before", "export")),
            "export_limit": EXPORT_LIMIT,
        })


def _detail(request, certificate, *, status_form=None, recover_form=None, organic_form=None, http_status=200):
    today = clock.today()
    number = certificate.number
    category = category_label(certificate.scheme, certificate.category)
    can_change = can(request.user, "change", Certificate)
    targets = services.TRANSITIONS[certificate.status] if certificate.effective_status(today) != EXPIRED else ()
    from sanpin.certification.schemes import SCHEMES

    config = SCHEMES.get(certificate.scheme)
    return render(request, "certificates/detail.html", {
        "c": certificate, "category_label": category,
        "apply_kinds": [k for k in ("renewal", "change", "stop") if config and k in config.first_step],
        "status": certificate.effective_status(today), "status_label": certificate.effective_status_label(today),
        "history": selectors.history(number),
        "terms": Certificate.objects.filter(number=number).order_by("valid_from"),
        "changes": certificate.changes.select_related("actor"),
        "qr_svg": signing.qr_svg(number), "verify_url": signing.signed_url(number),
        "can_change": can_change,
        "status_form": status_form or (StatusForm(targets=targets) if can_change and targets else None),
        "recover_form": recover_form or (
            RecoverForm(initial={"recovered_on": today})
            if can_change and certificate.status in FINAL and not certificate.recovered_on else None),
        **_organic_context(certificate, can_change, today, organic_form),
    }, status=http_status)


def _organic_context(certificate, can_change, today, form) -> dict:
    """有机码 batches for national staff on an organic certificate; the issue form while it is valid."""
    if not (can_change and certificate.scheme == Scheme.ORGANIC):
        return {}
    issued = organic_codes.issued_quantity(certificate)
    return {
        "organic_batches": organic_codes.batches(certificate), "organic_section": True,
        "organic_remaining": quantity_text(certificate.approved_output - issued),
        "organic_form": form or (OrganicCodesForm() if certificate.effective_status(today) == "valid" else None),
    }


class CertificateDetailView(RoleRequiredMixin, View):
    roles = CERTIFICATE_ACTIONS["view"]

    def get(self, request, number):
        return _detail(request, scoped_term(request.user, number))


class CertificateStatusView(RoleRequiredMixin, View):
    """National staff move a licence through the transition table (rectification, suspension,
    stop of use, revocation)."""

    roles = CERTIFICATE_ACTIONS["change"]

    def post(self, request, number):
        certificate = scoped_term(request.user, number)
        form = StatusForm(request.POST, targets=services.TRANSITIONS[certificate.status])
        outcome = run_service(form, lambda data: services.certificate_set_status(
            actor=request.user, certificate=certificate, **data))
        if outcome.ok:
            messages.success(request, _("证书状态已更新"))
            return redirect("certificates:detail", number=certificate.number)
        return _detail(request, certificate, status_form=form, http_status=outcome.status)


class CertificateRecoverView(RoleRequiredMixin, View):
    """National staff record that the 使用证 was taken back [004 §27]."""

    roles = CERTIFICATE_ACTIONS["change"]

    def post(self, request, number):
        certificate = scoped_term(request.user, number)
        form = RecoverForm(request.POST)
        outcome = run_service(form, lambda data: services.certificate_recover(
            actor=request.user, certificate=certificate, **data))
        if outcome.ok:
            messages.success(request, _("已登记收回《使用证》"))
            return redirect("certificates:detail", number=certificate.number)
        return _detail(request, certificate, recover_form=form, http_status=outcome.status)


class OrganicCodesIssueView(RoleRequiredMixin, View):
    """National staff issue a batch of 有机码 for an organic certificate."""

    roles = CERTIFICATE_ACTIONS["change"]

    def post(self, request, number):
        certificate = scoped_term(request.user, number)
        form = OrganicCodesForm(request.POST)
        batch, status = run_service(form, lambda data: organic_codes.organic_codes_issue(
            actor=request.user, certificate=certificate, **data))
        if status is None:
            messages.success(request, _("已发放有机码 %(count)s 个") % {"count": batch.count})
            return redirect("certificates:detail", number=certificate.number)
        return _detail(request, certificate, organic_form=form, http_status=status)


class OrganicCodesExportView(RoleRequiredMixin, View):
    """CSV of one batch, for reporting to the national certification information system."""

    roles = CERTIFICATE_ACTIONS["change"]

    def get(self, request, number, batch_id):
        certificate = scoped_term(request.user, number)
        batch = organic_codes.batches(certificate).filter(pk=batch_id).first()
        if batch is None:
            raise NotFound()
        return organic_csv_response(batch)


class AnnouncementCreateView(RoleRequiredMixin, View):
    """National staff publish approvals or revocations by listing the numbers."""

    roles = NATIONAL_ROLES
    template_name = "certificates/announcement_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AnnouncementForm()})

    def post(self, request):
        form = AnnouncementForm(request.POST)

        def publish(data):
            numbers = data["numbers"]
            found = {c.number: c for c in selectors.heads(
                Certificate.objects.restrict(request.user, "change").filter(number__in=numbers)
            ).select_related("holder")}
            if missing := [n for n in numbers if n not in found]:
                message = _("未找到这些编号：%(numbers)s") % {"numbers": "、".join(missing)}
                raise ValidationFailed(fields={"numbers": message})
            services.announcement_publish(actor=request.user, title=data["title"], kind=data["kind"],
                                          certificates=[found[n] for n in numbers])

        if run_service(form, publish, rename={"certificates": "numbers"}, catch=ValidationFailed).ok:
            messages.success(request, _("公告已发布"))
            return redirect("certificates:announcements")
        return render(request, self.template_name, {"form": form}, status=400)


class AnnouncementListView(View):
    """Public: approvals and revocations as announced [004 §15, §26]."""

    def get(self, request):
        kind = request.GET.get("kind", "")
        queryset = Announcement.objects.prefetch_related("items").order_by("-published_on", "-pk")
        if kind in AnnouncementKind.values:
            queryset = queryset.filter(kind=kind)
        page = Paginator(queryset, 10).get_page(request.GET.get("page"))
        return render(request, "certificates/announcements.html", {
            "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "query": _querystring(request), "kind": kind, "kinds": AnnouncementKind.choices,
            "can_publish": bool(request.user.is_authenticated and request.user.roles & NATIONAL_ROLES),
        })


RESULT_STYLE = {
    "valid": ("success", "bi-patch-check-fill"),
    "in_rectification": ("warning", "bi-exclamation-triangle-fill"),
    "suspended": ("warning", "bi-pause-circle-fill"),
    EXPIRED: ("secondary", "bi-clock-history"),
    "stopped": ("secondary", "bi-slash-circle"),
    "revoked": ("danger", "bi-x-octagon-fill"),
    selectors.NOT_FOUND: ("secondary", "bi-question-circle-fill"),
    selectors.FORGED: ("danger", "bi-shield-fill-x"),
}


def _verify_page(request, code: str, *, scanned: bool):
    today = clock.today()
    verification = selectors.verify(code, today) if code else None
    context = {"code": "" if scanned else code, "verification": verification, "scanned": scanned, "today": today}
    if verification is not None:
        colour, icon = RESULT_STYLE[verification.result]
        certificate = verification.certificate
        context.update(
            colour=colour, icon=icon, certificate=certificate,
            category_label=category_label(certificate.scheme, certificate.category) if certificate else "",
            title=DOCUMENT_TITLES.get(certificate.scheme, "") if certificate else "",
            mark=MARK_NAMES.get(certificate.scheme, _("标志")) if certificate else "")
    return render(request, "portal/verify.html", context)


class VerifyView(View):
    """Public: type a number or paste scanned text."""

    def get(self, request):
        return _verify_page(request, request.GET.get("code", "").strip()[:500], scanned=False)


class ScanView(View):
    """Public: where a scanned QR code lands, `/v/<number>/?s=<kid>.<signature>`."""

    def get(self, request, number):
        code = request.build_absolute_uri(f"/v/{number}/?" + urlencode({"s": request.GET.get("s", "")}))
        return _verify_page(request, code if request.GET.get("s") else number, scanned=True)

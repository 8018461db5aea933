"""Pages of post-certification supervision: rectifications (整改) and revocation requests (取消)
with their forms, the private evidence downloads, and the two forms of the certificate page.

Thin: parse → access (selectors: 403 wrong role, 404 out of scope) → service → redirect or render.
The services are atomic, so a refused form leaves nothing half-written.
"""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import filter_rows, paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import (
    AnswerForm,
    RectificationDecideForm,
    RectificationFilterForm,
    RectificationOpenForm,
    RevocationDecideForm,
    RevocationFilterForm,
    RevocationOpenForm,
)
from .models import SUPERVISION_ACTIONS, Rectification, RectificationStatus, RevocationRequest, RevocationStatus

# --- rectifications ------------------------------------------------------------------------------------


class RectificationListView(RoleRequiredMixin, View):
    """Rectifications in scope (the region's for staff, its own for a holder), filtered."""

    roles = SUPERVISION_ACTIONS["view"]

    def get(self, request):
        today = clock.today()
        form = RectificationFilterForm(request.GET or None)
        rows = filter_rows(form, selectors.rectifications(request.user),
                           lambda rows, **data: selectors.filter_rectifications(rows, today=today, **data))
        context = paginate(request, rows.order_by("-opened_on", "-pk"))
        return render(request, "supervision/rectifications.html", {
            "form": form, **context, "today": today,
            "rows": [(r, selectors.rectification_cause_label(r), selectors.is_overdue(r, today))
                     for r in context["page_obj"]],
        })


def _rectification_page(request, item, *, answer_form=None, decide_form=None, http_status=200):
    today = clock.today()
    user = request.user
    may_answer = (item.status == RectificationStatus.OPEN and today <= item.due_on
                  and can(user, "answer", Rectification) and user.entity_id == item.certificate.holder_id)
    may_decide = item.status == RectificationStatus.ANSWERED and can(user, "decide", Rectification)
    return render(request, "supervision/rectification.html", {
        "r": item, "c": item.certificate, "cause_label": selectors.rectification_cause_label(item),
        "overdue": selectors.is_overdue(item, today), "today": today,
        "evidence": list(item.evidence.all()),
        "revocations": list(selectors.revocations(user).filter(rectification=item)),
        "answer_form": answer_form or (AnswerForm() if may_answer else None),
        "decide_form": decide_form or (RectificationDecideForm() if may_decide else None),
    }, status=http_status)


class RectificationDetailView(RoleRequiredMixin, View):
    roles = SUPERVISION_ACTIONS["view"]

    def get(self, request, pk):
        return _rectification_page(request, selectors.rectification(request.user, pk))


class RectificationAnswerView(RoleRequiredMixin, View):
    """The holder's rectification report with evidence files, while open and before the deadline."""

    roles = SUPERVISION_ACTIONS["answer"]

    def post(self, request, pk):
        item = selectors.rectification(request.user, pk, "answer")
        form = AnswerForm(request.POST, request.FILES)
        outcome = run_service(form, lambda data: services.rectification_answer(
            actor=request.user, rectification=item, answer=data["answer"], files=data["files"]),
            rename={"file": "files"})
        if not outcome.ok:
            return _rectification_page(request, selectors.rectification(request.user, pk), answer_form=form,
                                       http_status=outcome.status)
        messages.success(request, _("已提交整改报告，等待省级工作机构审核"))
        return redirect("supervision:rectification", pk=item.pk)


class RectificationDecideView(RoleRequiredMixin, View):
    """The provincial office accepts or fails an answered rectification."""

    roles = SUPERVISION_ACTIONS["decide"]

    def post(self, request, pk):
        item = selectors.rectification(request.user, pk, "decide")
        form = RectificationDecideForm(request.POST)
        outcome = run_service(form, lambda data: services.rectification_decide(
            actor=request.user, rectification=item, accepted=data["decision"] == "accept", note=data["note"]))
        if not outcome.ok:
            return _rectification_page(request, selectors.rectification(request.user, pk), decide_form=form,
                                       http_status=outcome.status)
        if outcome.result.status == RectificationStatus.ACCEPTED:
            messages.success(request, _("整改合格，证书恢复有效"))
        else:
            messages.warning(request, _("整改不合格，已报请国家级机构取消标志使用权"))
        return redirect("supervision:rectification", pk=item.pk)


class EvidenceDownloadView(RoleRequiredMixin, View):
    """Evidence files are private: served only to those who may see the rectification."""

    roles = SUPERVISION_ACTIONS["view"]

    def get(self, request, pk, evidence_id):
        item = selectors.evidence(request.user, pk, evidence_id)
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                            content_type=item.content_type)


# --- revocations ----------------------------------------------------------------------------------------


class RevocationListView(RoleRequiredMixin, View):
    roles = SUPERVISION_ACTIONS["view"]

    def get(self, request):
        form = RevocationFilterForm(request.GET or None)
        rows = filter_rows(form, selectors.revocations(request.user), selectors.filter_revocations)
        context = paginate(request, rows.order_by("-requested_on", "-pk"))
        return render(request, "supervision/revocations.html", {
            "form": form, **context, "rows": [(r, selectors.revocation_cause_labels(r)) for r in context["page_obj"]],
        })


def _revocation_page(request, item, *, decide_form=None, http_status=200):
    may_decide = item.status == RevocationStatus.PENDING and can(request.user, "revoke", RevocationRequest)
    return render(request, "supervision/revocation.html", {
        "r": item, "c": item.certificate, "cause_labels": selectors.revocation_cause_labels(item),
        "bans": list(item.bans.all()),
        "decide_form": decide_form or (RevocationDecideForm() if may_decide else None),
    }, status=http_status)


class RevocationDetailView(RoleRequiredMixin, View):
    roles = SUPERVISION_ACTIONS["view"]

    def get(self, request, pk):
        return _revocation_page(request, selectors.revocation(request.user, pk))


class RevocationDecideView(RoleRequiredMixin, View):
    """National staff revoke the certificate or decline the request."""

    roles = SUPERVISION_ACTIONS["revoke"]

    def post(self, request, pk):
        item = selectors.revocation(request.user, pk, "revoke")
        form = RevocationDecideForm(request.POST)
        outcome = run_service(form, lambda data: services.revocation_decide(
            actor=request.user, request=item, revoke=data["decision"] == "revoke", note=data["note"],
            serious=data["serious"]))
        if not outcome.ok:
            return _revocation_page(request, selectors.revocation(request.user, pk), decide_form=form,
                                    http_status=outcome.status)
        result = outcome.result
        if result.status == RevocationStatus.REVOKED:
            messages.success(request, _("已取消 %(n)s 的标志使用权并发布公告") % {"n": result.certificate.number})
        else:
            messages.info(request, _("已决定不予取消"))
        return redirect("supervision:revocation", pk=item.pk)


# --- from the certificate page ------------------------------------------------------------------------


class _CertificateFormView(RoleRequiredMixin, View):
    """GET shows the form on its own page; POST opens the case (errors come back on that page)."""

    roles = SUPERVISION_ACTIONS["open"]
    form_class = None
    title = ""

    def _render(self, request, certificate, form, status=200):
        return render(request, "supervision/certificate_form.html", {
            "c": certificate, "form": form, "title": self.title, "action": request.path,
        }, status=status)

    def get(self, request, number):
        certificate = selectors.certificate_term(request.user, number)
        return self._render(request, certificate, self.form_class(scheme=certificate.scheme))

    def post(self, request, number):
        certificate = selectors.certificate_term(request.user, number)
        form = self.form_class(request.POST, scheme=certificate.scheme)
        outcome = run_service(form, lambda data: self.open(request.user, certificate, data))
        if not outcome.ok:
            return self._render(request, certificate, form, outcome.status)
        return self.done(request, outcome.result)


class CertificateRectifyView(_CertificateFormView):
    form_class = RectificationOpenForm
    title = gettext_lazy("作出整改决定")

    def open(self, actor, certificate, data):
        return services.rectification_open(actor=actor, certificate=certificate, **data)

    def done(self, request, rectification):
        messages.success(request, _("已作出整改决定 %(n)s，整改期限至 %(due)s") % {
            "n": rectification.number, "due": rectification.due_on})
        return redirect("supervision:rectification", pk=rectification.pk)


class CertificateRevokeRequestView(_CertificateFormView):
    form_class = RevocationOpenForm
    title = gettext_lazy("报请取消标志使用权")

    def open(self, actor, certificate, data):
        return services.revocation_request_open(actor=actor, certificate=certificate, causes=data["causes"],
                                                detail=data["detail"])

    def done(self, request, revocation):
        messages.success(request, _("已报请取消标志使用权（%(n)s），等待国家级机构决定") % {"n": revocation.number})
        return redirect("supervision:revocation", pk=revocation.pk)

"""Bank pages ("信用+金融"): the entities that hold an active consent to the user's bank, and an
entity's credit report as a page and as a PDF. Without an active consent of that entity to this
bank the report answers 404 and nothing is logged; with one, each read is logged (page or pdf) in
the transaction that renders it, and the entity sees it on its own credit page.

Thin: parse → access → service/selector → render."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.core import clock
from sanpin.core.middleware import client_ip_of
from sanpin.core.views.mixins import RoleRequiredMixin

from . import consent as consents
from . import report as reports

BANK = frozenset({Role.BANK})


class BankHomeView(RoleRequiredMixin, View):
    """信用报告查询: the entities this bank may read today, each with the last day of its consent."""

    roles = BANK

    def get(self, request):
        today = clock.today()
        return render(request, "credit/bank_list.html", {
            "entities": consents.readable_entities(request.user, today), "today": today,
        })


class BankReportView(RoleRequiredMixin, View):
    roles = BANK

    def get(self, request, entity_id):
        with transaction.atomic():
            consent = consents.report_read(actor=request.user, entity_id=entity_id, format="page",
                                           ip=client_ip_of(request))
            return render(request, "credit/report.html", reports.build(consent, clock.today()))


class BankReportPdfView(RoleRequiredMixin, View):
    roles = BANK

    def get(self, request, entity_id):
        with transaction.atomic():
            consent = consents.report_read(actor=request.user, entity_id=entity_id, format="pdf",
                                           ip=client_ip_of(request))
            today = clock.today()
            content = reports.pdf(reports.build(consent, today))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="credit-report-{consent.entity.uscc}-{today:%Y%m%d}.pdf"'
        return response

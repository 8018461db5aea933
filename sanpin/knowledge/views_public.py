"""Public library pages: search standards and published procedures, their detail pages and file
downloads. A standard's text is public only when marked so; a procedure's file only once
published. Staff may download any file of a document they may see."""

from django.shortcuts import render
from django.views import View

from sanpin.accounts.choices import STAFF_ROLES
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import NotFound
from sanpin.core.views.lists import paginate

from . import files, selectors
from .choices import ProcedureStatus
from .forms import LibraryFilterForm
from .models import Procedure

TABS = ("standards", "procedures")


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.roles & STAFF_ROLES)


class LibraryView(View):
    """/knowledge/: standards (with status today) or published procedures and sheets."""

    def get(self, request):
        tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "standards"
        form = LibraryFilterForm(request.GET or None, tab=tab)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if tab == "standards":
            rows = selectors.public_standards(q=data.get("q", ""), kind=data.get("kind", ""),
                                              status=data.get("status", ""),
                                              product_field=data.get("product_field", ""))
        else:
            rows = selectors.public_procedures(q=data.get("q", ""), kind=data.get("kind", ""),
                                               product=data.get("product", ""),
                                               product_field=data.get("product_field", ""), region=data.get("region"))
        if form.is_bound and not form.is_valid():
            rows = rows.none()
        return render(request, "knowledge/library.html", {
            "form": form, "tab": tab, "today": clock.today(), **paginate(request, rows)})


class StandardDetailView(View):
    def get(self, request, pk):
        standard = selectors.public_standard(pk)
        today = clock.today()
        return render(request, "knowledge/standard_detail.html", {
            "standard": standard, "status": standard.status_on(today), "status_label": standard.status_label_on(today),
            "replaces": list(standard.replaces.all()),
            "procedures": standard.procedures.filter(status=ProcedureStatus.PUBLISHED),
            "may_download": standard.has_file and (standard.file_public or is_staff(request.user)),
        })


class StandardFileView(View):
    """The text of a standard: public when marked so, else staff only (others: 404)."""

    def get(self, request, pk):
        standard = selectors.public_standard(pk)
        if not standard.has_file or not (standard.file_public or is_staff(request.user)):
            raise NotFound()
        return files.response(standard)


class ProcedureDetailView(View):
    def get(self, request, pk):
        procedure = selectors.public_procedure(pk)
        return render(request, "knowledge/procedure_detail.html", {"procedure": procedure, "today": clock.today()})


class ProcedureFileView(View):
    """A published document's file for anyone; a draft's or retired one's for staff of its region."""

    def get(self, request, pk):
        try:
            procedure = selectors.public_procedure(pk)
        except NotFound:
            if not is_staff(request.user):
                raise
            procedure = access_by_id(Procedure, request.user, pk, "view")
        if not procedure.has_file:
            raise NotFound()
        return files.response(procedure)

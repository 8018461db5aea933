"""Staff page for importing existing records (national staff), the refused-rows download and the
scoped download of archive documents. Thin: parse → service/selector → render."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views import View

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.certificates.models import CERTIFICATE_ACTIONS
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io, selectors, services
from .forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "records_import_problems"
SESSION_LIMIT = 5000


class ImportView(RoleRequiredMixin, View):
    """Upload a workbook and a zip; "仅校验" is a dry run, "校验并导入" imports all or nothing."""

    roles = NATIONAL_ROLES

    def get(self, request):
        return render(request, "records_import/import.html", {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            dry_run = request.POST.get("action") != "import"
            try:
                files = (io.FileSource.from_zip(form.cleaned_data["files"].read()) if form.cleaned_data["files"]
                         else io.FileSource.empty())
                report = services.records_import(actor=request.user, workbook=form.cleaned_data["workbook"].read(),
                                                 files=files, dry_run=dry_run)
            except ValidationFailed as exc:
                for name, message in (exc.fields or {}).items():
                    form.add_error(name if name in form.fields else None, message)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                request.session[SESSION_KEY] = [p.as_dict() for p in report.problems[:SESSION_LIMIT]]
        status = 200 if report is not None and report.ok else 400
        return render(request, "records_import/import.html", {"form": form, "report": report}, status=status)


class TemplateView(RoleRequiredMixin, View):
    roles = NATIONAL_ROLES

    def get(self, request):
        response = HttpResponse(io.template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="records-import-template.xlsx"'
        return response


class ProblemsView(RoleRequiredMixin, View):
    """The refused rows of the user's last check, as a workbook."""

    roles = NATIONAL_ROLES

    def get(self, request):
        rows = request.session.get(SESSION_KEY) or []
        problems = [io.Problem(r["sheet"], r["row"], r["column"], r["reason"]) for r in rows]
        response = HttpResponse(io.problems_xlsx(problems), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="records-import-refused.xlsx"'
        return response


class DocumentDownloadView(RoleRequiredMixin, View):
    """Archive documents are private: served only to those who may view the certificate."""

    roles = CERTIFICATE_ACTIONS["view"]

    def get(self, request, document_id):
        document = selectors.archive_document(request.user, document_id)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)



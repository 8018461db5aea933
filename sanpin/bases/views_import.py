"""Import and export pages of the base directory. Thin: parse → start a background job →
redirect to the job's page, which shows the progress and the result (sanpin.core.views.jobs)."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sanpin.accounts.choices import REVIEW_STAFF_ROLES
from sanpin.core import jobs
from sanpin.core.errors import Conflict
from sanpin.core.views.mixins import RoleRequiredMixin

from . import io, tasks
from .models import BASE_ACTIONS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BaseImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("基地信息表（.xlsx，按模板填写）"))
    dry_run = forms.BooleanField(label=gettext_lazy("仅校验（试运行）"), required=False, initial=True,
                                 help_text=gettext_lazy("勾选时只列出有误的单元格，不写入任何数据"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > io.MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件超过 %(mb)d MB，请分成几个文件导入") % {
                "mb": io.MAX_FILE_BYTES // (1024 * 1024)})
        return upload


class ImportView(RoleRequiredMixin, View):
    """Upload the workbook; the check (and, unless it is a dry run, the import) runs as a job."""

    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        return render(request, "bases/import.html", {"form": BaseImportForm(), "max_mb": io.MAX_FILE_BYTES >> 20,
                                                     "max_rows": io.MAX_ROWS})

    def post(self, request):
        form = BaseImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "bases/import.html", {"form": form, "max_mb": io.MAX_FILE_BYTES >> 20,
                                                         "max_rows": io.MAX_ROWS}, status=400)
        upload = form.cleaned_data["file"]
        job = tasks.start_import(actor=request.user, data=upload.read(), filename=upload.name,
                                 dry_run=form.cleaned_data["dry_run"])
        return redirect("core:job_detail", job_id=job.pk)


class ImportAfterCheckView(RoleRequiredMixin, View):
    """After a clean dry run: import the same stored file for real, without uploading it again."""

    roles = REVIEW_STAFF_ROLES

    def post(self, request, job_id):
        checked = jobs.access_job(request.user, job_id)
        result = checked.result or {}
        if (checked.kind != tasks.IMPORT_KIND or checked.status != checked.Status.DONE or not result.get("dry_run")
                or result.get("problem_count")):
            raise Conflict(_("只有校验通过的试运行可以直接正式导入"))
        with checked.input_file.open("rb") as stream:
            data = stream.read()
        job = tasks.start_import(actor=request.user, data=data, filename=checked.input_name, dry_run=False)
        return redirect("core:job_detail", job_id=job.pk)


class TemplateView(RoleRequiredMixin, View):
    roles = REVIEW_STAFF_ROLES

    def get(self, request):
        response = HttpResponse(io.template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="bases-import-template.xlsx"'
        return response


class ExportView(RoleRequiredMixin, View):
    """POST with the list's query string: export exactly the rows the list shows, as a job."""

    roles = BASE_ACTIONS["view"]

    def post(self, request):
        params = {name: values for name, values in request.GET.lists() if name != "page"}
        job = tasks.start_export(actor=request.user, params=params)
        return redirect("core:job_detail", job_id=job.pk)

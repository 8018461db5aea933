"""Background job pages: my jobs, one job with its progress bar and result, its live progress
as JSON for the polling script, and the download of its result file. Only the owner (and
system administrators) reach a job; anyone else gets 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views import View

from sanpin.core import jobs


class JobListView(LoginRequiredMixin, View):
    def get(self, request):
        page = Paginator(jobs.jobs_of(request.user), 30).get_page(request.GET.get("page"))
        return render(request, "core/job_list.html", {"page_obj": page, "paginator": page.paginator,
                                                      "is_paginated": page.has_other_pages()})


class JobDetailView(LoginRequiredMixin, View):
    def get(self, request, job_id):
        job = jobs.access_job(request.user, job_id)
        result = job.result or {}
        return render(request, "core/job_detail.html", {
            "job": job, "progress": jobs.progress_of(job), "result": result,
            "problems_shown": len(result.get("problems") or []),
        })


class JobProgressView(LoginRequiredMixin, View):
    def get(self, request, job_id):
        job = jobs.access_job(request.user, job_id)
        return JsonResponse(jobs.progress_of(job), headers={"Cache-Control": "no-store"})


class JobDownloadView(LoginRequiredMixin, View):
    """The job's result file (an export, or the refused rows of an import), from private media."""

    def get(self, request, job_id):
        job = jobs.access_job(request.user, job_id)
        if not job.output_file:
            raise Http404()
        return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=job.output_name or "result.xlsx")

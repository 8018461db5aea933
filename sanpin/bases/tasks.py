"""Background work of the base directory: Excel import and export as jobs (sanpin.core.jobs),
run by a Celery worker in production and in-process where tasks run eagerly."""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.core import jobs
from sanpin.core.models import BackgroundJob

from . import exports, imports, io

IMPORT_KIND = "bases.import"
EXPORT_KIND = "bases.export"


def start_import(*, actor, data: bytes, filename: str, dry_run: bool) -> BackgroundJob:
    """Store the upload with a new job and run it (queued for a worker, or now when eager)."""
    title = _("基地信息导入（仅校验）") if dry_run else _("基地信息导入")
    job = jobs.job_create(owner=actor, kind=IMPORT_KIND, title=title, params={"dry_run": dry_run},
                          input_name=filename, input_data=data)
    run_import.delay(job.pk)
    return job


def start_export(*, actor, params: dict) -> BackgroundJob:
    """`params`: the list's filters, {name: [values]} as a QueryDict gives them."""
    job = jobs.job_create(owner=actor, kind=EXPORT_KIND, title=_("基地信息导出"), params={"filters": params})
    run_export.delay(job.pk)
    return job


def _import(job: BackgroundJob, progress):
    with job.input_file.open("rb") as stream:
        data = stream.read()
    result = imports.bases_import(actor=job.owner, data=data, dry_run=job.params.get("dry_run", False),
                                  progress=progress, job_id=job.pk)
    if result.problems:
        headline = _("有 %(rows)d 行未通过校验，未导入任何数据") % {"rows": result.refused_rows}
    elif result.dry_run:
        headline = _("校验通过：%(n)d 行均可导入（试运行，未写入）") % {"n": result.total}
    else:
        headline = _("已导入 %(n)d 个基地") % {"n": result.imported}
    body = {
        "headline": headline, "total": result.total, "imported": result.imported, "dry_run": result.dry_run,
        "refused_rows": result.refused_rows, "problem_count": len(result.problems),
        "problems": [p.as_dict() for p in result.problems[:jobs.RESULT_PROBLEMS]],
        "summary": [[_("文件行数"), result.total], [_("导入行数"), result.imported],
                    [_("未通过校验的行数"), result.refused_rows]],
        "download_label": _("下载未通过校验的行（xlsx）"),
    }
    if result.dry_run and result.ok:
        body["next_action"] = {"url": reverse("bases:import_after_check", args=[job.pk]),
                               "label": _("校验通过，正式导入此文件")}
    output = None
    if result.problems:
        output = (f"bases-refused-{job.pk}.xlsx", io.refused_xlsx(result.problems, result.refused_cells))
    return body, output


def _export(job: BackgroundJob, progress):
    data, count = exports.bases_export(actor=job.owner, params=job.params.get("filters", {}), progress=progress)
    body = {"headline": _("已导出 %(n)d 个基地") % {"n": count}, "total": count, "rows": count,
            "summary": [[_("导出行数"), count]], "download_label": _("下载导出文件（xlsx）")}
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return body, (f"bases-{stamp}.xlsx", data)


@shared_task(name="bases.import_job")
def run_import(job_id: int):
    jobs.run(job_id, _import)


@shared_task(name="bases.export_job")
def run_export(job_id: int):
    jobs.run(job_id, _export)

"""Background jobs: start one, report its progress, finish or fail it, and read it back.

A task runs `run(job_id, work)`: the job is marked running, `work(job, progress)` does the job
and returns `(result, output)`, and the job is marked done with its result and output file, or
failed with a Chinese reason. Progress goes to the cache (Redis in production), so the job page
sees it move while the work's own transaction is still open; the row gets the final numbers.
"""

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role

from .errors import DomainError, NotFound
from .models import BackgroundJob

logger = logging.getLogger("sanpin.jobs")
CACHE_TTL = 24 * 3600
RESULT_PROBLEMS = 500  # refused rows kept on the result page; the rest are in the download


def _key(job_id) -> str:
    return f"job:{job_id}:progress"


def job_create(*, owner, kind: str, title: str, params: dict | None = None, input_name: str = "",
               input_data: bytes | None = None) -> BackgroundJob:
    """A queued job; the uploaded file is stored privately with it."""
    job = BackgroundJob(owner=owner, kind=kind, title=title, params=params or {}, input_name=input_name[:200])
    if input_data is not None:
        job.input_file.save("input" + _suffix(input_name), ContentFile(input_data), save=False)
    job.save()
    return job


def _suffix(name: str) -> str:
    return ".xlsx" if name.lower().endswith(".xlsx") else ""


class Progress:
    """`progress(done, total, stage="")`: cheap to call for every row; the cache is written at
    most every `interval` seconds, and always for the first and the last row."""

    def __init__(self, job_id, interval: float = 0.5):
        self.job_id, self.interval, self._last = job_id, interval, 0.0

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        now = time.monotonic()
        if done not in (0, total) and now - self._last < self.interval:
            return
        self._last = now
        cache.set(_key(self.job_id), {"done": done, "total": total, "stage": stage}, CACHE_TTL)


def job_start(job: BackgroundJob) -> BackgroundJob:
    job.status, job.started_at = BackgroundJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    cache.set(_key(job.pk), {"done": 0, "total": 0, "stage": _("准备中")}, CACHE_TTL)
    return job


def job_finish(job: BackgroundJob, result: dict, output: tuple[str, bytes] | None = None) -> BackgroundJob:
    """Done: `result` (JSON) holds what the result page shows; `output` (file name, bytes) is
    offered for download."""
    live = cache.get(_key(job.pk)) or {}
    job.status, job.finished_at, job.result = BackgroundJob.Status.DONE, timezone.now(), result
    job.total = result.get("total", live.get("total", 0))
    job.done = job.total
    if output is not None:
        name, data = output
        job.output_name = name[:200]
        job.output_file.save("output" + _suffix(name), ContentFile(data), save=False)
    job.save()
    cache.delete(_key(job.pk))
    return job


def job_fail(job: BackgroundJob, message: str) -> BackgroundJob:
    live = cache.get(_key(job.pk)) or {}
    job.status, job.finished_at, job.error = BackgroundJob.Status.FAILED, timezone.now(), message
    job.total, job.done = live.get("total", job.total), live.get("done", job.done)
    job.save(update_fields=["status", "finished_at", "error", "total", "done", "updated_at"])
    cache.delete(_key(job.pk))
    return job


def run(job_id, work: Callable) -> BackgroundJob | None:
    """Run `work(job, progress) -> (result, output)` for a queued job. A domain error (an
    unreadable file, a permission refused) fails the job with its message; any other error
    fails it with a general message and is logged, so a worker never leaves a job running."""
    job = BackgroundJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != BackgroundJob.Status.QUEUED:
        return job  # already taken by another worker, or deleted
    job_start(job)
    try:
        result, output = work(job, Progress(job.pk))
    except DomainError as exc:
        details = "；".join(m for messages in exc.fields.values() for m in messages if m != exc.message)
        return job_fail(job, f"{exc.message}（{details}）" if details else exc.message)
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        return job_fail(job, _("任务执行出错，请稍后重试或联系系统管理员"))
    return job_finish(job, result, output)


def progress_of(job: BackgroundJob) -> dict:
    """What the progress bar shows: live numbers from the cache while running, else the row's."""
    live = cache.get(_key(job.pk)) if job.status == BackgroundJob.Status.RUNNING else None
    done, total = (live["done"], live["total"]) if live else (job.done, job.total)
    percent = int(done * 100 / total) if total else 0
    if job.status == BackgroundJob.Status.DONE:
        percent = 100
    return {
        "id": job.pk, "kind": job.kind, "status": job.status, "status_label": job.get_status_display(),
        "done": done, "total": total, "percent": min(percent, 100), "stage": (live or {}).get("stage", ""),
        "finished": job.finished, "error": job.error,
    }


def access_job(user, job_id) -> BackgroundJob:
    """The job if `user` owns it (or is a system administrator); NotFound otherwise, so other
    users cannot learn that it exists."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    rows = BackgroundJob.objects.select_related("owner")
    if Role.SYSTEM_ADMIN not in user.roles:
        rows = rows.filter(owner=user)
    try:
        return rows.get(pk=job_id)
    except (BackgroundJob.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def jobs_of(user):
    return BackgroundJob.objects.filter(owner=user)

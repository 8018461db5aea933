"""Background jobs: live progress as JSON (from the cache while the job's own transaction is
open), the final numbers and result on the row, failures with a reason, and only the owner (or
a system administrator) seeing a job or its file."""

import io

import openpyxl
import pytest
from django.core.cache import cache

from sanpin.bases.imports import bases_import
from sanpin.bases.io import COLUMNS
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core import jobs
from sanpin.core.errors import ValidationFailed
from sanpin.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_job(owner, **kwargs) -> BackgroundJob:
    return jobs.job_create(owner=owner, kind="test.kind", title="测试任务", **kwargs)


def test_progress_json_shows_live_numbers_while_running(client, users):
    job = jobs.job_start(make_job(users["gx_province"]))
    jobs.Progress(job.pk)(0, 200, "正在校验")
    jobs.Progress(job.pk, interval=0)(80, 200, "正在校验")
    client.force_login(users["gx_province"])

    body = client.get(f"/core/jobs/{job.pk}/progress/").json()

    assert body["status"] == "running" and body["finished"] is False
    assert (body["done"], body["total"], body["percent"], body["stage"]) == (80, 200, 40, "正在校验")
    job.refresh_from_db()
    assert (job.done, job.total) == (0, 0)  # the row is not written for every step


def test_finishing_stores_the_final_numbers_result_and_file(client, users):
    job = jobs.job_start(make_job(users["gx_province"]))
    jobs.Progress(job.pk)(200, 200, "正在写入")

    jobs.job_finish(job, {"headline": "完成了", "total": 200, "summary": [["导入行数", 200]]},
                    output=("result.xlsx", b"PK-file"))

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.output_name) == ("done", 200, 200, "result.xlsx")
    assert cache.get(f"job:{job.pk}:progress") is None
    client.force_login(users["gx_province"])
    assert client.get(f"/core/jobs/{job.pk}/progress/").json()["percent"] == 100
    page = client.get(f"/core/jobs/{job.pk}/").content.decode()
    assert "完成了" in page and "<progress" not in page
    download = client.get(f"/core/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content) == b"PK-file"
    assert 'filename="result.xlsx"' in download["Content-Disposition"]


def test_a_running_job_page_has_the_progress_bar_and_the_polling_script(client, users):
    job = jobs.job_start(make_job(users["gx_province"]))
    client.force_login(users["gx_province"])

    page = client.get(f"/core/jobs/{job.pk}/").content.decode()

    assert "<progress" in page and f'data-job-progress-url="/core/jobs/{job.pk}/progress/"' in page
    assert "/static/js/job-progress.js" in page


def test_only_the_owner_and_system_admins_see_a_job(client, api, users):
    job = jobs.job_finish(jobs.job_start(make_job(users["gx_province"])), {"total": 1}, output=("a.xlsx", b"x"))
    urls = [f"/core/jobs/{job.pk}/", f"/core/jobs/{job.pk}/progress/", f"/core/jobs/{job.pk}/download/"]

    client.force_login(users["sh_province"])
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    api.force_authenticate(users["sh_province"])
    assert api.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert job.title not in client.get("/core/jobs/").content.decode()

    client.force_login(users["admin"])
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.force_login(users["gx_province"])
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    assert job.title in client.get("/core/jobs/").content.decode()

    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page


def test_api_job_status(api, users):
    job = jobs.job_start(make_job(users["gx_province"], params={"dry_run": True}))
    jobs.Progress(job.pk)(5, 10, "正在校验")
    api.force_authenticate(users["gx_province"])

    body = api.get(f"/api/v1/jobs/{job.pk}/").json()

    assert (body["status"], body["done"], body["total"], body["percent"]) == ("running", 5, 10, 50)
    assert body["result"] is None and body["download"] is None


def test_a_domain_error_fails_the_job_with_its_message(users):
    job = make_job(users["gx_province"])

    def work(job, progress):
        raise ValidationFailed("文件不是基地导入模板：缺少列：面积（亩）")

    jobs.run(job.pk, work)

    job.refresh_from_db()
    assert job.status == "failed" and job.error.startswith("文件不是基地导入模板：缺少列：面积（亩）")
    assert job.finished_at is not None


def test_an_unexpected_error_fails_the_job_without_leaving_it_running(users):
    job = make_job(users["gx_province"])

    def work(job, progress):
        raise RuntimeError("boom")

    jobs.run(job.pk, work)

    job.refresh_from_db()
    assert job.status == "failed" and "boom" not in job.error and job.error


def test_a_job_runs_only_once(users):
    job = make_job(users["gx_province"])
    calls = []

    def work(job, progress):
        calls.append(job.pk)
        return {"total": 0}, None

    jobs.run(job.pk, work)
    jobs.run(job.pk, work)

    assert calls == [job.pk]


def test_import_progress_is_visible_while_its_transaction_is_open(client, users, regions):
    """The import's writes sit in one transaction; what the page polls comes from the cache."""
    entity = EntityFactory(region=regions["450102"])
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "基地"
    ws.append(list(COLUMNS))
    for i in range(4500):
        ws.append([f"基地{i}", "有机农产品基地", "国家级", entity.uscc, "450102", "茶叶", "", 10, 1, "某镇"])
    data = io.BytesIO()
    book.save(data)
    client.force_login(users["national"])
    seen = []

    def work(job, progress):
        live = jobs.Progress(job.pk, interval=0)

        def report(done, total, stage=""):
            live(done, total, stage)
            if stage == "正在写入":
                seen.append(client.get(f"/core/jobs/{job.pk}/progress/").json())

        result = bases_import(actor=job.owner, data=data.getvalue(), dry_run=False, progress=report, job_id=job.pk)
        return {"total": result.total, "imported": result.imported}, None

    job = make_job(users["national"])
    jobs.run(job.pk, work)

    assert [(s["status"], s["done"], s["total"]) for s in seen] == [
        ("running", 2000, 4500), ("running", 4000, 4500), ("running", 4500, 4500)]
    job.refresh_from_db()
    assert job.status == "done" and job.result["imported"] == 4500

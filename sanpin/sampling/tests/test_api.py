"""The sampling API as national staff and a lab would use it."""

import pytest

from sanpin.sampling.models import LabReport, SamplingTask
from sanpin.supervision.models import Rectification

from .conftest import FAILING, PASSING, certificates

pytestmark = pytest.mark.django_db


def _plan_drawn(api, world, seed=99):
    api.force_authenticate(world["national"])
    plan = api.post("/api/v1/sampling/plans/", {"year": 2026, "scheme": "green_inputs"}, format="json")
    assert plan.status_code == 201, plan.json()
    pk = plan.json()["id"]
    quota = api.post(f"/api/v1/sampling/plans/{pk}/quotas/", {"region": "450000", "count": 2}, format="json")
    assert quota.json()["total_quota"] == 2
    drawn = api.post(f"/api/v1/sampling/plans/{pk}/draw/", {"seed": seed}, format="json")
    assert drawn.status_code == 200, drawn.json()
    return drawn.json()


def test_plan_quota_draw(world, gx_entity, api):
    certificates(gx_entity, 3)
    body = _plan_drawn(api, world)
    assert body["status"] == "drawn" and body["draw"]["seed"] == "99" and body["draw"]["replay_matches"] is True
    assert body["draw"]["candidates"] == {"450000": 3} and len(body["draw"]["selected"]["450000"]) == 2
    again = api.post(f"/api/v1/sampling/plans/{body['id']}/draw/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    bad = api.post(f"/api/v1/sampling/plans/{body['id']}/quotas/", {"region": "450000", "count": -1}, format="json")
    assert bad.status_code == 400 and "count" in bad.json()["fields"]
    api.force_authenticate(world["gx_province"])
    assert api.post("/api/v1/sampling/plans/", {"year": 2026, "scheme": "organic"}, format="json").status_code == 403
    assert api.get("/api/v1/sampling/plans/").json()["count"] == 1
    assert api.get("/api/v1/sampling/tasks/").json()["count"] == 2
    api.force_authenticate(world["sh_province"])
    assert api.get("/api/v1/sampling/tasks/").json()["count"] == 0


def test_lab_reports_through_the_api(world, gx_entity, api):
    certificates(gx_entity, 2)
    _plan_drawn(api, world)
    first, second = SamplingTask.objects.order_by("number")
    api.force_authenticate(world["other_lab_user"])
    assert api.get("/api/v1/sampling/tasks/").json()["count"] == 0
    refused = api.post(f"/api/v1/sampling/tasks/{first.pk}/report/", {"results": PASSING}, format="json")
    assert refused.status_code == 404 and "未委托给本机构" in refused.json()["message"]

    api.force_authenticate(world["lab_user"])
    assert api.get("/api/v1/sampling/tasks/").json()["count"] == 2
    no_unit = api.post(f"/api/v1/sampling/tasks/{first.pk}/report/",
                       {"results": [{"indicator": "总镉（Cd）", "value": 1}, PASSING[1]]}, format="json")
    assert no_unit.status_code == 400
    assert no_unit.json()["fields"]["results"] == ["第 1 项（总镉（Cd））：请填写单位（mg/kg）"]
    assert not LabReport.objects.exists()

    ok = api.post(f"/api/v1/sampling/tasks/{first.pk}/report/", {"results": PASSING, "report_number": "R-1"},
                  format="json")
    assert ok.status_code == 201 and ok.json()["conclusion"] == "pass"
    assert ok.json()["report"]["results"][0]["passed"] is True
    twice = api.post(f"/api/v1/sampling/tasks/{first.pk}/report/", {"results": PASSING}, format="json")
    assert twice.status_code == 409

    failed = api.post(f"/api/v1/sampling/tasks/{second.pk}/report/", {"results": FAILING}, format="json")
    assert failed.status_code == 201 and failed.json()["conclusion"] == "fail"
    assert failed.json()["rectification_number"] == Rectification.objects.get().number


def test_standards_and_roles(world, api):
    api.force_authenticate(world["lab_user"])
    rows = api.get("/api/v1/sampling/standards/", {"scheme": "green_inputs"}).json()["results"]
    assert {r["indicator"] for r in rows} == {"总镉（Cd）", "有机质"}
    api.force_authenticate(world["gx_applicant"])
    assert api.get("/api/v1/sampling/standards/").status_code == 403
    assert api.get("/api/v1/sampling/tasks/").status_code == 403
    assert api.get("/api/v1/sampling/plans/").status_code == 403


def test_assign_through_the_api(world, gx_entity, api):
    from sanpin.accounts.models import LabDesignation

    certificates(gx_entity, 1)
    LabDesignation.objects.update(is_suspended=True, suspension_reason="能力验证不合格")
    _plan_drawn(api, world)
    task = SamplingTask.objects.get()
    assert task.status == "unassigned"
    refused = api.post(f"/api/v1/sampling/tasks/{task.pk}/assign/", {"lab": world["lab"].pk}, format="json")
    assert refused.status_code == 400 and "暂停" in refused.json()["fields"]["lab"][0]
    LabDesignation.objects.update(is_suspended=False, suspension_reason="")
    done = api.post(f"/api/v1/sampling/tasks/{task.pk}/assign/", {"lab": world["lab"].pk}, format="json")
    assert done.status_code == 200 and done.json()["lab"]["id"] == world["lab"].pk

"""The sampling pages: a national user creates a plan, sets quotas and draws it; a lab reports on
its phone-sized page; a refused report shows why and writes nothing."""

import pytest

from sanpin.sampling.models import LabReport, SamplingPlan, SamplingTask, Standard

from .conftest import certificates

pytestmark = pytest.mark.django_db


def test_plan_pages(world, gx_entity, client):
    certificates(gx_entity, 2)
    client.force_login(world["national"])
    assert 'id="plan-form"' in client.get("/sampling/").content.decode()
    response = client.post("/sampling/plans/", {"year": 2026, "scheme": "green_inputs", "title": ""})
    plan = SamplingPlan.objects.get()
    assert response.url == f"/sampling/plans/{plan.pk}/"
    assert client.post(f"/sampling/plans/{plan.pk}/draw/", {"seed": "5"}).status_code == 400  # no quotas yet
    client.post(f"/sampling/plans/{plan.pk}/quotas/", {"region": "450000", "count": "2"})
    client.post(f"/sampling/plans/{plan.pk}/draw/", {"seed": "5"})
    page = client.get(f"/sampling/plans/{plan.pk}/").content.decode()
    assert 'id="seed">5<' in page and "结果一致" in page and page.count("sampling/tasks/") >= 2
    client.force_login(world["gx_province"])
    page = client.get(f"/sampling/plans/{plan.pk}/").content.decode()
    assert "draw-form" not in page and "quota-form" not in page
    assert client.post(f"/sampling/plans/{plan.pk}/quotas/", {"region": "450000", "count": "2"}).status_code == 403


def test_lab_report_page(world, gx_entity, client):
    from .conftest import drawn_plan

    certificates(gx_entity, 1)
    task = drawn_plan(world, {"450000": 1}).tasks.get()
    client.force_login(world["lab_user"])
    assert task.number in client.get("/sampling/").content.decode()
    assert task.number in client.get("/sampling/tasks/").content.decode()
    page = client.get(f"/sampling/tasks/{task.pk}/").content.decode()
    cd, om = (Standard.objects.get(indicator=name).pk for name in ("总镉（Cd）", "有机质"))
    assert f'name="value_{cd}"' in page and f'name="unit_{om}"' in page
    form = {f"value_{cd}": "0.5", f"unit_{cd}": "", f"value_{om}": "40", f"unit_{om}": "%"}
    refused = client.post(f"/sampling/tasks/{task.pk}/report/", form)
    assert refused.status_code == 400 and "请填写单位" in refused.content.decode()
    assert not LabReport.objects.exists()
    form[f"unit_{cd}"] = "mg/kg"
    assert client.post(f"/sampling/tasks/{task.pk}/report/", form).status_code == 302
    assert SamplingTask.objects.get().conclusion == "pass"
    client.force_login(world["other_lab_user"])
    assert client.get(f"/sampling/tasks/{task.pk}/").status_code == 404


def test_standards_page(world, client):
    client.force_login(world["lab_user"])
    page = client.get("/sampling/standards/").content.decode()
    assert "总镉（Cd）" in page and "30～100 %" in page

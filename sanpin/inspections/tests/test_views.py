"""The annual-inspection pages: plans, generating, a plan's items, assigning and recording on an
item page, an inspector's list, and refusals shown on the form with nothing written."""

import datetime

import pytest

from sanpin.inspections.models import AnnualInspectionPlan, InspectionRecord
from sanpin.supervision.models import RevocationRequest

pytestmark = pytest.mark.django_db
D = datetime.date


def test_staff_generate_a_plan_on_the_page(world, client):
    client.force_login(world["users"]["gx_province"])
    page = client.get("/inspections/")
    assert page.status_code == 200 and "生成年检计划" in page.content.decode()
    response = client.post("/inspections/plans/new/", {"province": "450000", "year": "2026",
                                                       "schemes": ["green_food", "green_inputs"]})
    plan = AnnualInspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/plans/{plan.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "百色生资公司" in detail and "过期公司" not in detail
    again = client.post("/inspections/plans/new/", {"province": "450000", "year": "2026", "schemes": ["green_food"]})
    assert again.status_code == 409 and "已存在" in again.content.decode()
    # Shanghai staff may not choose Guangxi
    client.force_login(world["users"]["sh_province"])
    refused = client.post("/inspections/plans/new/", {"province": "450000", "year": "2027", "schemes": ["green_food"]})
    assert refused.status_code == 400 and AnnualInspectionPlan.objects.count() == 1
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404


def test_assign_and_record_a_failed_inspection_on_the_item_page(world, gx_plan, client):
    item = gx_plan.items.get(entity=world["valid"])
    client.force_login(world["users"]["gx_province"])
    page = client.get(f"/inspections/items/{item.pk}/").content.decode()
    assert "指派检查员" in page and "gx_inspector" in page
    assert client.post(f"/inspections/items/{item.pk}/assign/",
                       {"inspector": world["inspector"].pk}).status_code == 302
    client.force_login(world["inspector"])
    mine = client.get("/inspections/mine/?year=2026").content.decode()
    assert world["valid"].name in mine and "百色生资公司" not in mine
    refused = client.post(f"/inspections/items/{item.pk}/record/", {"inspected_on": "2026-03-01", "findings": "x"})
    assert refused.status_code == 400 and not InspectionRecord.objects.exists()
    done = client.post(f"/inspections/items/{item.pk}/record/",
                       {"inspected_on": "2026-03-01", "conclusion": "fail", "findings": "检出禁用物质"})
    assert done.status_code == 302
    page = client.get(f"/inspections/items/{item.pk}/").content.decode()
    request = RevocationRequest.objects.get()
    assert request.number in page and "不合格" in page and "录入检查结果" not in page


def test_another_inspector_cannot_record(world, gx_plan, client, agencies):
    from .factories import inspector

    item = gx_plan.items.get(entity=world["valid"])
    from sanpin.inspections import services

    services.item_assign(actor=world["users"]["gx_province"], item=item, inspector=world["inspector"])
    other = inspector("other_inspector", agencies["gx"])
    client.force_login(other)
    assert "录入检查结果" not in client.get(f"/inspections/items/{item.pk}/").content.decode()
    response = client.post(f"/inspections/items/{item.pk}/record/", {"inspected_on": "2026-03-01",
                                                                       "conclusion": "pass"})
    assert response.status_code == 403 and not InspectionRecord.objects.exists()

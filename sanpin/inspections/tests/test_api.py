"""The annual-inspection API: plans, items, records; errors as {"code", "message", "fields"};
out-of-scope objects 404; bad input refused with nothing written."""

import datetime

import pytest

from sanpin.core.models import AuditEvent
from sanpin.inspections.models import AnnualInspectionPlan, InspectionRecord
from sanpin.supervision.models import Rectification

from .factories import inspector

pytestmark = pytest.mark.django_db
D = datetime.date


def test_generate_list_and_regenerate_a_plan(world, api):
    api.force_authenticate(world["users"]["gx_province"])
    created = api.post("/api/v1/annual-inspection-plans/", {"province": "450000", "year": 2026}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["items"] == 3 and body["schemes"] == ["green_food", "green_inputs"]
    again = api.post("/api/v1/annual-inspection-plans/", {"province": "450000", "year": 2026}, format="json")
    assert again.status_code == 409 and set(again.json()) == {"code", "message", "fields"}
    assert api.get("/api/v1/annual-inspection-plans/?year=2026").json()["count"] == 1
    regenerated = api.post(f"/api/v1/annual-inspection-plans/{body['id']}/regenerate/", {}, format="json").json()
    assert regenerated["items_added"] == 1 and regenerated["plan"]["items"] == 4
    bad = api.post("/api/v1/annual-inspection-plans/", {"province": "450100", "year": 2027,
                                                        "schemes": ["organic"]}, format="json")
    assert bad.status_code == 400 and "schemes" in bad.json()["fields"]


def test_other_provinces_plans_and_items_are_not_found(world, gx_plan, api):
    item = gx_plan.items.first()
    api.force_authenticate(world["users"]["sh_province"])
    assert api.get("/api/v1/annual-inspection-plans/").json()["count"] == 0
    assert api.get(f"/api/v1/annual-inspection-plans/{gx_plan.pk}/").status_code == 404
    assert api.get(f"/api/v1/annual-inspection-items/{item.pk}/").status_code == 404
    assert api.get("/api/v1/annual-inspection-items/").json()["count"] == 0
    assert api.post(f"/api/v1/annual-inspection-items/{item.pk}/assign/",
                    {"inspector": world["inspector"].pk}, format="json").status_code == 404
    api.force_authenticate(world["users"]["gx_applicant"])
    assert api.get("/api/v1/annual-inspection-plans/").status_code == 403
    # City staff see their province's plan but only the items of their city
    api.force_authenticate(world["users"]["bs_city"])
    assert api.get("/api/v1/annual-inspection-plans/").json()["count"] == 1
    names = [r["entity"]["name"] for r in api.get("/api/v1/annual-inspection-items/").json()["results"]]
    assert names == ["百色生资公司"]


@pytest.fixture
def item(world, gx_plan, api):
    item = gx_plan.items.get(entity=world["valid"])
    api.force_authenticate(world["users"]["gx_province"])
    response = api.post(f"/api/v1/annual-inspection-items/{item.pk}/assign/", {"inspector": world["inspector"].pk},
                        format="json")
    assert response.status_code == 200 and response.json()["inspector"]["username"] == "gx_inspector"
    return item


def test_assigning_an_unqualified_user_is_refused(world, item, api, agencies):
    nobody = inspector("no_quals", agencies["gx"], kinds=[])
    response = api.post(f"/api/v1/annual-inspection-items/{item.pk}/assign/", {"inspector": nobody.pk},
                        format="json")
    assert response.status_code == 400 and "inspector" in response.json()["fields"]
    assert api.post(f"/api/v1/annual-inspection-items/{item.pk}/assign/", {"inspector": 999999},
                    format="json").status_code == 400


@pytest.mark.parametrize(("who", "data", "status", "field"), [
    ("gx_inspector", {"inspected_on": "2026-03-01", "findings": "x"}, 400, "conclusion"),
    ("gx_inspector", {"inspected_on": "2026-03-03", "conclusion": "pass"}, 400, "inspected_on"),
    ("gx_inspector", {"inspected_on": "2026-03-01", "conclusion": "rectify"}, 400, "findings"),
    ("gx_inspector", {"conclusion": "pass"}, 400, "inspected_on"),
    ("other_inspector", {"inspected_on": "2026-03-01", "conclusion": "pass"}, 403, None),
    ("nn_city", {"inspected_on": "2026-03-01", "conclusion": "pass"}, 403, None),
    ("sh_province", {"inspected_on": "2026-03-01", "conclusion": "pass"}, 404, None),
])
def test_bad_records_are_refused_with_nothing_written(world, item, api, agencies, who, data, status, field):
    users = {**world["users"], "gx_inspector": world["inspector"],
             "other_inspector": inspector("other_inspector", agencies["gx"])}
    events = AuditEvent.objects.count()
    api.force_authenticate(users[who])
    response = api.post(f"/api/v1/annual-inspection-items/{item.pk}/record/", data, format="json")
    assert response.status_code == status, response.json()
    assert set(response.json()) == {"code", "message", "fields"}
    if field:
        assert field in response.json()["fields"]
    assert not InspectionRecord.objects.exists() and not Rectification.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_assigned_inspector_records_once_and_sees_it_in_their_list(world, item, api):
    api.force_authenticate(world["inspector"])
    mine = api.get("/api/v1/annual-inspection-items/?inspector=me&inspected=no").json()
    assert [r["id"] for r in mine["results"]] == [item.pk]
    response = api.post(f"/api/v1/annual-inspection-items/{item.pk}/record/",
                        {"inspected_on": "2026-03-01", "conclusion": "rectify", "findings": "标志使用不规范"},
                        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["conclusion"] == "rectify" and len(body["rectifications"]) == 1
    second = api.post(f"/api/v1/annual-inspection-items/{item.pk}/record/",
                      {"inspected_on": "2026-03-02", "conclusion": "pass"}, format="json")
    assert second.status_code == 409
    detail = api.get(f"/api/v1/annual-inspection-items/{item.pk}/").json()
    assert detail["record"]["number"] == body["number"]
    assert detail["certificates"][0]["effective_status"] == "in_rectification"
    records = api.get("/api/v1/annual-inspection-records/?year=2026").json()
    assert [r["number"] for r in records["results"]] == [body["number"]]
    assert AnnualInspectionPlan.objects.count() == 1

"""The workforce API: record a lab's results and see it blocked and restored, training records,
the people register and yearly figures, each in the caller's scope; errors as the error body."""


import pytest

from sanpin.accounts.registries import lab_check_assignable
from sanpin.core.errors import ValidationFailed
from sanpin.workforce.models import LabInspection, ProficiencyTest, TrainingRecord

from .conftest import TODAY
from .test_performance import world  # noqa: F401  (the hand-computed fixture)

pytestmark = pytest.mark.django_db


def pt_body(lab, result, day="2026-05-01", test="pesticide_residues"):
    return {"lab": lab.pk, "scheme": "green_food", "test": test, "programme": "2026年农药残留能力验证",
            "organiser": "农业农村部农产品质量安全中心", "tested_on": day, "result": result}


def test_a_failed_proficiency_test_blocks_the_lab_and_a_later_satisfactory_one_restores_it(api, users, lab):
    api.force_authenticate(users["national"])
    answer = api.post("/api/v1/lab-proficiency-tests/", pt_body(lab, "unsatisfactory"), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["result"] == "unsatisfactory" and answer.json()["lab"]["name"] == lab.name
    standing = api.get(f"/api/v1/labs/{lab.pk}/standing/").json()
    assert standing["blocked"][0]["scheme"] == "绿色食品" and "不满意" in standing["blocked"][0]["reasons"][0]
    with pytest.raises(ValidationFailed, match="不满意"):
        lab_check_assignable(lab_entity=lab, scheme="green_food", test_codes=["pesticide_residues"], on_date=TODAY)
    assert api.post("/api/v1/lab-proficiency-tests/", pt_body(lab, "satisfactory", "2026-05-20"),
                    format="json").status_code == 201
    assert api.get(f"/api/v1/labs/{lab.pk}/standing/").json()["blocked"] == []
    lab_check_assignable(lab_entity=lab, scheme="green_food", test_codes=["pesticide_residues"], on_date=TODAY)
    # as of a day in between it was blocked
    assert api.get(f"/api/v1/labs/{lab.pk}/standing/?on=2026-05-10").json()["blocked"]
    assert api.get(f"/api/v1/labs/{lab.pk}/standing/?on=10.5.2026").status_code == 400
    listed = api.get(f"/api/v1/lab-proficiency-tests/?lab={lab.pk}").json()
    assert [r["result"] for r in listed["results"]] == ["satisfactory", "unsatisfactory"]


def test_flying_inspection_and_void(api, users, lab):
    api.force_authenticate(users["national"])
    body = {"lab": lab.pk, "scheme": "green_food", "inspected_on": "2026-05-01", "findings": "质控记录缺失",
            "conclusion": "fail"}
    created = api.post("/api/v1/lab-inspections/", body, format="json")
    assert created.status_code == 201
    assert "飞行检查" in api.get(f"/api/v1/labs/{lab.pk}/standing/").json()["blocked"][0]["reasons"][0]
    pk = created.json()["id"]
    assert api.post(f"/api/v1/lab-inspections/{pk}/void/", {"reason": ""}, format="json").status_code == 400
    voided = api.post(f"/api/v1/lab-inspections/{pk}/void/", {"reason": "录错机构"}, format="json")
    assert voided.status_code == 200 and voided.json()["voided"] is True
    assert api.post(f"/api/v1/lab-inspections/{pk}/void/", {"reason": "再次"}, format="json").status_code == 409
    assert api.get(f"/api/v1/labs/{lab.pk}/standing/").json()["blocked"] == []


def test_bad_lab_input_is_refused_with_the_error_body_and_nothing_written(api, users, lab, gx_entity):
    api.force_authenticate(users["national"])
    for body, field in ((pt_body(lab, "excellent"), "result"),
                        ({**pt_body(lab, "satisfactory"), "tested_on": "2026-06-02"}, "tested_on"),
                        (pt_body(gx_entity, "satisfactory"), "lab"),
                        ({**pt_body(lab, "satisfactory"), "programme": ""}, "programme")):
        answer = api.post("/api/v1/lab-proficiency-tests/", body, format="json")
        assert answer.status_code == 400, body
        assert set(answer.json()) == {"code", "message", "fields"} and field in answer.json()["fields"]
    assert not ProficiencyTest.objects.exists() and not LabInspection.objects.exists()


def test_lab_endpoints_are_for_national_staff(api, users, lab):
    assert api.get("/api/v1/lab-proficiency-tests/").status_code == 401
    for role in ("gx_province", "nn_city", "inspector", "expert", "gx_applicant"):
        api.force_authenticate(users[role])
        assert api.get("/api/v1/lab-proficiency-tests/").status_code == 403
        assert api.post("/api/v1/lab-inspections/", {}, format="json").status_code == 403
        assert api.get(f"/api/v1/labs/{lab.pk}/standing/").status_code == 403
    api.force_authenticate(users["national"])
    assert api.get("/api/v1/labs/999999/standing/").status_code == 404


def test_training_records_in_scope(api, users, people, on_day):
    on_day(TODAY)
    body = {"person": people["gx_a"].pk, "province": "450000", "course": "检查员培训班", "organiser": "广西绿办",
            "started_on": "2026-05-10", "ended_on": "2026-05-11", "hours": "16", "certificate_number": "GX-1"}
    api.force_authenticate(users["gx_province"])
    created = api.post("/api/v1/training-records/", body, format="json")
    assert created.status_code == 201 and created.json()["hours"] == "16.0"
    out = api.post("/api/v1/training-records/", {**body, "person": people["sh_c"].pk, "province": "310000"},
                   format="json")
    assert out.status_code == 400 and "person" in out.json()["fields"]
    bad = api.post("/api/v1/training-records/", {**body, "hours": "-1", "certificate_number": "GX-2"}, format="json")
    assert bad.status_code == 400 and "hours" in bad.json()["fields"]
    assert TrainingRecord.objects.count() == 1
    assert api.get("/api/v1/training-records/").json()["count"] == 1
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/training-records/").json()["count"] == 0
    api.force_authenticate(users["nn_city"])
    assert api.get("/api/v1/training-records/").status_code == 403


def test_people_and_performance_are_scoped(api, users, world):  # noqa: F811
    api.force_authenticate(users["gx_province"])
    people = api.get("/api/v1/people/").json()["results"]
    assert [p["username"] for p in people] == ["gx_a", "gx_b", "gx_internal"]
    assert people[0]["qualifications"][0]["number"] == "GF-45-001"
    figures = {r["username"]: r for r in api.get("/api/v1/stats/inspector-performance/?year=2026").json()["results"]}
    assert set(figures) == {"gx_a", "gx_b", "gx_internal"}
    a = figures["gx_a"]
    assert (a["site_assigned"], a["site_done"], a["site_on_time"], a["site_findings"]) == (4, 3, 2, 2)
    assert (a["annual_done"], a["annual_on_time"], a["annual_findings"]) == (2, 1, 1)
    assert (a["done"], a["on_time"], a["findings"], a["training_hours"]) == (5, 3, 3, "24.5")
    experts = api.get("/api/v1/stats/expert-participation/?year=2026").json()["results"]
    assert [(e["username"], e["drawn"], e["served"], e["opinions"], e["on_time"]) for e in experts] == [
        ("e1", 2, 3, 2, 1)]
    api.force_authenticate(users["sh_province"])
    assert [r["username"] for r in api.get("/api/v1/stats/inspector-performance/").json()["results"]] == ["sh_c"]
    assert [e["username"] for e in api.get("/api/v1/stats/expert-participation/").json()["results"]] == ["e2"]
    for bad in ("year=abc", "year=1999", "group=boss"):
        answer = api.get(f"/api/v1/stats/inspector-performance/?{bad}")
        assert answer.status_code == 400 and set(answer.json()) == {"code", "message", "fields"}
    api.force_authenticate(users["inspector"])
    assert api.get("/api/v1/stats/inspector-performance/").status_code == 403
    assert api.get("/api/v1/people/").status_code == 403

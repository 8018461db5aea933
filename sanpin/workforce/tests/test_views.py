"""The workforce pages: national staff record lab results on the lab page and see the lab
blocked; provincial staff see and train their province's people only."""

import pytest

from sanpin.workforce.models import ProficiencyTest, TrainingRecord

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_national_staff_record_a_failed_proficiency_test_and_see_the_lab_blocked(client, users, lab):
    client.force_login(users["national"])
    page = client.get("/workforce/labs/")
    assert page.status_code == 200 and "可委托" in page.content.decode()
    answer = client.post(f"/workforce/labs/{lab.pk}/proficiency-tests/", {
        "scheme": "green_food", "test": "routine", "programme": "2026年常规检项能力验证", "organiser": "中心",
        "tested_on": "2026-05-01", "result": "unsatisfactory"})
    assert answer.status_code == 302
    detail = client.get(f"/workforce/labs/{lab.pk}/").content.decode()
    assert "部分业务暂不能委托" in detail and "结果为不满意" in detail
    assert "受限" in client.get("/workforce/labs/").content.decode()
    row = ProficiencyTest.objects.get()
    assert client.post(f"/workforce/proficiency-tests/{row.pk}/void/", {"reason": "录错"}).status_code == 302
    assert "部分业务暂不能委托" not in client.get(f"/workforce/labs/{lab.pk}/").content.decode()


def test_bad_lab_form_is_shown_again_with_the_message(client, users, lab):
    client.force_login(users["national"])
    answer = client.post(f"/workforce/labs/{lab.pk}/inspections/", {
        "scheme": "organic", "inspected_on": "2026-05-01", "findings": "x", "conclusion": "fail"})
    assert answer.status_code == 400 and "不是有机农产品定点检测机构" in answer.content.decode()


def test_lab_pages_are_for_national_staff(client, users, lab):
    for role in ("gx_province", "nn_city", "inspector"):
        client.force_login(users[role])
        assert client.get("/workforce/labs/").status_code == 403
        assert client.get(f"/workforce/labs/{lab.pk}/").status_code == 403


def test_provincial_staff_see_and_train_their_provinces_people(client, users, people, on_day):
    on_day(TODAY)
    client.force_login(users["gx_province"])
    page = client.get("/workforce/people/?year=2026").content.decode()
    assert "韦检查" in page and "黄监管" in page and "沪检查" not in page
    assert client.get(f"/workforce/people/{people['sh_c'].pk}/").status_code == 404
    detail = client.get(f"/workforce/people/{people['gx_a'].pk}/")
    assert detail.status_code == 200 and "GF-45-001" in detail.content.decode()
    form = {"province": "450000", "course": "检查员培训班", "organiser": "广西绿办", "started_on": "2026-05-10",
            "ended_on": "2026-05-11", "hours": "16", "certificate_number": ""}
    assert client.post(f"/workforce/people/{people['gx_a'].pk}/trainings/", form).status_code == 302
    bad = client.post(f"/workforce/people/{people['gx_a'].pk}/trainings/", {**form, "ended_on": "2026-05-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    assert client.post(f"/workforce/people/{people['sh_c'].pk}/trainings/", form).status_code == 404
    assert TrainingRecord.objects.count() == 1
    assert "16.0" in client.get(f"/workforce/people/{people['gx_a'].pk}/?year=2026").content.decode()
    assert client.get("/workforce/experts/?year=2026").status_code == 200
    client.force_login(users["nn_city"])
    assert client.get("/workforce/people/").status_code == 403

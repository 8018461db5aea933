"""Staff credit pages through HTTP: the scoped list, the credit file, manual events and publishing
a rulebook version."""

import datetime

import pytest

from sanpin.catalog.tests.factories import EntityFactory
from sanpin.credit import standing
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import CreditEvent, CreditStanding, Rulebook

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def graded(users, gx_entity, sh_entity, regions, on_day):
    on_day(DAY)
    bs_entity = EntityFactory(name="百色芒果专业合作社", region=regions["451002"] if "451002" in regions
                              else regions["450103"])
    CreditEvent.objects.create(entity=gx_entity, kind=CreditKind.SAMPLING_FAILED, occurred_on=DAY - datetime.timedelta(
        days=30), source_type="test.fact", source_id="1", summary="抽检不合格：镉超标", recorded_by=users["national"])
    standing.refresh_many([gx_entity.pk, sh_entity.pk, bs_entity.pk])
    return {"gx": gx_entity, "sh": sh_entity, "bs": bs_entity}


def test_city_staff_see_only_their_entities(client, users, graded):
    client.force_login(users["nn_city"])
    page = client.get("/credit/").content.decode()
    assert "广西绿源农业有限公司" in page and "上海申绿食品有限公司" not in page
    assert client.get(f"/credit/entities/{graded['sh'].pk}/").status_code == 404
    client.force_login(users["national"])
    page = client.get("/credit/?grade=B").content.decode()
    assert "广西绿源农业有限公司" in page and "上海申绿食品有限公司" in page
    assert "广西绿源农业有限公司" not in client.get("/credit/?grade=A").content.decode()
    assert "广西绿源农业有限公司" not in client.get("/credit/?region=310000").content.decode()
    assert "上海申绿食品有限公司" in client.get(f"/credit/?q={graded['sh'].uscc}").content.decode()


def test_the_entitys_own_applicant_and_roles_without_credit_are_refused(client, users, graded):
    client.force_login(users["gx_applicant"])
    assert client.get("/credit/").status_code == 403
    client.force_login(users["expert"])
    assert client.get(f"/credit/entities/{graded['gx'].pk}/").status_code == 403


def test_the_credit_file_explains_the_grade_on_any_day(client, users, graded):
    client.force_login(users["inspector"])
    page = client.get(f"/credit/entities/{graded['gx'].pk}/").content.decode()
    assert "75.3" in page and "抽检不合格：镉超标" in page and "-9.72" in page  # −10 × ½^(30/730)
    assert "录入信用事件" not in page  # inspectors read only
    before = client.get(f"/credit/entities/{graded['gx'].pk}/?on=2026-01-01").content.decode()
    assert "85.0" in before and "该日期之前没有影响分数的事件" in before


def test_a_manual_event_is_recorded_or_refused_with_chinese_errors(client, users, graded):
    client.force_login(users["gx_province"])
    url = f"/credit/entities/{graded['gx'].pk}/events/new/"
    response = client.post(url, {"kind": CreditKind.AWARD, "occurred_on": "2026-03-05", "summary": "",
                                 "evidence": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写事由" in page and "请填写依据" in page and "发生日期不能晚于今天" in page
    assert not CreditEvent.objects.filter(kind=CreditKind.AWARD).exists()
    response = client.post(url, {"kind": CreditKind.AWARD, "occurred_on": "2026-03-01", "summary": "获评省级龙头企业",
                                 "evidence": "桂农业发〔2026〕1号"})
    assert response.status_code == 302
    assert CreditEvent.objects.get(kind=CreditKind.AWARD).recorded_by == users["gx_province"]
    # City staff may not record; provincial staff of another province get 404 for the entity
    client.force_login(users["nn_city"])
    assert client.post(url, {"kind": CreditKind.AWARD}).status_code == 403
    client.force_login(users["sh_province"])
    assert client.post(url, {"kind": CreditKind.AWARD}).status_code == 404


def _rulebook_form(**overrides):
    data = {"effective_from": "2026-04-01", "base_score": "85", "half_life_days": "730", "note": "抽检不合格加重扣分",
            "t_A": "90", "t_B": "75", "t_C": "60", "s_A": "0.5", "s_B": "1", "s_C": "2", "s_D": "3",
            "site_inspection_grades": ["D"], "block_below_score": "40", "block_days": "365",
            "waiver_grades": ["A"], "waiver_clean_years": "3"}
    from sanpin.credit.rulebook import DEFAULT_WEIGHTS

    data.update({f"w_{kind.value}": str(points) for kind, points in DEFAULT_WEIGHTS.items()})
    data["w_sampling_failed"] = "-25"
    data.update(overrides)
    return data


def test_only_national_staff_publish_a_rulebook_version(client, users, graded):
    client.force_login(users["gx_province"])
    assert client.get("/credit/rulebook/").status_code == 200
    assert client.get("/credit/rulebook/new/").status_code == 403
    assert client.post("/credit/rulebook/new/", _rulebook_form()).status_code == 403
    client.force_login(users["national"])
    form = client.get("/credit/rulebook/new/").content.decode()
    assert 'name="w_sampling_failed"' in form and 'value="-10"' in form  # pre-filled from version 1
    response = client.post("/credit/rulebook/new/", _rulebook_form())
    assert response.status_code == 302
    rulebook = Rulebook.objects.get(version=2)
    assert rulebook.weights["sampling_failed"] == -25 and rulebook.effective_from == datetime.date(2026, 4, 1)
    assert rulebook.effects["block_new_applications"] == {"below_score": 40, "days": 365}
    page = client.get("/credit/rulebook/").content.decode()
    assert "v2" in page and "待生效" in page and "2026-04-01" in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"t_A": "70"}, "等级分界应从 A 到 C 依次降低"),
    ({"effective_from": "2026-03-01"}, "生效日期不能早于今天"),
    ({"note": ""}, "该字段是必填项"),
    ({"s_B": "0"}, "抽检权重应为 0 到 10 之间的正数"),
    ({"half_life_days": "abc"}, "输入整数"),
    ({"waiver_grades": ["D"]}, "同一等级不能既加做现场检查又免续展现场检查"),
])
def test_a_bad_rulebook_is_refused_with_chinese_errors(client, users, graded, overrides, message):
    client.force_login(users["national"])
    response = client.post("/credit/rulebook/new/", _rulebook_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rulebook.objects.filter(version=2).exists()


def test_the_list_reads_the_standing_table(client, users, graded):
    CreditStanding.objects.filter(entity=graded["gx"]).update(grade="D", score="30.0")
    client.force_login(users["gx_province"])
    page = client.get("/credit/?grade=D").content.decode()
    assert "广西绿源农业有限公司" in page and "30.0" in page

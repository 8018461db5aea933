"""Declared inputs on a green food application and the review flags from the allowed-input list
in force for the applicant's province: never a bar to submission, always shown to reviewers."""

from datetime import date

import pytest
from django.urls import reverse

from sanpin.certification.models import Application, DeclaredInput
from sanpin.core.models import AuditEvent
from sanpin.inputs.tests.conftest import make_list

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"
RICE = {"name": "绿源牌大米", "category": "01", "approved_output": "500", "trademark": "绿源"}


@pytest.fixture
def gx_list(users, regions, on_day):
    on_day(date(2026, 3, 2))
    return make_list(users["gx_province"])


def create(api, users, entity, inputs, scheme="green_food", applicant="gx_applicant"):
    api.force_authenticate(users[applicant])
    products = [RICE] if scheme == "green_food" else [{"name": "有机肥", "category": "01", "approved_output": "5"}]
    return api.post(URL, {"scheme": scheme, "kind": "initial", "entity": entity.pk, "products": products,
                          "inputs": inputs}, format="json")


def flags_about(body, name):
    return [f for f in body["review_flags"] if f"“{name}”" in f]


def test_a_pesticide_not_on_the_list_is_flagged_and_one_on_it_is_not(api, users, gx_entity, gx_list):
    response = create(api, users, gx_entity, [
        {"kind": "pesticide", "name": "毒死蜱", "crop": "水稻", "dosage": "40% 乳油 50 毫升/亩"},
        {"kind": "pesticide", "name": "吡虫啉", "product": "绿源牌大米"},
        {"kind": "pesticide", "name": " 吡虫啉 ", "crop": "水稻"},
        {"kind": "fertilizer", "name": "尿素", "crop": "水稻"},  # no fertiliser list in force: not judged
    ])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [i["name"] for i in body["inputs"]] == ["毒死蜱", "吡虫啉", "吡虫啉", "尿素"]
    assert body["inputs"][1]["product"] == "绿源牌大米"
    assert flags_about(body, "毒死蜱") == [
        "申报的农药“毒死蜱”（用于水稻）不在《广西绿色食品可用农药清单（2024）》中：绿色食品生产只能使用清单内的农药，"
        "审查时将重点核实其来源和使用记录"]
    assert flags_about(body, "吡虫啉") == [] and flags_about(body, "尿素") == []
    # Staff of the province see the same flags on the application.
    api.force_authenticate(users["gx_province"])
    assert flags_about(api.get(f"{URL}{body['id']}/").json(), "毒死蜱")


def test_a_pesticide_on_the_list_without_a_limit_for_the_crop_is_flagged(api, users, gx_entity, gx_list):
    body = create(api, users, gx_entity, [
        {"kind": "pesticide", "name": "苦参碱", "crop": "水稻"},
        {"kind": "pesticide", "name": "吡虫啉", "crop": "茶叶"},
    ]).json()
    assert flags_about(body, "苦参碱") == [
        "农药“苦参碱”在《广西绿色食品可用农药清单（2024）》中，但清单未规定其在“水稻”上的残留限量：请核实该农药是否登记用于"
        "该作物，审查时将重点核实"]
    assert len(flags_about(body, "吡虫啉")) == 1 and "“茶叶”" in flags_about(body, "吡虫啉")[0]


def test_without_a_list_in_force_nothing_is_flagged(api, users, gx_entity, regions, on_day):
    on_day(date(2026, 3, 2))
    make_list(users["gx_province"], effective_from=date(2026, 6, 1))  # not yet in force
    body = create(api, users, gx_entity, [{"kind": "pesticide", "name": "毒死蜱", "crop": "水稻"}]).json()
    assert flags_about(body, "毒死蜱") == []


def test_the_flags_show_on_the_application_page(client, users, gx_entity, gx_list, api):
    pk = create(api, users, gx_entity, [{"kind": "pesticide", "name": "毒死蜱", "crop": "水稻"}]).json()["id"]
    for who in ("gx_applicant", "gx_province"):
        client.force_login(users[who])
        page = client.get(reverse("certification:detail", args=[pk])).content.decode()
        flags = page[page.index('id="review-flags"'):]
        assert "“毒死蜱”（用于水稻）不在《广西绿色食品可用农药清单（2024）》中" in flags, who
        assert 'id="declared-inputs-table"' in page


def test_a_bad_declared_input_writes_no_application(api, users, gx_entity, gx_list):
    response = create(api, users, gx_entity, [
        {"kind": "pesticide", "name": "吡虫啉", "crop": "水稻"},
        {"kind": "herbicide", "name": "", "product": "别的产品"},
    ])
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"inputs[1].kind", "inputs[1].name", "inputs[1].product", "inputs[1].crop"}
    assert not Application.objects.exists() and not DeclaredInput.objects.exists()
    green_inputs = create(api, users, gx_entity, [{"kind": "pesticide", "name": "吡虫啉", "crop": "水稻"}],
                          scheme="green_inputs")
    assert green_inputs.status_code == 400 and "inputs" in green_inputs.json()["fields"]


def test_inputs_are_edited_only_by_the_applicant_while_draft_or_supplement(api, users, gx_entity, sh_entity,
                                                                           gx_list):
    pk = create(api, users, gx_entity, []).json()["id"]
    added = api.post(f"{URL}{pk}/inputs/", {"kind": "pesticide", "name": "毒死蜱", "crop": "水稻"}, format="json")
    assert added.status_code == 201 and flags_about(added.json(), "毒死蜱")
    assert AuditEvent.objects.filter(verb="application.input_add", target_id=str(pk)).exists()
    item = DeclaredInput.objects.get()
    refused = api.post(f"{URL}{pk}/inputs/", {"kind": "pesticide", "name": "", "crop": ""}, format="json")
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"name", "crop"}
    # Another applicant never reaches it; staff may read but not edit.
    api.force_authenticate(users["sh_applicant"])
    assert api.delete(f"{URL}{pk}/inputs/{item.pk}/").status_code == 404
    api.force_authenticate(users["gx_province"])
    assert api.post(f"{URL}{pk}/inputs/", {"kind": "pesticide", "name": "吡虫啉", "crop": "水稻"},
                    format="json").status_code == 403
    # Answering a supplement request the applicant may correct them; once under review, not.
    api.force_authenticate(users["gx_applicant"])
    Application.objects.filter(pk=pk).update(state="supplement")
    assert api.delete(f"{URL}{pk}/inputs/{item.pk}/").status_code == 200
    Application.objects.filter(pk=pk).update(state="written_review")
    late = api.post(f"{URL}{pk}/inputs/", {"kind": "pesticide", "name": "吡虫啉", "crop": "水稻"}, format="json")
    assert late.status_code == 409 and not DeclaredInput.objects.exists()


def test_the_draft_page_declares_and_withdraws_inputs(client, users, gx_entity, gx_list, api):
    pk = create(api, users, gx_entity, []).json()["id"]
    client.force_login(users["gx_applicant"])
    url = reverse("certification:input_add", args=[pk])
    refused = client.post(url, {"input-kind": "pesticide", "input-name": "毒死蜱"})
    assert refused.status_code == 400 and "请填写使用的作物或对象" in refused.content.decode()
    assert client.post(url, {"input-kind": "pesticide", "input-name": "毒死蜱",
                                           "input-product": "绿源牌大米"}).status_code == 302
    page = client.get(reverse("certification:detail", args=[pk])).content.decode()
    assert "“毒死蜱”（用于绿源牌大米）不在" in page
    item = DeclaredInput.objects.get()
    assert client.post(reverse("certification:input_remove", args=[pk, item.pk])).status_code == 302
    assert not DeclaredInput.objects.exists()

"""Pages and endpoints of the allowed-input lists, through HTTP: the public search (page and API),
the staff pages and their region scope."""

from datetime import date

import pytest
from django.urls import reverse

from sanpin.inputs import services
from sanpin.inputs.models import AllowedInputList, ResidueLimit

from .conftest import make_list
from .test_import import BAD, GOOD, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def sh_list(users, gx_list):
    return make_list(users["sh_province"], title="上海市绿色食品可用农药清单", region="310000",
                     inputs=[("阿维菌素", [])])


def test_the_public_search_page_needs_no_sign_in_and_shows_limits_and_source(client, gx_list):
    page = client.get(reverse("inputs:search"), {"q": "吡虫啉", "crop": "水稻"}).content.decode()
    page = page[page.index('id="results"'):]
    assert "吡虫啉" in page and "苦参碱" not in page
    assert "水稻" in page and "0.05 mg/kg" in page and "GB 2763—2021" in page and "桂绿发〔2024〕1 号" in page
    assert "柑橘" not in page  # only the limits on the crop asked for


def test_the_public_api_filters_by_name_crop_kind_and_day(api, gx_list):
    url = reverse("public-allowed-inputs")
    body = api.get(url, {"crop": "01"}).json()
    assert [r["common_name"] for r in body["results"]] == ["吡虫啉"]
    row = body["results"][0]
    assert row["limits"] == [{"crop": "水稻", "crop_category": "01", "max_value": "0.050000", "unit": "mg/kg",
                              "source_standard": "GB 2763—2021", "effective_from": None, "effective_until": None,
                              "is_demo": False}]
    assert row["list"]["title"] == "广西绿色食品可用农药清单（2024）" and row["list"]["region"] == "450000"
    assert api.get(url, {"q": "苦参"}).json()["count"] == 1
    assert api.get(url, {"kind": "fertilizer"}).json()["count"] == 0
    assert api.get(url, {"on": "2023-12-31"}).json()["count"] == 0  # before the list took effect
    bad = api.get(url, {"on": "31/12/2023"})
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}


def test_public_search_by_region_shows_only_the_list_that_governs_it(api, users, sh_list):
    url = reverse("public-allowed-inputs")
    assert {r["common_name"] for r in api.get(url).json()["results"]} == {"吡虫啉", "苦参碱", "阿维菌素"}
    assert {r["common_name"] for r in api.get(url, {"region": "310000"}).json()["results"]} == {"阿维菌素"}


def test_a_guangxi_provincial_user_cannot_edit_the_shanghai_list(client, users, sh_list):
    client.force_login(users["gx_province"])
    draft = make_list(users["sh_province"], title="上海草稿", region="310000", publish=False,
                      effective_from=date(2027, 1, 1))
    item = draft.inputs.first()
    limits = ResidueLimit.objects.filter(input__list=draft).count()
    for name, args in (("inputs:list", [sh_list.pk]), ("inputs:list_edit", [draft.pk]),
                       ("inputs:list_import", [draft.pk]), ("inputs:list_export", [sh_list.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args, data in (("inputs:list_publish", [draft.pk], {}),
                             ("inputs:list_retire", [sh_list.pk], {"reason": "x"}),
                             ("inputs:input_add", [draft.pk], {"common_name": "多菌灵"}),
                             ("inputs:input_remove", [item.pk], {}),
                             ("inputs:limit_add", [item.pk], {"crop": "水稻", "crop_category": "01",
                                                              "max_value": "1", "unit": "mg/kg"})):
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.inputs.count() == 2
    assert ResidueLimit.objects.filter(input__list=draft).count() == limits
    page = client.get(reverse("inputs:lists")).content.decode()
    assert "广西绿色食品可用农药清单" in page and "上海" not in page


def test_staff_build_and_publish_a_list_through_the_pages(client, users, regions, on_day):
    on_day(date(2026, 3, 2))
    client.force_login(users["gx_province"])
    response = client.post(reverse("inputs:list_create"), {
        "kind": "pesticide", "issuer_region": "450000", "title": "广西绿色食品可用农药清单（2026）",
        "issuer_name": "广西壮族自治区绿色食品发展站", "source_document": "桂绿发〔2026〕2 号",
        "effective_from": "2026-04-01"})
    lst = AllowedInputList.objects.get()
    assert response.status_code == 302 and lst.issuer_region_id == "450000"
    url = reverse("inputs:list", args=[lst.pk])
    assert client.post(reverse("inputs:list_publish", args=[lst.pk])).status_code == 400  # empty
    client.post(reverse("inputs:input_add", args=[lst.pk]), {"common_name": "吡虫啉", "category": "insecticide"})
    item = lst.inputs.get()
    refused = client.post(reverse("inputs:limit_add", args=[item.pk]),
                          {"crop": "水稻", "crop_category": "01", "max_value": "0.05"})
    assert refused.status_code == 400 and "请填写单位" in refused.content.decode()
    assert not item.limits.exists()
    client.post(reverse("inputs:limit_add", args=[item.pk]),
                {"crop": "水稻", "crop_category": "01", "max_value": "0.05", "unit": "mg/kg"})
    assert item.limits.count() == 1
    assert client.post(reverse("inputs:list_publish", args=[lst.pk])).status_code == 302
    lst.refresh_from_db()
    assert lst.status == "published"
    page = client.get(url).content.decode()
    assert "已发布，待生效" in page and "水稻（01）≤ 0.05 mg/kg" in page
    # Provincial staff cannot make a list for another province.
    response = client.post(reverse("inputs:list_create"), {
        "kind": "pesticide", "issuer_region": "310000", "title": "x", "issuer_name": "x", "source_document": "x",
        "effective_from": "2026-04-01"})
    assert response.status_code == 400 and AllowedInputList.objects.count() == 1


def test_the_import_page_previews_and_refuses_a_bad_file_whole(client, users, regions, on_day):
    on_day(date(2026, 3, 2))
    draft = make_list(users["gx_province"], publish=False, inputs=[])
    client.force_login(users["gx_province"])
    url = reverse("inputs:list_import", args=[draft.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(rows, dry_run):
        data = {"file": SimpleUploadedFile("list.xlsx", xlsx(rows)), **({"dry_run": "on"} if dry_run else {})}
        return client.post(url, data)

    preview = upload(GOOD, True)
    assert preview.status_code == 200 and "将新增 2 个投入品、2 条残留限量" in preview.content.decode()
    refused = upload(GOOD + BAD, False)
    assert refused.status_code == 400 and "文件中有 4 行有误，未导入任何数据" in refused.content.decode()
    assert not draft.inputs.exists()
    assert upload(GOOD, False).status_code == 302 and draft.inputs.count() == 2


def test_the_staff_api_lists_in_scope_and_imports(api, users, sh_list, gx_list):
    api.force_authenticate(users["gx_province"])
    listed = api.get(reverse("allowed-input-list-list")).json()
    assert [r["title"] for r in listed["results"]] == [gx_list.title]
    assert api.get(reverse("allowed-input-list-detail", args=[sh_list.pk])).status_code == 404
    detail = api.get(reverse("allowed-input-list-detail", args=[gx_list.pk])).json()
    assert {i["common_name"] for i in detail["inputs"]} == {"吡虫啉", "苦参碱"}
    draft = services.list_new_version(actor=users["gx_province"], lst=gx_list, title="v2", source_document="文",
                                      effective_from=date(2026, 9, 1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("allowed-input-list-import", args=[draft.pk])
    dry = api.post(url + "?dry_run=1", {"file": SimpleUploadedFile("a.xlsx", xlsx(GOOD + BAD))}, format="multipart")
    assert dry.status_code == 200 and len(dry.json()["problems"]) == 4 and not dry.json()["written"]
    bad = api.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx(GOOD + BAD))}, format="multipart")
    assert bad.status_code == 400 and len(bad.json()["fields"]["rows"]) == 4
    assert draft.inputs.count() == 2  # the two copied, nothing imported
    api.force_authenticate(users["sh_province"])
    assert api.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx(GOOD))}, format="multipart").status_code == 404

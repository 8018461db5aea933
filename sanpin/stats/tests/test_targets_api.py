"""The targets API and page: who reaches them, the shape of the rows, entering a target on the
page, the import page and the xlsx export."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sanpin.certificates.tests.factories import issue
from sanpin.stats.models import Target
from sanpin.stats.target_services import target_set

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/targets/"


@pytest.fixture
def planned(users, regions, gx_entity, on_day):
    on_day(datetime.date(2024, 2, 1))
    issue(gx_entity, scheme="green_food", category="01", approved_on=datetime.date(2024, 2, 1),
          valid_from=datetime.date(2024, 2, 1), valid_until=datetime.date(2027, 1, 31))
    target_set(actor=users["gx_province"], region=regions["450100"], year=2024, measure="green_organic", value=4,
               source="2024年计划表")
    on_day(datetime.date(2025, 3, 1))


def test_rows_per_child_region_with_target_count_and_progress(api, users, planned):
    api.force_authenticate(users["gx_province"])
    body = api.get(f"{URL}?year=2024").json()
    assert (body["year"], body["measure"], body["counted_on"]) == (2024, "green_organic", "2024-12-31")
    assert body["region"] == {"code": "450000", "name": "广西壮族自治区"}
    rows = {row["region"]["code"]: row for row in body["rows"]}
    assert rows["450100"] == {"region": {"code": "450100", "name": "南宁市"}, "target": 4, "valid": 1,
                              "percent": "25.0", "gap": 3, "source": "2024年计划表"}
    assert rows["451000"] == {"region": {"code": "451000", "name": "百色市"}, "target": None, "valid": 0,
                              "percent": None, "gap": None, "source": ""}
    assert body["total"]["target"] == 4 and body["total"]["valid"] == 1
    city = api.get(f"{URL}?year=2024&region=450100&measure=green_food").json()
    assert [(r["region"]["code"], r["valid"]) for r in city["rows"]] == [("450102", 1), ("450103", 0)]


def test_out_of_scope_is_404_bad_input_400_wrong_role_403(api, users, planned):
    api.force_authenticate(users["gx_province"])
    assert api.get(f"{URL}?region=310000").status_code == 404
    assert api.get(f"{URL}?region=999999").status_code == 404
    assert api.get(f"{URL}?year=abc").status_code == 400
    assert api.get(f"{URL}?year=1999").json()["fields"]["year"]
    assert api.get(f"{URL}?measure=tea").json()["fields"]["measure"]
    api.force_authenticate(users["gx_applicant"])
    assert api.get(URL).status_code == 403
    api.force_authenticate(users["national"])
    provinces = {r["region"]["code"] for r in api.get(f"{URL}?year=2024").json()["rows"]}
    assert provinces == {"450000", "310000"}
    api.force_authenticate(None)
    assert api.get(URL).status_code == 401


def test_the_page_shows_bars_and_a_province_enters_a_city_target(client, users, planned):
    client.force_login(users["gx_province"])
    page = client.get("/stats/targets/?year=2024")
    assert page.status_code == 200
    html = page.content.decode()
    assert "南宁市" in html and "25.0%" in html and 'class="progress-bar' in html and "填报或修改目标" in html
    response = client.post("/stats/targets/set/?year=2024", {
        "region": "451000", "year": 2024, "measure": "green_organic", "value": 285, "source": "计划表"})
    assert response.status_code == 302
    assert Target.objects.get(region_id="451000").value == 285
    refused = client.post("/stats/targets/set/", {"region": "451000", "year": 2024, "measure": "green_organic",
                                                  "value": -1})
    assert refused.status_code == 400 and "计划数不能为负数" in refused.content.decode()


def test_city_staff_read_the_page_but_enter_nothing(client, users, planned):
    client.force_login(users["nn_city"])
    html = client.get("/stats/targets/?year=2024").content.decode()
    assert "兴宁区" in html and "填报或修改目标" not in html
    assert client.post("/stats/targets/set/", {"region": "450102", "year": 2024, "measure": "gi",
                                               "value": 1}).status_code == 403
    assert client.get("/stats/targets/import/").status_code == 403
    assert client.get("/stats/targets/?region=310000").status_code == 404


def test_export_holds_the_table_and_its_total(client, users, planned):
    client.force_login(users["gx_province"])
    response = client.get("/stats/targets/export/?year=2024")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("地区代码", "地区名称", "计划数", "有效产品数")
    assert rows[2][:6] == ("450100", "南宁市", 4, 1, 25.0, 3)
    assert rows[-1][1:4] == ("合计", 4, 1)


def test_the_import_page_lists_bad_rows_and_writes_nothing(client, users, regions):
    book = Workbook()
    book.active.append(["地区代码", "地区名称", "年度", "指标", "计划数", "依据"])
    book.active.append(["450100", "南宁市", 2024, "绿色食品", 10, ""])
    book.active.append(["310000", "上海市", 2024, "绿色食品", 10, ""])
    out = io.BytesIO()
    book.save(out)
    client.force_login(users["gx_province"])
    upload = SimpleUploadedFile("t.xlsx", out.getvalue())
    response = client.post("/stats/targets/import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 400
    assert "该地区不在本机构管辖范围内" in response.content.decode() and not Target.objects.exists()
    template = client.get("/stats/targets/template/?year=2024")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")

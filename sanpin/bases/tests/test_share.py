"""The share of base production in each city's total edible agricultural production: computed from
the snapshots the cities reviewed, against the province's target, and exported as xlsx for the
provincial office [002 §2, §3(2), 003 att.2 §3]."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from sanpin.bases import collection, services
from sanpin.bases.models import CountySubmission, RegionProduction
from sanpin.bases.share import share_table
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db



def base(people, who, entity, county, name, output):
    return services.base_create(actor=people[who], name=name, base_type="GF", level="district", operator=entity,
                                county=county, products="沙田柚", area_mu="100", output_tons=output, location="镇上")


def submit(people, who, county, reviewer=None):
    s = CountySubmission.objects.get(county_id=county)
    collection.submission_submit(actor=people[who], submission=s)
    if reviewer:
        collection.submission_review(actor=people[reviewer], submission=s)


@pytest.fixture
def guangxi_2024(people, gx_entity, regions, on_day):
    """南宁: 兴宁 4,500 t reviewed, 青秀 2,000 t submitted only; 百色: 隆林 1,234.56 t reviewed.
    Totals 南宁 20,000 t, 百色 9,876.54 t; target 20%."""
    on_day(date(2025, 1, 10))
    collection.cycle_open(actor=people["gx_province"], province="450000", year=2024)
    base(people, "xn_county", gx_entity, regions["450102"], "五塘沙田柚基地", "3000")
    base(people, "xn_county", gx_entity, regions["450102"], "昆仑蔬菜基地", "1500")
    base(people, "qx_county", gx_entity, regions["450103"], "青秀火龙果基地", "2000")
    base(people, "ll_county", gx_entity, regions["451031"], "隆林茶叶基地", "1234.56")
    submit(people, "xn_county", "450102", "nn_city")
    submit(people, "qx_county", "450103")
    submit(people, "ll_county", "451031", "bs_city")
    collection.region_production_set(actor=people["nn_city"], region="450100", year=2024,
                                     total_output_tons="20000", source="2024年南宁市统计年鉴")
    collection.region_production_set(actor=people["gx_province"], region="451000", year=2024,
                                     total_output_tons="9,876.54")
    collection.share_target_set(actor=people["gx_province"], province="450000", year=2024, min_percent="20",
                                source="桂农厅发〔2023〕号")
    return regions["450000"]


def test_the_share_per_city_matches_the_hand_computed_figures(guangxi_2024, people, gx_entity, regions):
    table = share_table(province=guangxi_2024, year=2024)
    rows = {r.name: r for r in table.rows}
    assert list(rows) == ["南宁市", "百色市"]
    nn, bs = rows["南宁市"], rows["百色市"]
    # 4,500 / 20,000 = 22.50% ≥ 20%: 青秀's 2,000 t is not reviewed, so not counted
    assert (nn.counties_total, nn.counties_reviewed, nn.base_output_tons, nn.total_output_tons) == (
        2, 1, Decimal("4500.00"), Decimal("20000.00"))
    assert (nn.share_percent, nn.target_percent, nn.meets_target) == (Decimal("22.50"), Decimal("20.00"), True)
    assert nn.pending_counties == ["青秀区"]
    # 1,234.56 / 9,876.54 = 12.4999…% → 12.50, below target
    assert (bs.base_output_tons, bs.share_percent, bs.meets_target, bs.pending_counties) == (
        Decimal("1234.56"), Decimal("12.50"), False, [])
    # Province: 5,734.56 / 29,876.54 = 19.19%
    total = table.total
    assert (total.counties_total, total.counties_reviewed, total.base_output_tons, total.total_output_tons) == (
        3, 2, Decimal("5734.56"), Decimal("29876.54"))
    assert (total.share_percent, total.meets_target) == (Decimal("19.19"), False)

    # A reviewed year stays as it was: later edits of a base do not change it
    changed = services.base_create(actor=people["xn_county"], name="新建基地", base_type="GF", level="district",
                                   operator=gx_entity, county=regions["450102"], products="柑橘", area_mu="10",
                                   output_tons="90000", location="三塘镇")
    assert changed.pk
    assert share_table(province=guangxi_2024, year=2024).rows[0].share_percent == Decimal("22.50")
    # Once the city reviews 青秀 its snapshot counts: (4,500 + 2,000) / 20,000 = 32.50%
    collection.submission_review(actor=people["nn_city"], submission=CountySubmission.objects.get(county_id="450103"))
    nn = share_table(province=guangxi_2024, year=2024).rows[0]
    assert (nn.share_percent, nn.pending_counties) == (Decimal("32.50"), [])


def test_without_a_total_or_a_cycle_the_share_is_unknown(people, regions, on_day):
    on_day(date(2025, 1, 10))
    table = share_table(province=regions["450000"], year=2024)
    assert table.cycle is None and all(r.share_percent is None for r in table.rows)
    collection.cycle_open(actor=people["gx_province"], province="450000", year=2024)
    collection.region_production_set(actor=people["gx_province"], region="450100", year=2024,
                                     total_output_tons="1000")
    table = share_table(province=regions["450000"], year=2024)
    rows = {r.name: r for r in table.rows}
    assert rows["南宁市"].share_percent == Decimal("0.00") and rows["南宁市"].meets_target is None  # no target
    assert rows["百色市"].share_percent is None
    assert table.total.total_output_tons is None and table.total.share_percent is None  # 百色 missing
    assert rows["南宁市"].pending_counties == ["兴宁区", "青秀区"]


def test_shanghai_is_one_unit_against_its_30_percent_target(people, sh_entity, regions, on_day):
    on_day(date(2025, 2, 1))
    collection.cycle_open(actor=people["sh_province"], province="310000", year=2024)
    base(people, "hp_county", sh_entity, regions["310101"], "黄浦区蔬菜基地", "3100")
    submit(people, "hp_county", "310101", "sh_province")
    collection.region_production_set(actor=people["sh_province"], region="310000", year=2024,
                                     total_output_tons="10000")
    collection.share_target_set(actor=people["sh_province"], province="310000", year=2024, min_percent="30")
    table = share_table(province=regions["310000"], year=2024)
    assert [(r.code, r.counties_total, r.counties_reviewed, r.share_percent, r.meets_target, r.pending_counties)
            for r in table.rows] == [("310000", 2, 1, Decimal("31.00"), True, ["徐汇区"])]


def test_who_enters_totals_and_targets_and_what_is_refused(people, regions, on_day):
    on_day(date(2025, 1, 10))
    # A city enters its own total only; the province any of its cities
    with pytest.raises(PermissionDenied):
        collection.region_production_set(actor=people["nn_city"], region="451000", year=2024, total_output_tons="1")
    with pytest.raises(PermissionDenied):
        collection.region_production_set(actor=people["xn_county"], region="450100", year=2024,
                                         total_output_tons="1")
    with pytest.raises(PermissionDenied):
        collection.region_production_set(actor=people["sh_province"], region="450100", year=2024,
                                         total_output_tons="1")
    for value in ("0", "-5", "abc", "100000001", "NaN"):
        with pytest.raises(ValidationFailed) as bad:
            collection.region_production_set(actor=people["gx_province"], region="450100", year=2024,
                                             total_output_tons=value)
        assert "total_output_tons" in bad.value.fields, value
    with pytest.raises(ValidationFailed) as bad:  # a county is not a unit of the share in Guangxi
        collection.region_production_set(actor=people["gx_province"], region="450102", year=2024,
                                         total_output_tons="1")
    assert "region" in bad.value.fields
    first = collection.region_production_set(actor=people["gx_province"], region="450100", year=2024,
                                             total_output_tons="20000")
    second = collection.region_production_set(actor=people["nn_city"], region="450100", year=2024,
                                              total_output_tons="21000.5", source="更正")
    assert first.pk == second.pk and RegionProduction.objects.count() == 1
    event = AuditEvent.objects.filter(verb="bases.region_production_set").order_by("-seq").first()
    assert event.old["total_output_tons"] == "20000.00" and event.new["total_output_tons"] == "21000.50"

    with pytest.raises(PermissionDenied):
        collection.share_target_set(actor=people["nn_city"], province="450000", year=2024, min_percent="20")
    with pytest.raises(ValidationFailed):
        collection.share_target_set(actor=people["gx_province"], province="450000", year=2024, min_percent="120")
    assert collection.share_target_set(actor=people["national"], province="450000", year=2024,
                                       min_percent="20").min_percent == Decimal("20.00")


def test_the_share_api_and_production_api(guangxi_2024, api, people):
    api.force_authenticate(people["gx_province"])
    body = api.get("/api/v1/bases/share/?province=450000&year=2024").json()
    assert body["target_percent"] == "20.00"
    assert [(r["name"], r["share_percent"], r["meets_target"]) for r in body["rows"]] == [
        ("南宁市", "22.50", True), ("百色市", "12.50", False)]
    assert body["total"]["share_percent"] == "19.19"
    # Another province's staff do not see Guangxi's table; a city sees its province's
    api.force_authenticate(people["sh_province"])
    assert api.get("/api/v1/bases/share/?province=450000&year=2024").status_code == 404
    api.force_authenticate(people["bs_city"])
    assert api.get("/api/v1/bases/share/?year=2024").json()["province"] == "450000"
    assert api.get("/api/v1/bases/share/?year=abc").status_code == 400

    put = api.put("/api/v1/bases/production/", {"region": "451000", "year": 2024, "total_output_tons": "6172.8"},
                  format="json")
    assert put.status_code == 200 and put.json()["total_output_tons"] == "6172.80"
    assert api.get("/api/v1/bases/share/?year=2024").json()["rows"][1]["share_percent"] == "20.00"
    refused = api.put("/api/v1/bases/production/", {"region": "450100", "year": 2024, "total_output_tons": "1"},
                      format="json")
    assert refused.status_code == 403
    bad = api.put("/api/v1/bases/production/", {"region": "451000", "year": 2024, "total_output_tons": "0"},
                  format="json")
    assert bad.status_code == 400 and "total_output_tons" in bad.json()["fields"]


def test_the_share_page_and_its_xlsx_export(guangxi_2024, people, on_day):
    on_day(date(2025, 1, 10))
    client = Client()
    client.force_login(people["gx_province"])
    page = client.get("/bases/share/?province=450000&year=2024")
    html = page.content.decode()
    assert page.status_code == 200 and "22.50" in html and "12.50" in html and "导出 Excel" in html
    assert 'class="table-danger"' in html  # 百色 below target
    assert "录入设区市食用农产品生产总量" in html and "占比目标" in html
    saved = client.post("/bases/share/production/", {"region": "451000", "year": "2024",
                                                     "total_output_tons": "abc"})
    assert saved.status_code == 400 and "应为数字" in saved.content.decode()

    export = client.get("/bases/share/export/?province=450000&year=2024")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = sheet["A1"].value
    assert "广西壮族自治区" in header and "2024" in header and "≥20.00%" in header and "导出时间" in header
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows[0][:9] == ["450100", "南宁市", 2, 1, 4500.0, 20000.0, 22.5, 20.0, "达标"]
    assert rows[0][9] == "青秀区"
    assert rows[1][:9] == ["451000", "百色市", 1, 1, 1234.56, 9876.54, 12.5, 20.0, "未达标"]
    assert rows[2][1] == "全省合计" and rows[2][6] == 19.19

    # A city sees its province's table but may enter only its own total, and no target
    city = Client()
    city.force_login(people["bs_city"])
    html = city.get("/bases/share/?year=2024").content.decode()
    assert "百色市" in html and "设定广西壮族自治区占比目标" not in html
    assert city.post("/bases/share/target/", {"province": "450000", "year": "2024",
                                              "min_percent": "10"}).status_code == 403
    assert city.get("/bases/share/export/?province=310000&year=2024").status_code == 404

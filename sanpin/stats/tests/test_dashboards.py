"""The staff dashboard page, its drill-down links and the Excel export of each chart's table; the
public statistics page."""

import io
import json

import pytest
from openpyxl import load_workbook

from sanpin.accounts.context_processors import nav_items_for
from sanpin.stats.exports import CHART_TABLES

from .test_indicators import build_world

pytestmark = pytest.mark.django_db

PAGE = "/stats/dashboard/"
EXPORT = "/stats/dashboard/export/"


@pytest.fixture
def world(users, regions, on_day):
    from datetime import date

    on_day(date(2026, 11, 20))
    return build_world(users, regions)


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="dashboard-data" type="application/json">') + len(
        '<script id="dashboard-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_province_staff_see_their_cities_with_drill_down_links(client, users, world):
    client.force_login(users["gx_province"])
    response = client.get(PAGE, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计看板 · 广西壮族自治区" in html and "vendor/echarts/echarts.min.js" in html
    data = chart_data(response)
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["450100"]["valid"] == 3 and rows["450100"]["url"].startswith(PAGE + "?region=450100")
    assert data["map"]["url"].endswith("vendor/echarts-map/province/guangxi.json")
    assert data["total"]["grades"] == {"A": 1, "B": 1, "C": 0, "D": 1}
    # Following a row's link opens the city's dashboard, its counties as rows, with no map.
    city = client.get(rows["450100"]["url"])
    city_data = chart_data(city)
    assert {r["code"] for r in city_data["rows"]} == {"450102", "450103"} and city_data["map"] is None
    assert [c["name"] for c in city.context["crumbs"]] == ["广西壮族自治区", "南宁市"]  # no way up past its own


def test_national_staff_get_the_china_map_with_short_province_names(client, users, world):
    client.force_login(users["national"])
    data = chart_data(client.get(PAGE, {"year": 2026}))
    assert data["map"]["name"] == "china"
    names = {r["code"]: r["map_name"] for r in data["rows"]}
    assert names == {"450000": "广西", "310000": "上海"}


def test_city_staff_cannot_open_another_province(client, users, world):
    client.force_login(users["nn_city"])
    assert client.get(PAGE, {"region": "310000"}).status_code == 404
    assert client.get(PAGE, {"region": "451000"}).status_code == 404  # a sibling city
    assert client.get(EXPORT, {"chart": "trend", "region": "310000"}).status_code == 404
    client.force_login(users["gx_applicant"])
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("chart", sorted(CHART_TABLES))
def test_each_chart_exports_its_table(client, users, world, chart):
    client.force_login(users["gx_province"])
    response = client.get(EXPORT, {"chart": chart, "year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "广西壮族自治区" in sheet["A2"].value and "制表时间" in sheet["A3"].value
    assert sheet.max_row >= 5  # title, scope, time, headers, rows / totals


def test_the_trend_export_holds_the_months_and_their_total(client, users, world):
    client.force_login(users["gx_province"])
    sheet = load_workbook(io.BytesIO(client.get(EXPORT, {"chart": "trend", "year": 2026}).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0] == ["月份", "新获证", "续展", "合计"]
    assert values[1] == ["1 月", 0, 1, 1] and values[-1] == ["合计", 3, 1, 4]


def test_the_ranking_export_is_sorted(client, users, world):
    client.force_login(users["gx_province"])
    sheet = load_workbook(io.BytesIO(client.get(EXPORT, {"chart": "rank_valid", "year": 2026}).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[0] == [1, "450100", "南宁市", 3] and rows[1] == [2, "451000", "百色市", 1]


def test_an_unknown_chart_is_refused(client, users, world):
    client.force_login(users["gx_province"])
    assert client.get(EXPORT, {"chart": "pie-in-the-sky"}).status_code == 400


def test_staff_find_the_dashboard_in_the_menu(users):
    labels = lambda user: {str(item["label"]) for item in nav_items_for(user)}  # noqa: E731
    assert {"统计看板", "统计年报"} <= labels(users["gx_province"])
    assert "统计看板" not in labels(users["gx_applicant"])


def test_the_public_page_shows_headline_figures_without_a_map(client, world):
    response = client.get("/statistics/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["valid"], figures["new"]) == (5, 4)  # Guangxi 4 + Shanghai 1; new A, B, D, F
    assert figures["sampling_pass_rate"] == "75.0"
    assert {s["scheme"]: s["valid"] for s in figures["schemes"]}["green_inputs"] == 5
    html = response.content.decode()
    assert "echarts-map" not in html and "data-chart=\"map\"" not in html
    assert "南宁" not in html  # no breakdown by region


def test_the_target_chart_exports_progress_when_targets_exist(client, users, world, regions):
    from sanpin.stats.models import Target

    client.force_login(users["gx_province"])
    assert client.get(EXPORT, {"chart": "targets", "year": 2026}).status_code == 400  # no targets yet
    Target.objects.create(region=regions["450100"], year=2026, measure="green_organic", value=8,
                          updated_by=users["gx_province"])
    data = chart_data(client.get(PAGE, {"year": 2026}))
    assert data["targets"] == [{"measure": "绿色食品、有机农产品", "name": "南宁市", "code": "450100", "target": 8,
                                "actual": 0, "percent": "0.0"}]
    sheet = load_workbook(io.BytesIO(client.get(EXPORT, {"chart": "targets", "year": 2026}).content)).active
    assert sheet["A1"].value == "目标完成情况"
    assert [c.value for c in sheet[sheet.max_row]][2:5] == ["合计", 8, 0]

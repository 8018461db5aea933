"""The annual statistics report: a workbook that opens in openpyxl, one sheet per table, each with
its title, period and time of production, Chinese headers and a totals row equal to the hand count."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from sanpin.stats.annual_report import SHEETS

from .test_indicators import build_world

pytestmark = pytest.mark.django_db

URL = "/stats/annual-report/"


@pytest.fixture
def world(users, regions, on_day):
    on_day(date(2026, 11, 20))
    return build_world(users, regions)


def workbook(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def table(sheet) -> tuple[list, list[list], list]:
    """(headers, body rows, totals row) of a sheet written by the report."""
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    return rows[0], rows[1:-1], rows[-1]


def test_the_workbook_has_one_sheet_per_table_with_totals_from_the_fixture(client, users, world):
    client.force_login(users["gx_province"])
    book = workbook(client, year=2026)
    assert book.sheetnames == SHEETS  # no targets are entered: no 目标完成情况 sheet
    for name in SHEETS:
        sheet = book[name]
        assert sheet["A1"].value == name
        assert "广西壮族自治区" in sheet["A2"].value and "2026 年" in sheet["A2"].value
        assert "制表时间" in sheet["A3"].value
        assert table(sheet)[2][0] is not None

    headers, rows, total = table(book["分地区有效产品"])
    assert headers[:2] == ["区划代码", "地区"] and headers[-1] == "合计"
    assert total[0] == "450000" and total[1] == "合计" and total[-1] == 4
    assert {r[1]: r[-1] for r in rows} == {"南宁市": 3, "百色市": 1}

    headers, _rows, total = table(book["新申报与续展"])
    assert dict(zip(headers, total, strict=True))["续展率（%）"] == 50.0
    assert total[2:6] == [3, 1, 2, 1]  # new, renewed, ending, renewed in time

    _headers, _rows, total = table(book["年检与抽检"])
    assert total[5:8] == [4, 3, 75.0]

    _headers, _rows, total = table(book["费用减免"])
    assert total[2:] == [2, 1300.0]

    headers, _rows, total = table(book["信用等级"])
    assert headers[2:] == ["A", "B", "C", "D", "合计"] and total[2:] == [1, 1, 0, 1, 3]


def test_the_national_report_breaks_down_by_province(client, users, world):
    client.force_login(users["national"])
    _headers, rows, total = table(workbook(client, year=2026)["总表"])
    assert {r[1]: r[2] for r in rows} == {"上海市": 1, "广西壮族自治区": 4}
    assert total[2] == 5


def test_without_a_year_the_page_offers_the_form(client, users, world):
    client.force_login(users["gx_province"])
    response = client.get(URL)
    assert response.status_code == 200 and "统计年报" in response.content.decode()


def test_another_provinces_report_is_not_found(client, users, world):
    client.force_login(users["sh_province"])
    assert client.get(URL, {"year": 2026, "region": "450000"}).status_code == 404


def test_targets_add_their_sheet(client, users, world, regions):
    from sanpin.stats.models import Target

    for code, value in (("450100", 10), ("451000", 5)):
        Target.objects.create(region=regions[code], year=2026, measure="green_organic", value=value,
                              updated_by=users["gx_province"])
    client.force_login(users["gx_province"])
    book = workbook(client, year=2026)
    assert book.sheetnames == [*SHEETS, "目标完成情况"]
    headers, rows, total = table(book["目标完成情况"])
    assert headers[3:] == ["目标数", "有效产品数", "完成率（%）", "差额"]
    assert {r[2]: r[3] for r in rows if r[3] is not None} == {"南宁市": 10, "百色市": 5}
    # The fixture's products are green inputs: none counts towards green food and organic.
    assert total[2:] == ["合计", 15, 0, 0.0, 15]

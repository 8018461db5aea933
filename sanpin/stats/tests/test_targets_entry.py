"""Entering targets: who sets which region's target, and the Excel import that writes all rows or
none, listing every bad row with its reason."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core.audit import AuditEvent
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.stats import target_io
from sanpin.stats.models import Target
from sanpin.stats.target_services import target_set

pytestmark = pytest.mark.django_db

HEADERS = ["地区代码", "地区名称", "年度", "指标", "计划数", "依据"]


def workbook(*rows) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "发展目标"
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_province_sets_its_cities_and_each_change_is_audited(users, regions):
    target = target_set(actor=users["gx_province"], region=regions["450100"], year=2024, measure="green_organic",
                        value=140, source="桂农厅办发〔2024〕")
    target_set(actor=users["gx_province"], region=regions["450100"], year=2024, measure="green_organic",
               value=150, source="调整")
    target.refresh_from_db()
    assert (target.value, target.source, target.updated_by) == (150, "调整", users["gx_province"])
    events = AuditEvent.objects.filter(verb="stats.target_set").order_by("seq")
    assert [e.new["value"] for e in events] == [140, 150]
    assert events.last().old == {"value": 140, "source": "桂农厅办发〔2024〕"}


def test_who_may_set_which_target(users, regions):
    with pytest.raises(ValidationFailed) as refused:  # a province does not set its own target
        target_set(actor=users["gx_province"], region=regions["450000"], year=2024, measure="green_organic", value=1)
    assert "省级只填报本省各市" in refused.value.fields["region"][0]
    with pytest.raises(ValidationFailed):  # nor a county's
        target_set(actor=users["gx_province"], region=regions["450102"], year=2024, measure="gi", value=1)
    with pytest.raises(ValidationFailed):  # the nation sets provinces, not cities
        target_set(actor=users["national"], region=regions["450100"], year=2024, measure="gi", value=1)
    with pytest.raises(PermissionDenied):
        target_set(actor=users["nn_city"], region=regions["450102"], year=2024, measure="gi", value=1)
    with pytest.raises(PermissionDenied):
        target_set(actor=users["inspector"], region=regions["450100"], year=2024, measure="gi", value=1)
    assert target_set(actor=users["national"], region=regions["310000"], year=2024, measure="gi", value=3).pk
    assert not Target.objects.filter(region_id__in=["450000", "450102", "450100"]).exists()


def test_another_province_s_city_is_not_found(users, regions):
    from sanpin.core.errors import NotFound

    Region.objects.update_or_create(code="310100", defaults={"name": "市辖区", "level": RegionLevel.CITY,
                                                             "parent_id": "310000"})
    with pytest.raises(NotFound):
        target_set(actor=users["gx_province"], region=Region.objects.get(code="310100"), year=2024,
                   measure="green_organic", value=1)


def test_a_good_file_writes_every_row(users, regions):
    data = workbook(["450100", "南宁市", 2024, "绿色食品、有机农产品", 140, "2024年计划表"],
                    [451000, "百色市", 2024.0, "green_organic", 285.0, ""],
                    ["450100", "", 2025, "农产品地理标志", 0, ""])
    dry = target_io.targets_import(actor=users["gx_province"], data=data, dry_run=True)
    assert dry.ok and dry.total == 3 and not Target.objects.exists()
    real = target_io.targets_import(actor=users["gx_province"], data=data, dry_run=False)
    assert real.written == 3
    stored = set(Target.objects.values_list("region_id", "year", "measure", "value"))
    assert stored == {("450100", 2024, "green_organic", 140), ("451000", 2024, "green_organic", 285),
                      ("450100", 2025, "gi", 0)}


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(users, regions):
    data = workbook(["450100", "南宁市", 2024, "绿色食品、有机农产品", 140, ""],  # good
                    ["451000", "百色市", 2024, "绿色蔬菜", 285, ""],  # wrong measure
                    ["459999", "", 2024, "绿色食品", 10, ""],  # unknown region
                    ["310000", "上海市", 2024, "绿色食品", 10, ""],  # outside the importer's scope
                    ["451000", "百色市", 2024, "有机农产品", -5, ""],  # negative
                    ["451000", "南宁市", 2024, "绿色食品", 5, ""],  # name does not match the code
                    ["450100", "南宁市", 2024, "绿色食品、有机农产品", 150, ""],  # duplicate of row 2
                    ["451000", "百色市", 1999, "绿色食品", "很多", ""])  # bad year and value
    result = target_io.targets_import(actor=users["gx_province"], data=data, dry_run=False)
    assert not result.ok and result.written == 0
    assert not Target.objects.exists()
    by_row = {}
    for problem in result.problems:
        by_row.setdefault(problem.row, []).append((problem.column, problem.reason))
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert by_row[3][0][0] == "指标" and "指标应为" in by_row[3][0][1]
    assert by_row[4] == [("地区代码", "地区代码 459999 不存在")]
    assert by_row[5] == [("地区代码", "该地区不在本机构管辖范围内")]
    assert by_row[6] == [("计划数", "计划数不能为负数")]
    assert by_row[7][0][0] == "地区名称"
    assert by_row[8] == [("地区代码", "与第 2 行重复（同一地区、年度和指标）")]
    assert {column for column, _ in by_row[9]} == {"年度", "计划数"}
    assert result.bad_rows == 7


def test_a_file_not_made_from_the_template_is_refused_whole(users, regions):
    book = Workbook()
    book.active.append(["地区", "数量"])
    book.active.append(["450100", 1])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationFailed) as refused:
        target_io.targets_import(actor=users["gx_province"], data=out.getvalue(), dry_run=True)
    assert "缺少列" in refused.value.fields["file"][0]
    with pytest.raises(ValidationFailed):
        target_io.targets_import(actor=users["gx_province"], data=b"not a workbook", dry_run=True)


def test_the_template_lists_the_regions_the_user_sets(users, regions):
    book = load_workbook(io.BytesIO(target_io.template_xlsx(users["gx_province"], year=2025)))
    rows = list(book["发展目标"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [("450100", "南宁市", 2025, "绿色食品、有机农产品"),
                                                           ("451000", "百色市", 2025, "绿色食品、有机农产品")]
    # Filled in and read back, the template imports as it is.
    ws = book["发展目标"]
    ws["E2"], ws["E3"] = 10, 20
    out = io.BytesIO()
    book.save(out)
    assert target_io.targets_import(actor=users["gx_province"], data=out.getvalue(), dry_run=False).written == 2

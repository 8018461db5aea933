"""The Excel import: a dry run previews, a file with any bad row writes nothing and names every
bad row, and an export imports back."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from sanpin.core.errors import ValidationFailed
from sanpin.inputs import io as inputs_io
from sanpin.inputs import services
from sanpin.inputs.models import AllowedInput, ResidueLimit

from .conftest import make_list

pytestmark = pytest.mark.django_db
HEADER = [header for header, _name in inputs_io.COLUMNS]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = inputs_io.SHEET
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["阿维菌素", "阿维菌素", "杀虫剂", "", "水稻", "01", 0.02, "mg/kg", "GB 2763—2021", "", "", "是"],
    ["阿维菌素", "", "", "", "柑橘", 4, 0.02, "mg/kg", "GB 2763—2021", "", "", ""],
    ["苦参碱", "苦参碱", "杀虫剂", "植物源农药", "", "", "", "", "", "", "", ""],
]
BAD = [
    ["", "", "", "", "水稻", "01", 0.1, "mg/kg", "", "", "", ""],  # no name
    ["嘧菌酯", "", "杀菌剂", "", "柑橘", "04", -1, "mg/kg", "", "", "", ""],  # negative
    ["多菌灵", "", "杀菌剂", "", "", "04", 5, "mg/kg", "", "", "", ""],  # no crop
    ["三环唑", "", "杀菌剂", "", "水稻", "01", 2, "", "", "", "", ""],  # no unit
]


@pytest.fixture
def draft(users, regions, on_day):
    on_day(date(2026, 3, 2))
    return make_list(users["gx_province"], publish=False, inputs=[])


def test_a_dry_run_previews_and_writes_nothing(draft, users):
    outcome = services.list_import(actor=users["gx_province"], lst=draft, data=xlsx(GOOD), dry_run=True)
    assert outcome.problems == [] and outcome.new_inputs == 2 and outcome.limit_count == 2
    assert not AllowedInput.objects.exists()


def test_a_good_file_is_imported(draft, users):
    services.list_import(actor=users["gx_province"], lst=draft, data=xlsx(GOOD))
    abamectin = draft.inputs.get(common_name="阿维菌素")
    assert abamectin.category == "insecticide"
    assert sorted((x.crop, x.crop_category, x.is_demo) for x in abamectin.limits.all()) == [
        ("柑橘", "04", False), ("水稻", "01", True)]
    assert draft.inputs.get(common_name="苦参碱").restrictions == "植物源农药"


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_one(draft, users):
    data = xlsx(GOOD + BAD)
    preview = services.list_import(actor=users["gx_province"], lst=draft, data=data, dry_run=True)
    assert [p.split("：")[0] for p in preview.problems] == ["第 5 行", "第 6 行", "第 7 行", "第 8 行"]
    with pytest.raises(ValidationFailed) as exc:
        services.list_import(actor=users["gx_province"], lst=draft, data=data)
    rows = exc.value.fields["rows"]
    assert len(rows) == 4
    assert "通用名：请填写通用名" in rows[0] and "不能为负数" in rows[1]
    assert "作物：请填写作物名称" in rows[2] and "单位：请填写单位" in rows[3]
    assert not AllowedInput.objects.exists() and not ResidueLimit.objects.exists()


def test_overlapping_rows_in_one_file_are_refused(draft, users):
    rows = [GOOD[0], ["阿维菌素", "", "", "", "水稻", "01", 0.05, "mg/kg", "", "2025-01-01", "", ""]]
    outcome = services.list_import(actor=users["gx_province"], lst=draft, data=xlsx(rows), dry_run=True)
    assert len(outcome.problems) == 1 and "日期重叠" in outcome.problems[0]


def test_not_a_template_is_refused_whole(draft, users):
    with pytest.raises(ValidationFailed) as exc:
        services.list_import(actor=users["gx_province"], lst=draft, data=b"not a workbook")
    assert "Excel" in exc.value.fields["file"][0]
    book = Workbook()
    book.active.append(["名称", "数量"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationFailed, match="缺少列"):
        services.list_import(actor=users["gx_province"], lst=draft, data=buffer.getvalue())


def test_an_export_imports_back_into_a_new_list(users, regions, on_day):
    on_day(date(2026, 3, 2))
    source = make_list(users["gx_province"])
    exported = inputs_io.export_xlsx(source)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(exported)).get_sheet_by_name(inputs_io.SHEET).to_python()
    assert sheet[0] == HEADER
    target = make_list(users["gx_province"], title="复制", effective_from=date(2027, 1, 1), publish=False, inputs=[])
    services.list_import(actor=users["gx_province"], lst=target, data=exported)
    assert sorted(target.inputs.values_list("common_name", flat=True)) == ["吡虫啉", "苦参碱"]
    assert target.inputs.get(common_name="吡虫啉").limits.count() == 2

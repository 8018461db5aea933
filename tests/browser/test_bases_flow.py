"""The base directory in a browser: a county officer checks a spreadsheet of bases in a dry run
and sees the one bad row named, imports the fixed file, finds the bases in the directory list;
a listed base is found by the public in the directory."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from sanpin.accounts.demo import ENTITIES, demo_uscc
from sanpin.bases.demo import load_demo_bases
from sanpin.bases.io import COLUMNS
from sanpin.bases.models import Base

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _workbook(tmp_path, name, bad_area=False):
    uscc = next(demo_uscc(i, spec.kind, spec.county) for i, spec in enumerate(ENTITIES) if spec.key == "wuming_citrus")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "基地"
    sheet.append(list(COLUMNS))
    for i in range(1, 31):
        sheet.append([f"双桥镇沃柑示范片{i:02d}", "绿色优质农产品生产基地", "区（县）级", uscc, "450110",
                      "沃柑", "沃柑", "abc" if bad_area and i == 7 else 300 + i, 900, f"武鸣区双桥镇第{i}片",
                      108.27, 23.16, "双桥镇", "水肥一体化", "黄永强"])
    path = tmp_path / name
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_dry_run_names_the_bad_row_then_the_fixed_file_imports(page, site, tmp_path):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, site, "wm_county")
    page.click("nav >> text=基地与标准")
    page.click("nav >> text=基地批量导入")
    expect(page.locator("h1")).to_have_text("导入基地信息")

    # A dry run of a file whose row 8 has text in the area column
    page.set_input_files("input[name=file]", str(_workbook(tmp_path, "bad.xlsx", bad_area=True)))
    page.click("main form button[type=submit]")
    expect(page.locator("#result-title")).to_be_visible()
    problems = page.locator("main table tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("8")
    expect(problems.first).to_contain_text("面积（亩）")
    expect(problems.first).to_contain_text("应为数字")
    page.screenshot(path=str(SHOTS / "bases-import-dry-run.png"), full_page=True)
    assert not Base.objects.filter(name__startswith="双桥镇沃柑示范片").exists()

    # The fixed file, imported for real
    page.goto(f"{site}/bases/import/")
    page.set_input_files("input[name=file]", str(_workbook(tmp_path, "fixed.xlsx")))
    page.uncheck("input[name=dry_run]")
    page.click("main form button[type=submit]")
    expect(page.locator("#result-title")).to_be_visible()
    expect(page.locator("section dl")).to_contain_text("导入行数30")
    page.screenshot(path=str(SHOTS / "bases-import-done.png"), full_page=True)
    assert Base.objects.filter(name__startswith="双桥镇沃柑示范片", county_id="450110").count() == 30

    # They are in the county's list of bases, built to standard
    page.goto(f"{site}/bases/?q=双桥镇沃柑示范片")
    expect(page.locator("main table tbody tr")).to_have_count(30)
    expect(page.locator("main table")).to_contain_text("按标建设")


def test_the_public_finds_a_listed_base_in_the_directory(page, site):  # noqa: F811
    load_demo_bases()
    page.goto(f"{site}/directory/bases/")
    expect(page.locator("main")).to_contain_text("邕绿武鸣沃柑绿色优质农产品生产基地")
    expect(page.locator("main")).not_to_contain_text("邕绿双桥有机蔬菜基地")  # still under review
    page.click("text=邕绿武鸣沃柑绿色优质农产品生产基地")
    expect(page.locator("main")).to_contain_text("标识牌")
    page.screenshot(path=str(SHOTS / "bases-public-detail.png"), full_page=True)

"""The statistics dashboards in a browser: national staff open the dashboard from the menu and see
the China map, the charts and the table; drill down to Guangxi (its city map); export a chart's
table; the public statistics page draws its bar chart without a map. No JavaScript errors."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from sanpin.accounts.models import system_user
from sanpin.catalog.choices import EntityKind, RegionLevel
from sanpin.catalog.models import Region
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.models import Certificate
from sanpin.certificates.tests.factories import issue
from sanpin.credit.models import CreditStanding
from sanpin.sampling.models import SamplingPlan, SamplingTask, TaskStatus
from sanpin.stats.models import Target

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = SHOTS  # docs/screenshots only when SANPIN_SCREENSHOT_DIR says so (README)
# Products per province (by code prefix) and, for Guangxi, per city: enough to colour the maps.
PROVINCES = {"45": 0, "44": 6, "32": 5, "37": 7, "51": 4, "53": 3, "23": 5, "33": 4, "42": 3, "62": 2}
SCHEMES = [("green_food", "03"), ("green_inputs", "01"), ("green_food", "04"), ("featured", "02")]
GUANGXI_CITIES = {"4501": 6, "4502": 3, "4503": 4, "4505": 2, "4509": 3, "4510": 5, "4512": 2}


def _county(prefix: str) -> Region:
    return Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=prefix, is_active=True).order_by("code")[0]


def _seed():
    """Certificates across provinces and Guangxi's cities this year, and some credit grades."""
    today = datetime.date.today()
    grades = "AAABABBCAD"
    plan = SamplingPlan.objects.create(number=f"CJ{today.year}0999", year=today.year, scheme="green_inputs",
                                       title="统计看板演示抽检", created_by=system_user(), status="drawn")
    n = 0
    for prefix, count in [*PROVINCES.items(), *GUANGXI_CITIES.items()]:
        if not count:
            continue
        county = _county(prefix)
        for i in range(count):
            entity = EntityFactory(name=f"{county.name}示范农业公司{i}", region=county, kind=EntityKind.ENTERPRISE)
            month = 1 + (n * 7) % max(today.month, 1)
            approved = datetime.date(today.year, month, min(today.day, 28))
            scheme, category = SCHEMES[n % len(SCHEMES)]
            certificate = issue(entity, approved_on=min(approved, today), product_name=f"示范产品{n}", scheme=scheme,
                                category=category)
            CreditStanding.objects.create(entity=entity, score=Decimal("85"), grade=grades[n % len(grades)],
                                          rulebook_version=1, computed_on=today)
            if n % 2 == 0:  # every other product sampled; one in seven of those failed
                SamplingTask.objects.create(number=f"TS{n:04d}", plan=plan, certificate=certificate, weight=1,
                                            conclusion="fail" if n % 7 == 0 else "pass",
                                            status=TaskStatus.REPORTED)
            n += 1
    for prefix, value in GUANGXI_CITIES.items():  # this year's targets for green food and organic
        Target.objects.create(region_id=f"{prefix}00", year=today.year, measure="green_organic", value=value,
                              source="演示目标", updated_by=system_user())


def test_dashboard_drill_down_export_and_public_page(page, site, shot, tmp_path):  # noqa: F811
    _seed()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    DOCS.mkdir(parents=True, exist_ok=True)

    # National staff open the dashboard from the menu
    sign_in(page, site, "national")
    page.click("nav >> text=统计")
    page.click("nav >> text=统计看板")
    expect(page.locator("h1")).to_contain_text("统计看板 · 全国")
    expect(page.locator("[data-chart=map] canvas")).to_be_visible()
    for chart in ("grades", "trend", "rank_valid", "rank_pass"):
        expect(page.locator(f"[data-chart={chart}] canvas")).to_be_visible()
    expect(page.locator("#indicator-table tfoot")).to_contain_text("合计")
    page.wait_for_timeout(800)  # the charts' entry animation
    page.screenshot(path=str(DOCS / "stats-dashboard.png"), full_page=True)

    # Drill down to Guangxi: its cities, on the Guangxi map
    page.click("#indicator-table >> text=广西壮族自治区")
    expect(page.locator("h1")).to_contain_text("统计看板 · 广西壮族自治区")
    expect(page.locator("[data-chart=map] canvas")).to_be_visible()
    expect(page.locator("#indicator-table tbody")).to_contain_text("南宁市")
    expect(page.locator("[data-chart=targets] canvas")).to_be_visible()
    page.wait_for_timeout(800)
    page.screenshot(path=str(DOCS / "stats-dashboard-province.png"), full_page=True)

    # The trend chart's table, as Excel
    with page.expect_download() as download:
        page.locator("a[href*='chart=trend']").click()
    path = tmp_path / "trend.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet["A1"].value == "逐月新获证与续展" and sheet["A4"].value == "月份"
    assert sheet.cell(row=sheet.max_row, column=1).value == "合计"
    new_in_guangxi = Certificate.objects.filter(holder__region__code__startswith="45", predecessor__isnull=True,
                                                approved_on__year=datetime.date.today().year).count()
    assert sheet.cell(row=sheet.max_row, column=2).value == new_in_guangxi >= sum(GUANGXI_CITIES.values())

    # The public page: headline figures and a bar chart, no map
    page.context.clear_cookies()
    page.goto(f"{site}/statistics/")
    expect(page.locator("h1")).to_contain_text("统计数据")
    expect(page.locator("[data-chart=public_bar] canvas")).to_be_visible()
    assert page.locator("[data-chart=map]").count() == 0
    page.wait_for_timeout(800)
    page.screenshot(path=str(DOCS / "stats-public.png"), full_page=True)
    shot("stats-public")

    assert errors == []

"""Annual inspection in the browser: the Guangxi provincial office generates this year's plan,
assigns the qualified demo inspector, who records a "rectify" conclusion from 我的年检任务; the
certificate goes into rectification and the coverage page shows Nanning at 100%."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.core import clock
from sanpin.supervision.models import Rectification

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_assign_record_and_coverage(page, site, shot):  # noqa: F811
    call_command("load_demo_applications", verbosity=0)
    today = clock.today()
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/inspections/")
    shot("annual-inspection-plans")
    page.select_option("select[name=province]", "450000")
    page.fill("input[name=year]", str(today.year))
    page.fill("input[name=on]", today.isoformat())
    page.click("form[action$='/plans/new/'] button[type=submit]")
    expect(page.locator("#plan-progress")).to_contain_text("已检查 0 家")
    shot("annual-inspection-plan")

    row = page.locator("#items-table tbody tr").first
    entity = row.locator("td").first.inner_text()
    row.locator("a").first.click()
    page.select_option("select[name=inspector]", label=page.locator("select[name=inspector] option",
                                                                      has_text="inspector").first.inner_text())
    page.click("form[action$='/assign/'] button[type=submit]")
    expect(page.locator("#item-inspector")).not_to_contain_text("未指派")

    sign_in(page, site, "inspector")
    page.goto(f"{site}/inspections/mine/")
    expect(page.locator("#mine-table")).to_contain_text(entity)
    shot("annual-inspection-mine")
    page.click(f"#mine-table >> text={entity}")
    page.select_option("select[name=conclusion]", "rectify")
    page.fill("textarea[name=findings]", "部分产品包装未标注绿色食品企业信息码")
    page.click("form[action$='/record/'] button[type=submit]")
    expect(page.locator("#inspection-record")).to_contain_text("限期整改")
    expect(page.locator("#inspection-record")).to_contain_text("ZG")
    assert Rectification.objects.filter(source="annual_inspection").exists()
    shot("annual-inspection-recorded")

    sign_in(page, site, "gx_province")
    page.goto(f"{site}/inspections/coverage/?year={today.year}")
    expect(page.locator("#coverage-table tbody tr").first).to_contain_text("100.0%")
    shot("annual-inspection-coverage")

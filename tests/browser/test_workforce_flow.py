"""Labs and people in the browser: national staff record an unsatisfactory proficiency test of
the demo lab and see it blocked for that test; Guangxi provincial staff open the people register,
record a training course of the demo inspector and see it in the year's figures."""

import pytest
from playwright.sync_api import expect

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_failed_proficiency_test_blocks_the_lab_and_training_is_recorded(page, site, shot):  # noqa: F811
    sign_in(page, site, "national")
    page.goto(f"{site}/workforce/labs/")
    expect(page.locator("h1")).to_have_text("检测机构监管")
    page.click("text=广西桂标农产品检测技术有限公司")
    page.click("summary:has-text('录入能力验证结果')")
    page.select_option("select[name=scheme]", "green_food")
    page.select_option("select[name=test]", "routine")
    page.fill("input[name=programme]", "2026年绿色食品检测机构能力验证（大米常规项目）")
    page.fill("input[name=organiser]", "中国绿色食品发展中心")
    page.select_option("select[name=result]", "unsatisfactory")
    page.click("form[action$='/proficiency-tests/'] button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("取得满意结果前不能委托绿色食品常规检项")
    expect(page.locator("#proficiency-tests")).to_contain_text("不满意")
    shot("workforce-lab-blocked")
    page.goto(f"{site}/workforce/labs/")
    expect(page.locator("table")).to_contain_text("受限")
    shot("workforce-labs")

    sign_in(page, site, "gx_province")
    page.goto(f"{site}/workforce/people/")
    expect(page.locator("#performance")).to_contain_text("inspector")
    shot("workforce-people")
    page.click("#performance a >> nth=0")
    page.click("summary:has-text('录入培训记录')")
    page.fill("input[name=course]", "2026年广西绿色食品检查员培训班")
    page.fill("input[name=organiser]", "广西绿色食品发展站")
    page.fill("input[name=started_on]", "2026-03-10")
    page.fill("input[name=ended_on]", "2026-03-12")
    page.fill("input[name=hours]", "24")
    page.fill("input[name=certificate_number]", "GXPX-2026-018")
    page.click("form[action$='/trainings/'] button[type=submit]")
    expect(page.locator("#trainings")).to_contain_text("GXPX-2026-018")
    shot("workforce-person")

"""Allowed inputs in a browser: Guangxi staff start the next version of the demo pesticide list,
add a limit (a limit without a unit is refused on the page), publish it; the public finds the
pesticide with its limit; an applicant declaring a pesticide not on the list sees the review flag."""

import datetime

import pytest
from playwright.sync_api import expect

from sanpin.accounts.models import User
from sanpin.certification.engine import application_create
from sanpin.core import clock
from sanpin.inputs.demo import load_demo_inputs
from sanpin.inputs.models import AllowedInputList

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_publish_a_new_version_and_applicants_see_the_flags(page, site, shot):  # noqa: F811
    load_demo_inputs()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/inputs/lists/")
    page.click("text=广西绿色食品可用农药清单（2024）")
    start = (clock.today() + datetime.timedelta(days=30)).isoformat()
    page.fill("#new-version input[name=title]", "广西绿色食品可用农药清单（新版）")
    page.fill("#new-version input[name=source_document]", "桂绿发〔2026〕9 号")
    page.fill("#new-version input[name=effective_from]", start)
    page.click("#new-version button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已创建新版本草稿")
    row = page.locator("tr", has_text="苦参碱")
    row.locator("summary").click()
    row.locator("input[name=crop]").fill("茶叶")
    row.locator("select[name=crop_category]").select_option("07")
    row.locator("input[name=max_value]").fill("0.1")
    row.locator("button[type=submit]", has_text="添加").click()
    expect(page.locator("tr", has_text="苦参碱")).to_contain_text("请填写单位")
    row = page.locator("tr", has_text="苦参碱")
    row.locator("select[name=unit]").select_option("mg/kg")
    row.locator("button[type=submit]", has_text="添加").click()
    expect(page.locator("tr", has_text="苦参碱")).to_contain_text("茶叶（07）≤ 0.1 mg/kg")
    page.click("#publish-form button")
    expect(page.locator("#list-status")).to_contain_text("已发布，待生效")
    shot("inputs-list-new-version")
    assert AllowedInputList.objects.get(title="广西绿色食品可用农药清单（2024）").status == "superseded"

    page.context.clear_cookies()
    page.goto(f"{site}/inputs/?q=苦参碱&on={start}")
    expect(page.locator("#results")).to_contain_text("茶叶（07 茶叶及制品）≤ 0.1 mg/kg")
    expect(page.locator("#demo-note")).to_have_count(0)  # the figure entered here is not marked demonstration
    page.goto(f"{site}/inputs/?q=吡虫啉")
    expect(page.locator("#demo-note")).to_be_visible()
    shot("inputs-public-search")

    applicant = User.objects.get(username="gx_applicant")
    application = application_create(actor=applicant, scheme="green_food", kind="initial", entity=applicant.entity,
                                     products=[{"name": "邕绿牌香米", "category": "01", "approved_output": "300"}])
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/certification/applications/{application.pk}/")
    page.select_option("#input-form select[name=input-kind]", "pesticide")
    page.fill("#input-form input[name=input-name]", "毒死蜱")
    page.fill("#input-form input[name=input-crop]", "水稻")
    page.click("#input-form button[type=submit]")
    expect(page.locator("#review-flags")).to_contain_text("“毒死蜱”（用于水稻）不在《广西绿色食品可用农药清单（2024）》中")
    shot("inputs-application-flag")
    assert errors == []

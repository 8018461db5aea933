"""Oversight in the browser: a member of the public reports a product from the home page and
follows it by tracking code; the Guangxi provincial office closes it as upheld with a
rectification; Nanning city staff check a market and find a counterfeit mark."""

import pytest
from playwright.sync_api import expect

from sanpin.accounts.models import User
from sanpin.certificates.tests.factories import issue

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_public_complaint_is_routed_tracked_and_closed(page, site, shot):  # noqa: F811
    certificate = issue(User.objects.get(username="gx_applicant").entity, product_name="绿源牌生物有机肥")
    page.context.clear_cookies()
    page.goto(f"{site}/")
    page.click("text=举报")
    page.fill("input[name=product_name]", "绿源牌生物有机肥")
    page.fill("input[name=number_shown]", certificate.number)
    page.fill("input[name=place]", "上海市某农资门店")
    page.fill("textarea[name=description]", "包装上的标志与编号印刷模糊，疑似假冒")
    shot("oversight-complaint-form")
    page.click("form button[type=submit]")
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert code.startswith("JB")
    expect(page.locator("body")).to_contain_text("广西壮族自治区")  # routed to the holder's province
    page.click("text=查询办理状态")
    expect(page.locator("body")).to_contain_text("已受理")
    shot("oversight-complaint-track")

    sign_in(page, site, "gx_province")
    page.goto(f"{site}/oversight/complaints/")
    page.click(f"text={code}")
    page.check("input[name=result][value=upheld]")
    page.fill("textarea[name=findings]", "现场核实：标签未标注产品编号")
    page.check("input[name=rectify]")
    page.select_option("select[name=cause]", "mark_misuse")
    page.click("form[action$='/close/'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("已办结")
    expect(page.locator("body")).to_contain_text("ZG")
    shot("oversight-complaint-closed")

    page.context.clear_cookies()
    page.goto(f"{site}/oversight/report/track/?code={code}")
    expect(page.locator("body")).to_contain_text("已办结")
    expect(page.locator("body")).not_to_contain_text("现场核实")


def test_a_market_check_finds_a_counterfeit_mark(page, site, shot):  # noqa: F811
    certificate = issue(User.objects.get(username="gx_applicant").entity, product_name="绿源牌生物有机肥")
    sign_in(page, site, "nn_city")
    page.goto(f"{site}/oversight/market/")
    page.fill("input[name=place]", "南宁市五里亭农资市场")
    page.select_option("select[name=place_kind]", "market")
    page.select_option("select[name=region]", "450102")
    page.fill("input[name=inspectors]", "张三、李四")
    page.click("#check-form button[type=submit]")
    for product, number in (("绿源牌生物有机肥", certificate.number), ("某牌复合肥", "LSSZ-45-2599990001")):
        page.fill("input[name=product_name]", product)
        page.fill("input[name=seller]", "A12 摊位")
        page.select_option("select[name=mark_scheme]", "green_inputs")
        page.fill("input[name=number_shown]", number)
        page.click("#item-form button[type=submit]")
    expect(page.locator("table")).to_contain_text("规范用标")
    expect(page.locator("table")).to_contain_text("假冒标志")
    shot("oversight-market-check")
    page.goto(f"{site}/oversight/market/figures/")
    expect(page.locator("table")).to_contain_text("兴宁区")
    shot("oversight-market-figures")

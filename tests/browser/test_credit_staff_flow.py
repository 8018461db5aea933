"""Credit in a browser: a provincial reviewer finds a demo organisation's credit file from the
navigation, reads why its grade is what it is and records an award, which moves the score; the
public reads the A list and the revocations without signing in."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.credit.demo import load_demo_credit
from sanpin.credit.models import CreditEvent, CreditStanding

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provincial_reviewer_reads_a_credit_file_and_records_an_award(page, site):  # noqa: F811
    load_demo_credit()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, site, "gx_province")
    page.click("nav >> text=证后监管")
    page.click("nav >> text=信用档案")
    expect(page.locator("h1")).to_have_text("信用档案")
    page.fill("input[name=q]", "茉香")
    page.click("main form button[type=submit]")
    page.click("text=横州市茉香茶业有限公司")
    summary = page.locator("[data-testid=credit-summary]")
    expect(summary).to_contain_text("C")
    expect(page.locator("[data-testid=credit-moved]")).to_contain_text("抽检不合格")
    expect(page.locator("[data-testid=credit-moved]")).to_contain_text("逾期未整改")

    page.select_option("select[name=kind]", "award")
    page.fill("input[name=summary]", "获评自治区级茶叶质量安全示范企业")
    page.fill("textarea[name=evidence]", "桂农业发〔2026〕88号")
    page.click("form[action$='/events/new/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已录入信用事件：表彰奖励")
    expect(page.locator("[data-testid=credit-moved]")).to_contain_text("获评自治区级茶叶质量安全示范企业")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "credit-file.png"), full_page=True)
    event = CreditEvent.objects.get(summary="获评自治区级茶叶质量安全示范企业")
    standing = CreditStanding.objects.get(entity=event.entity)
    assert float(standing.score) > 63.2 and standing.grade == "C"  # +5, still below 75
    assert errors == []


def test_the_public_reads_credit_information_without_signing_in(page, site):  # noqa: F811
    call_command("load_demo_applications", verbosity=0)  # the demo certificates of 广西邕绿
    load_demo_credit()
    page.goto(f"{site}/")
    page.click("main >> text=信用信息公示")
    expect(page.locator("h1")).to_have_text("信用信息公示")
    expect(page.locator("[data-testid=a-list]")).to_contain_text("广西邕绿农业科技有限公司")
    expect(page.locator("[data-testid=a-list]")).not_to_contain_text("横州市茉香茶业有限公司")
    page.screenshot(path=str(SHOTS / "credit-public.png"), full_page=True)
    page.click("main a.nav-link >> text=取消标志使用权")
    expect(page.locator("[data-testid=revocations]")).to_be_visible()

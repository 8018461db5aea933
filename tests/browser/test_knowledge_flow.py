"""Standards and procedures in a browser: provincial staff deliver the demo procedure to two
organisations from its page, the coverage table counts them, and the public finds the procedure
in the library without signing in."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.knowledge.demo import load_demo_knowledge
from sanpin.knowledge.models import Distribution

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_deliver_a_procedure_and_the_public_finds_it(page, site, shot):  # noqa: F811
    call_command("load_demo_bases", verbosity=0)
    load_demo_knowledge()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/knowledge/manage/")
    page.click("text=广西沃柑绿色食品生产操作规程（演示）")
    page.click("text=登记发放")
    page.fill("textarea[name=recipients]", "不存在的合作社")
    page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("第 1 行")
    before = Distribution.objects.count()
    page.fill("textarea[name=recipients]", "宾阳优质稻绿色食品原料基地\n那桐香蕉绿色优质农产品生产基地")
    page.select_option("select[name=means]", "onsite")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已登记发放 2 个接收方")
    assert Distribution.objects.count() == before + 2
    page.click("main >> text=进企入户覆盖")
    expect(page.locator("#coverage-table")).to_contain_text("南宁市")
    shot("knowledge-coverage")

    page.context.clear_cookies()
    page.goto(f"{site}/knowledge/?tab=procedures")
    page.fill("input[name=product]", "沃柑")
    page.click("main form button[type=submit]")
    page.click("text=广西沃柑绿色食品生产操作规程（演示）")
    expect(page.locator("h1")).to_have_text("广西沃柑绿色食品生产操作规程（演示）")
    shot("knowledge-procedure-public")
    assert errors == []

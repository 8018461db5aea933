"""Promotion in a browser: the public reads events and an award list whose certificates link to
the verify page; Shanghai staff register a supermarket counter and see it counted per district
and on the "十百千万" targets page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_events_awards_and_staff_registry(page, site, shot):  # noqa: F811
    call_command("load_demo_applications", verbosity=0)
    call_command("load_demo_promotion", verbosity=0)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{site}/promotion/events/")
    expect(page.locator("#upcoming")).to_contain_text("绿色食品宣传月")
    expect(page.locator("#past")).to_contain_text("中国绿色食品博览会")
    shot("promotion-events")
    page.click("main a.nav-link >> text=品鉴评优获奖名单")
    page.click("main table a")
    expect(page.locator("#entries")).to_contain_text("金奖")
    page.click("#entries a.font-monospace >> nth=0")
    expect(page).to_have_url(re.compile(r"/v/LB-01-[0-9A-Z]+/$"))
    expect(page.locator("main")).to_contain_text("绿源牌香米")

    sign_in(page, site, "sh_province")
    page.goto(f"{site}/promotion/outlets/new/")
    page.select_option("select[name=kind]", "store_counter")
    page.fill("input[name=host_name]", "黄浦绿色优品超市（测试）")
    page.select_option("select[name=district]", "310101")
    page.fill("input[name=address]", "南京东路 1 号")
    page.fill("input[name=opened_on]", "2025-10-01")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("黄浦绿色优品超市")
    page.goto(f"{site}/promotion/outlets/?on=2025-12-31")
    expect(page.locator("#district-counts tr[data-district='310101']")).to_contain_text("1")
    shot("promotion-outlets")
    page.goto(f"{site}/stats/targets/?year=2025&measure=store_counter&region=310000")
    expect(page.locator("#targets-table")).to_contain_text("开设中的商超专柜数")
    expect(page.locator("#targets-total")).to_contain_text("9")
    expect(page.locator("#targets-total")).to_contain_text("上级下达本区划目标 45 个")
    shot("promotion-targets")
    assert errors == []

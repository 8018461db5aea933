"""The agricultural GI registry in the browser: national staff import the historical register from
Excel (a file with a bad row is only listed, nothing written; then the corrected file is
imported); the holder association authorises a producer of its county to use the mark (a period
ending before it starts is refused first); provincial staff record a quality indicator; a member
of the public checks the registration number on a phone."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import PASSWORD, UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.catalog.tests.factories import EntityFactory, valid_uscc
from sanpin.core import clock
from sanpin.gi.models import GIAuthorization, GIQualityRecord, GIRegistration
from sanpin.gi.tests.factories import sheet_row, xlsx

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture


def open_menu_item(page, menu, item):
    page.click(f"nav >> text={menu}")
    page.click(f"nav .dropdown-menu >> text={item}")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHATIAN = dict(product_name="容县沙田柚", counties="450921", registered_on=datetime.date(2013, 12, 20),
               quality="果实梨形，果顶有“金钱底”，果肉脆嫩清甜", specification="人工授粉，霜降后采收")
JASMINE = dict(product_name="横县茉莉花", counties="450181", registered_on="2014-09-15",
               quality="花蕾洁白饱满，香气浓郁持久", specification="")


def upload(page, name, rows, action):
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": XLSX, "buffer": xlsx(rows)}])
    page.click(f"button[name=action][value={action}]")


def test_import_authorise_record_quality_and_verify_on_a_phone(page, site, shot, browser):  # noqa: F811
    # Given the demo organisations, an account of the 容县 association and a producer in 容县
    association = Entity.objects.get(name="容县沙田柚产业协会")
    jasmine_holder = Entity.objects.get(name="横州市校椅镇茉莉花种植专业合作社")
    UserFactory(username="rongxian_holder", display_name="封玉霞", entity=association, roles=[Role.APPLICANT])
    rongxian = Region.objects.get(code="450921")
    producer = EntityFactory(name="容县自良镇沙田柚种植专业合作社", kind=EntityKind.COOPERATIVE, region=rongxian,
                             uscc=valid_uscc("450921"), address="广西壮族自治区玉林市容县自良镇")

    # When national staff check a sheet whose second row has a malformed number and an unknown county
    sign_in(page, site, "national")
    open_menu_item(page, "证书与登记", "地理标志")
    page.click("text=导入历史登记")
    expect(page.locator("h1")).to_have_text("导入历史农产品地理标志登记")
    bad = [sheet_row("AGI01201", association.uscc, **SHATIAN),
           sheet_row("AG1202", jasmine_holder.uscc, **{**JASMINE, "counties": "450181,459999"})]
    upload(page, "gi-register.xlsx", bad, "check")

    # Then the bad row is named with its row number and reasons, and nothing is written
    result = page.locator("#result-title")
    expect(result).to_contain_text("有 1 行错误，未导入任何数据")
    bad_row = page.locator("tr.table-danger")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("3")
    expect(bad_row).to_contain_text("格式不正确")
    expect(bad_row).to_contain_text("县级区划代码 459999 不存在")
    expect(page.locator("tr.table-success")).to_contain_text("容县沙田柚产业协会")
    assert not GIRegistration.objects.exists()
    shot("gi-import-bad-row")

    # When the corrected sheet is checked, then imported
    good = [sheet_row("AGI01201", association.uscc, **SHATIAN), sheet_row("AGI01202", jasmine_holder.uscc, **JASMINE)]
    upload(page, "gi-register.xlsx", good, "check")
    expect(result).to_contain_text("校验通过（尚未写入）")
    assert not GIRegistration.objects.exists()
    upload(page, "gi-register.xlsx", good, "import")
    expect(page.locator(".alert-success")).to_contain_text("导入完成：新增 2 个地理标志登记")
    expect(page.locator("tr.table-success")).to_have_text([re.compile("已导入")] * 2)
    assert GIRegistration.objects.count() == 2
    shot("gi-import-done")

    # Then both are in the list and the registration opens with its area and history
    open_menu_item(page, "证书与登记", "地理标志")
    expect(page.locator("table")).to_contain_text("横县茉莉花")
    shot("gi-list")
    page.click("text=AGI01201")
    expect(page.locator("h1")).to_contain_text("容县沙田柚")
    expect(page.locator("body")).to_contain_text("450921")
    expect(page.locator("body")).to_contain_text("历史登记导入")

    # When the association's account opens its registration: it sees only its own
    sign_in(page, site, "rongxian_holder", PASSWORD)
    open_menu_item(page, "证书与登记", "地理标志")
    expect(page.locator("table")).not_to_contain_text("横县茉莉花")
    page.click("text=AGI01201")
    expect(page.locator("text=录入品质数据")).to_have_count(0)  # the holder reads quality data only

    # And authorises the producer with a period that ends before it starts
    today = clock.today()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 12, 31)
    page.click("text=授权生产者使用地理标志")
    page.fill("input[name=user_entity]", producer.uscc)
    page.fill("input[name=product]", "容县沙田柚（鲜果）")
    page.fill("input[name=quantity]", "450")
    page.fill("input[name=valid_from]", end.isoformat())
    page.fill("input[name=valid_until]", start.isoformat())
    page.click("form[action$='/authorize/'] button[type=submit]")

    # Then the form says why and keeps what was entered; nothing is written
    expect(page.locator("form[action$='/authorize/']")).to_contain_text("有效期至不能早于有效期起")
    expect(page.locator("input[name=product]")).to_have_value("容县沙田柚（鲜果）")
    assert not GIAuthorization.objects.exists()
    shot("gi-authorize-error")

    # When the period is corrected, the producer is authorised and listed as valid
    page.fill("input[name=valid_from]", start.isoformat())
    page.fill("input[name=valid_until]", end.isoformat())
    page.click("form[action$='/authorize/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(f"已授权 {producer.name} 使用地理标志")
    row = page.locator("section[aria-labelledby=auth-title] tbody tr").first
    expect(row).to_contain_text(producer.name)
    expect(row).to_contain_text("450 吨")
    expect(row).to_contain_text(f"{start.isoformat()} 至 {end.isoformat()}")
    expect(row).to_contain_text("有效")
    shot("gi-authorized")

    # When Guangxi provincial staff record last year's soluble solids
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/gi/AGI01201/")
    page.click("text=录入品质数据")
    form = page.locator("form[action$='/quality/']")  # the authorisation form also has a unit field
    form.locator("input[name=year]").fill(str(today.year - 1))
    form.locator("input[name=indicator]").fill("可溶性固形物")
    form.locator("input[name=value]").fill("13.6")
    form.locator("input[name=unit]").fill("%")
    form.locator("input[name=method]").fill("NY/T 2637-2014")
    form.locator("input[name=lab]").fill("广西桂标农产品检测技术有限公司")
    form.locator("input[name=sampled_on]").fill(datetime.date(today.year - 1, 11, 12).isoformat())
    page.click("form[action$='/quality/'] button[type=submit]")

    # Then it is in the table under its year
    expect(page.locator(".alert-success")).to_contain_text("品质数据已保存")
    quality = page.locator("section[aria-labelledby=quality-title] table")
    expect(quality.locator("thead")).to_contain_text(str(today.year - 1))
    expect(quality.locator("tbody tr").first).to_contain_text("可溶性固形物")
    expect(quality.locator("tbody tr").first).to_contain_text("13.6")
    assert GIQualityRecord.objects.get().recorded_by.username == "gx_province"
    shot("gi-detail-staff")

    # And a member of the public checks the number on a phone, first mistyped
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    public = phone.new_page()
    public.goto(f"{site}/gi/verify/")
    public.fill("#gi-number", "AGI01209")
    public.click("form[role=search] button[type=submit]")
    expect(public.locator("[role=status]")).to_contain_text("未查到编号为 AGI01209")
    public.fill("#gi-number", "agi01201")
    public.click("form[role=search] button[type=submit]")
    card = public.locator(".card")
    expect(card.locator("[role=status]")).to_contain_text("已登记（长期有效）")
    expect(card).to_contain_text("容县沙田柚")
    expect(card).to_contain_text("容县沙田柚产业协会")
    expect(card).not_to_contain_text(association.uscc)  # the register's public facts only
    SHOTS.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(SHOTS / "gi-verify-phone.png"), full_page=True)
    phone.close()


def test_the_demo_registration_as_its_holder_sees_it(page, site, shot):  # noqa: F811
    """`make run`: the association's demo account opens its registration with the producer's
    authorisations (the earlier one expired) and two harvests of quality data."""
    call_command("load_demo_gi", verbosity=0)
    today = clock.today()
    sign_in(page, site, "rongxian_gi")
    open_menu_item(page, "证书与登记", "地理标志")
    expect(page.locator("table")).not_to_contain_text("横县茉莉花")
    page.click("text=AGI90001")
    expect(page.locator("h1")).to_contain_text("容县沙田柚")
    expect(page.locator("body")).to_contain_text("演示数据")
    rows = page.locator("section[aria-labelledby=auth-title] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("有效")
    expect(rows.nth(1)).to_contain_text("已过期")
    years = page.locator("section[aria-labelledby=quality-title] thead th")
    expect(years).to_have_text(["指标", "单位", str(today.year - 1), str(today.year - 2)])
    shot("gi-demo-detail-holder")

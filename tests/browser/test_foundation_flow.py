"""An applicant registers its organisation; Guangxi staff find it; Shanghai staff cannot; the
national administrator sees the registration in the audit log with the chain intact."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from stdnum.cn import uscc

from sanpin.catalog.models import Entity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "91450103MA5N0LX01"
USCC = BODY + uscc.calc_check_digit(BODY)


@pytest.fixture
def site(live_server):
    call_command("load_regions", verbosity=0)
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)
    return live_server.url


def sign_in(page, site, username, password="sanpin-demo"):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/accounts/home/")


def wait_for_level(page, level):
    """The picker loads the next level's options over htmx after each choice; wait until htmx
    has also wired up the new select (its internal data carries an init hash)."""
    page.wait_for_function(
        f"(s => s.length > {level} && s[{level}].options.length > 1"
        f" && !!(s[{level}]['htmx-internal-data'] || {{}}).initHash)"
        "(document.querySelectorAll('select[name=region_pick]'))"
    )


def test_register_find_isolate_audit(page, site, shot):
    # Given the public home page
    page.goto(site + "/")
    expect(page.locator("h1")).to_contain_text("三品一标")
    shot("home")

    # When a cooperative signs up with its organisation, choosing its county level by level
    page.click("a[href='/catalog/signup/']")
    page.fill("input[name=username]", "qingxiu_coop")
    page.fill("input[name=password1]", "Lvye-Guoshu#2026")
    page.fill("input[name=password2]", "Lvye-Guoshu#2026")
    page.fill("input[name=display_name]", "黄志明")
    page.fill("input[name=phone]", "13907711234")
    page.fill("input[name=name]", "南宁市青秀区绿野果蔬专业合作社")
    page.fill("input[name=uscc]", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))  # a typo first
    page.select_option("select[name=kind]", "cooperative")
    page.select_option("select[name=region_pick] >> nth=0", "450000")
    wait_for_level(page, 1)
    page.select_option("select[name=region_pick] >> nth=1", "450100")
    wait_for_level(page, 2)
    page.select_option("select[name=region_pick] >> nth=2", "450103")
    expect(page.locator("#id_region")).to_have_value("450103")
    page.fill("input[name=address]", "南宁市青秀区伶俐镇长塘村")
    page.fill("input[name=legal_representative]", "黄志明")
    page.fill("input[name=contact_name]", "黄志明")
    page.fill("input[name=contact_phone]", "13907711234")
    page.click("form button[type=submit]")

    # Then the typo is refused in Chinese and nothing is written
    expect(page.locator("body")).to_contain_text("校验位不正确")
    assert not Entity.objects.filter(name="南宁市青秀区绿野果蔬专业合作社").exists()
    shot("signup-error")

    # When the code is corrected (passwords are not echoed back)
    page.fill("input[name=uscc]", USCC)
    page.fill("input[name=password1]", "Lvye-Guoshu#2026")
    page.fill("input[name=password2]", "Lvye-Guoshu#2026")
    if page.locator("#id_region").input_value() != "450103":
        page.select_option("select[name=region_pick] >> nth=0", "450000")
        wait_for_level(page, 1)
        page.select_option("select[name=region_pick] >> nth=1", "450100")
        wait_for_level(page, 2)
        page.select_option("select[name=region_pick] >> nth=2", "450103")
    page.click("form button[type=submit]")

    # Then the cooperative is registered and its applicant sees its own page
    expect(page.locator("body")).to_contain_text("南宁市青秀区绿野果蔬专业合作社")
    assert Entity.objects.get(uscc=USCC).region_id == "450103"
    shot("my-entity")
    page.context.clear_cookies()

    # And Guangxi provincial staff find it in their list
    sign_in(page, site, "gx_province")
    shot("workbench-province")
    page.goto(f"{site}/catalog/entities/?name=绿野")
    expect(page.locator("table")).to_contain_text("南宁市青秀区绿野果蔬专业合作社")
    shot("entity-list")
    page.click("text=南宁市青秀区绿野果蔬专业合作社")
    expect(page.locator("body")).to_contain_text(USCC)
    entity_url = page.url
    page.context.clear_cookies()

    # But Shanghai staff get "not found" for the same page
    sign_in(page, site, "sh_province")
    response = page.goto(entity_url)
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(USCC)
    page.context.clear_cookies()

    # And the national administrator sees the sign-up in the audit log, with the chain intact
    sign_in(page, site, "national")
    page.goto(f"{site}/core/audit/")
    expect(page.locator("table")).to_contain_text("南宁市青秀区绿野果蔬专业合作社")
    shot("audit-log")
    page.click("text=校验审计链")
    expect(page.locator(".alert-success")).to_contain_text("审计链完整")

    # And the working-day calendar shows the 2025 National Day holiday and its make-up Saturday
    page.goto(f"{site}/core/calendar/?year=2025")
    expect(page.locator("body")).to_contain_text("2025")
    shot("calendar-2025")

"""A green production-input application in the browser: the applicant fills in the wizard (with
a mistake first), uploads the materials and submits; the provincial reviewer finds it in 我的待办
and passes the preliminary review; Shanghai staff cannot open it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.certification.demo import load_demo_fee_schedules
from sanpin.certification.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% material\n"


@pytest.fixture
def site(live_server):
    call_command("load_regions", verbosity=0)
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)
    load_demo_fee_schedules()
    return live_server.url


def sign_in(page, site, username, password="sanpin-demo"):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/accounts/home/")


def test_apply_submit_and_pass_preliminary_review(page, site, shot):
    # Given the applicant on the wizard, reached from the navigation
    sign_in(page, site, "gx_applicant")
    page.click("nav >> text=申请")
    page.click("text=新建申请")
    expect(page.locator("h1")).to_have_text("新建申请")

    # When two products are entered, the first without its output, and the conditions confirmed
    page.fill("input[name=products-0-name]", "绿源牌生物有机肥")
    page.select_option("select[name=products-0-category]", "01")
    page.fill("input[name=products-0-trademark]", "绿源")
    page.click("#add-product")
    expect(page.locator("input[name=products-1-name]")).to_be_visible()
    page.fill("input[name=products-1-name]", "绿源牌微生物菌剂")
    page.select_option("select[name=products-1-category]", "01")
    page.fill("input[name=products-1-approved_output]", "800")
    for box in page.locator("input[type=checkbox][name$=_conditions]").all():
        box.check()
    page.click("form#create-form button[type=submit]")

    # Then the missing output is named on its row, the input is kept, nothing is saved
    expect(page.locator("body")).to_contain_text("申请产量应为大于 0 的数字")
    expect(page.locator("input[name=products-1-name]")).to_have_value("绿源牌微生物菌剂")
    expect(page.locator("input[name=applicant_conditions][value=stable_base]")).to_be_checked()
    assert not Application.objects.exists()
    shot("green-inputs-wizard-error")

    # When the output is filled in and the draft saved
    page.fill("input[name=products-0-approved_output]", "5000")
    page.click("form#create-form button[type=submit]")

    # Then the draft lists what still stops it: the materials
    expect(page.locator("#warnings")).to_contain_text("缺少材料")
    expect(page.locator("#warnings")).not_to_contain_text("条件尚未全部确认")
    assert Application.objects.get().products.count() == 2

    # When the three required materials are uploaded
    for kind in ("application_form", "business_licence", "admin_licence"):
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf",
                                                         "buffer": PDF}])
        page.click("#upload-form button[type=submit]")
        expect(page.locator("#materials")).to_contain_text(f"{kind}.pdf")
    expect(page.locator("#ready")).to_be_visible()
    shot("green-inputs-draft-ready")

    # And the application is submitted
    page.click("#draft-box button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    expect(page.locator("#current-step")).to_contain_text("省级初审")
    number = page.locator("h1").inner_text().split()[0]
    assert number.startswith("SZ")

    # Then the Guangxi provincial reviewer has it in 我的待办
    sign_in(page, site, "gx_province")
    page.click("nav >> text=我的待办")
    expect(page.locator("#task-table")).to_contain_text(number)
    shot("green-inputs-tasks")
    page.click(f"text={number}")

    # When passing without an opinion, the form asks for one
    page.click("button[data-bs-target='#act-pass']")
    page.click("form[data-action=pass] button[type=submit]")
    expect(page.locator("form[data-action=pass]")).to_contain_text("请填写办理意见")

    # And with an opinion the application moves on to the site inspection
    page.fill("form[data-action=pass] textarea", "材料齐全，初审合格")
    page.click("form[data-action=pass] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("初审通过，组织现场检查")
    expect(page.locator("#state-label")).to_have_text("现场检查")
    expect(page.locator("#history")).to_contain_text("材料齐全，初审合格")
    shot("green-inputs-after-preliminary-review")

    # Shanghai staff cannot open it
    application_url = page.url
    sign_in(page, site, "sh_province")
    response = page.goto(application_url)
    assert response.status == 404


def test_holder_downloads_and_the_public_scans_the_licence(page, site, shot, browser):
    """The demo licence (issued through the whole review): its holder sees it with the PDF and the
    renewal actions; anyone scanning its QR code on a phone sees it valid, and an altered code is
    called out as forged."""
    from urllib.parse import urlsplit

    from sanpin.certificates.signing import signed_url

    from .conftest import SHOTS

    call_command("load_demo_applications", verbosity=0)
    number = Application.objects.get(scheme="green_inputs", state="issued").products.get().certificate.number

    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/certificates/{number}/")
    expect(page.locator("body")).to_contain_text(number)
    expect(page.locator("text=下载《使用证》PDF")).to_be_visible()
    expect(page.locator("text=申请续展")).to_be_visible()
    shot("licence-holder")

    scan = urlsplit(signed_url(number))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    public = phone.new_page()
    public.goto(f"{site}{scan.path}?{scan.query}")
    expect(public.locator("body")).to_contain_text("有效")
    expect(public.locator("body")).to_contain_text("二维码签名已验证")
    SHOTS.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(SHOTS / "verify-phone.png"), full_page=True)

    forged = number[:-1] + ("1" if number[-1] != "1" else "2")
    public.goto(f"{site}/v/{forged}/?{scan.query}")
    expect(public.locator("body")).to_contain_text("疑似伪造")
    phone.close()

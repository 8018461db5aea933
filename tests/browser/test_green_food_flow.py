"""A green food application in the browser: the applicant picks 绿色食品 on the new-application page,
declares parallel production with an unregistered trademark and sees both flagged, uploads the
materials of Art. 11 and submits; the Guangxi provincial office accepts it; the demo green food
certificate shows its LB number, its holder's GF code and verifies on a phone."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.certificates.signing import signed_url
from sanpin.certification.models import Application

from .conftest import SHOTS
from .test_green_inputs_flow import PDF, sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATERIALS = ("application_form", "business_licence", "quality_system", "production_rules", "base_proof")


def test_apply_for_green_food_flags_and_acceptance(page, site, shot):  # noqa: F811
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/certification/applications/new/")
    page.click("#scheme-choice a[href=\"?scheme=green_food\"]")
    expect(page.locator("#scheme-choice .btn-success")).to_have_text("绿色食品")

    page.fill("input[name=products-0-name]", "绿源牌香米")
    page.select_option("select[name=products-0-category]", "01")
    page.fill("input[name=products-0-trademark]", "桂香")
    page.fill("input[name=products-0-approved_output]", "800")
    for box in page.locator("input[type=checkbox][name$=_conditions]").all():
        box.check()
    page.check("input[name=data_parallel_production]")
    page.fill("input[name=data_production_period]", "4月—10月")
    page.click("form#create-form button[type=submit]")

    # The draft names what the review will look at, and what is still missing
    expect(page.locator("#review-flags")).to_contain_text("桂香")
    expect(page.locator("#review-flags")).to_contain_text("平行生产")
    expect(page.locator("#warnings")).to_contain_text("缺少材料")
    for kind in MATERIALS:
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf",
                                                         "buffer": PDF}])
        page.click("#upload-form button[type=submit]")
        expect(page.locator("#materials")).to_contain_text(f"{kind}.pdf")
    shot("green-food-draft-flags")
    page.click("#draft-box button[type=submit]")
    expect(page.locator("#current-step")).to_contain_text("材料审查与受理")
    number = page.locator("h1").inner_text().split()[0]
    assert number.startswith("LS")
    assert Application.objects.get(number=number).data["parallel_production"] is True
    expect(page.locator("#scheme-items")).to_contain_text("4月—10月")

    sign_in(page, site, "gx_province")
    page.click("nav >> text=我的待办")
    page.click(f"text={number}")
    page.click("button[data-bs-target='#act-accept']")
    page.fill("form[data-action=accept] textarea", "材料齐全，予以受理")
    page.click("form[data-action=accept] button[type=submit]")
    expect(page.locator("#state-label")).to_have_text("现场检查")
    shot("green-food-accepted")


def test_the_demo_green_food_certificate_and_its_public_check(page, site, shot, browser):  # noqa: F811
    call_command("load_demo_applications", verbosity=0)
    certificate = Application.objects.get(scheme="green_food", state="issued").products.get().certificate
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/certificates/{certificate.number}/")
    expect(page.locator("body")).to_contain_text(certificate.number)
    expect(page.locator("text=申请续展")).to_be_visible()
    expect(page.locator("text=申请变更")).to_have_count(0)  # not offered for green food
    expect(page.locator("body")).to_contain_text(certificate.holder.green_food_code)
    shot("green-food-certificate")

    scan = urlsplit(signed_url(certificate.number))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    public = phone.new_page()
    public.goto(f"{site}{scan.path}?{scan.query}")
    expect(public.locator("h1")).to_contain_text("绿色食品标志使用证书")
    expect(public.locator("body")).to_contain_text("有效")
    SHOTS.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(SHOTS / "green-food-verify-phone.png"), full_page=True)
    phone.close()

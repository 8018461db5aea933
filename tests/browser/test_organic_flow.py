"""An organic application in the browser: the applicant picks 有机农产品 on the wizard, declares an
annual crop sown in three weeks (flagged), uploads the five materials and submits; the provincial
office accepts it from 我的待办, the inspector reports and sends the samples to the designated lab,
中绿华夏 issues the certificate, and the certificate page shows it with its 有机码 section."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.accounts.choices import QualificationKind
from sanpin.accounts.models import InspectorQualification, LabDesignation, User
from sanpin.catalog.models import Region
from sanpin.certification import engine
from sanpin.certification.demo import load_demo_fee_schedules
from sanpin.certification.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% material\n"
MATERIALS = ("application_form", "business_licence", "quality_system", "production_rules", "base_proof")


@pytest.fixture
def site(live_server):
    call_command("load_regions", verbosity=0)
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)
    load_demo_fee_schedules()  # organic fees, waivers and the certifier of ORGANIC_CERTIFIER_CODE
    today = date.today()
    InspectorQualification.objects.get_or_create(
        user=User.objects.get(username="inspector"), kind=QualificationKind.ORGANIC_INSPECTOR,
        defaults={"number": "YJJC-450000-0001", "province": Region.objects.get(code="450000"),
                  "valid_from": today - timedelta(days=365), "valid_until": today + timedelta(days=3 * 365)})
    LabDesignation.objects.get_or_create(
        lab=User.objects.get(username="lab").entity, scheme="organic",
        defaults={"tests": ["pesticide_residues", "banned_substances"], "valid_from": today - timedelta(days=365),
                  "valid_until": today + timedelta(days=3 * 365)})
    return live_server.url


def sign_in(page, site, username, password="sanpin-demo"):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/accounts/home/")


def act(application, username, action, **fields):
    engine.application_act(actor=User.objects.get(username=username), application=application, action=action,
                           data=engine.ActionInput(**fields))


def test_apply_for_organic_certification_and_see_the_certificate(page, site, shot):
    # Given the applicant on the wizard, switched to 有机农产品
    sign_in(page, site, "gx_applicant")
    page.click("nav >> text=申请")
    page.click("text=新建申请")
    page.click("#scheme-choice >> text=有机农产品")
    expect(page.locator("#scheme-choice [aria-current=true]")).to_have_text("有机农产品")

    # When an annual crop sown in three weeks is entered and every condition confirmed
    page.fill("input[name=products-0-name]", "绿源牌有机稻谷")
    page.select_option("select[name=products-0-category]", "01")
    page.fill("input[name=products-0-trademark]", "绿源")
    page.fill("input[name=products-0-approved_output]", "60")
    for box in page.locator("input[type=checkbox][name$=_conditions]").all():
        box.check()
    page.fill("input[name=data_production_season]", "4月—9月")
    page.check("input[name=data_annual_crop]")
    page.fill("input[name=data_planned_sowing_date]", (date.today() + timedelta(days=21)).isoformat())
    page.click("form#create-form button[type=submit]")

    # Then the draft flags the late filing and lists the five materials still missing
    expect(page.locator("#review-flags")).to_contain_text("播种前一个月")
    expect(page.locator("#warnings")).to_contain_text("缺少材料")
    for kind in MATERIALS:
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf",
                                                         "buffer": PDF}])
        page.click("#upload-form button[type=submit]")
        expect(page.locator("#materials")).to_contain_text(f"{kind}.pdf")
    expect(page.locator("#ready")).to_be_visible()
    shot("organic-draft-ready")

    # And it is submitted to the provincial office
    page.click("#draft-box button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    expect(page.locator("#current-step")).to_contain_text("申请受理")
    number = page.locator("h1").inner_text().split()[0]
    assert number.startswith("YJ")
    expect(page.locator("#fees")).to_contain_text("注册费")

    # The Guangxi provincial office finds it in 我的待办 and accepts it
    sign_in(page, site, "gx_province")
    page.click("nav >> text=我的待办")
    expect(page.locator("#task-table")).to_contain_text(number)
    page.click(f"text={number}")
    page.click("button[data-bs-target='#act-accept']")
    page.fill("form[data-action=accept] textarea", "材料齐全，予以受理")
    page.click("form[data-action=accept] button[type=submit]")
    expect(page.locator("#state-label")).to_have_text("签订认证合同")

    # Contract, document review and the inspector's assignment (as staff would, through the engine)
    application = Application.objects.get(number=number)
    act(application, "national", "sign_contract", opinion="认证合同已签订")
    act(application, "gx_province", "pass", opinion="文件审核合格")
    act(application, "gx_province", "assign_inspector", inspector=User.objects.get(username="inspector"))

    # The inspector reports and sends the samples to the designated lab on the page
    sign_in(page, site, "inspector")
    page.click("nav >> text=我的待办")
    page.click(f"#task-table >> text={number}")
    page.click("button[data-bs-target='#act-submit_inspection_report']")
    form = page.locator("form[data-action=submit_inspection_report]")
    form.locator("textarea").fill("生产季节内现场检查，符合 GB/T 19630，已抽样")
    form.locator("select[name$=lab]").select_option(index=1)
    form.locator("input[value=pesticide_residues]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#state-label")).to_have_text("样品检测")

    # The lab reports, 中绿华夏 approves and the fees are confirmed
    application.refresh_from_db()
    act(application, "lab", "submit_test_report", opinion="未检出禁用物质", favourable=True)
    act(application, "national", "approve", opinion="批准认证")
    act(application, "national", "confirm_payment", opinion="费用已缴纳")

    # 中绿华夏 issues the certificate on the page
    sign_in(page, site, "national")
    page.goto(f"{site}/certification/applications/{application.pk}/")
    page.click("button[data-bs-target='#act-issue_licence']")
    page.click("form[data-action=issue_licence] button[type=submit]")
    expect(page.locator("#state-label")).to_have_text("已颁证")

    # Then the certificate page shows it, valid one year, with its 有机码 section
    certificate = application.products.get().certificate
    assert certificate.number.startswith("001OP")
    page.click(f"#products >> text={certificate.number}")
    expect(page.locator("body")).to_contain_text(certificate.number)
    expect(page.locator("body")).to_contain_text("有机农产品")
    expect(page.locator("body")).to_contain_text(
        f"{certificate.valid_from:%Y-%m-%d} 至 {certificate.valid_until:%Y-%m-%d}")
    assert (certificate.valid_until - certificate.valid_from).days in (364, 365)
    expect(page.locator("#organic-codes")).to_be_visible()
    shot("organic-certificate")

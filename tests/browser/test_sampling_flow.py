"""A sampling failure followed in the browser from the lab report to the revocation notice.

National staff create the year's green-input sampling plan, give Guangxi a quota and draw it with
a seed they can show; the designated lab finds the task on its phone and reports a cadmium value
over the limit; the report is judged failing and a rectification is opened at once (Guangxi staff
see it, marked as coming from sampling). Nobody answers it: the daily job run the day after the
one-month deadline turns it into a revocation request; national staff revoke on the revocation
page; the public verify page shows 已取消 and the announcements list the revocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.accounts.models import system_user
from sanpin.catalog.models import Entity, Region
from sanpin.certificates.services import certificate_issue, green_inputs_validity
from sanpin.core import clock
from sanpin.sampling.models import SamplingTask, Standard
from sanpin.supervision.models import Rectification, RevocationRequest
from sanpin.supervision.services import rectifications_overdue_process

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "20261124"
# The lab's readings for the demo standards of organic fertiliser (green inputs, category 01).
READINGS = {"总砷（As）": "2.1", "总汞（Hg）": "0.12", "总铅（Pb）": "8.5", "总镉（Cd）": "4.6",
            "有机质（以烘干基计）": "42.3"}


def _licence():
    """A green-input fertiliser licence of the demo applicant, valid today."""
    holder = Entity.objects.get(users__username="gx_applicant")
    approved = clock.today() - datetime.timedelta(days=60)
    return certificate_issue(
        actor=system_user(), scheme="green_inputs", holder=holder, product_name="绿源牌生物有机肥", category="01",
        trademark="绿源", approved_output=Decimal("5000"), output_unit="吨", approved_on=approved,
        valid_from=approved, valid_until=green_inputs_validity(approved),
        province=Region.objects.get(code=holder.region.province_code),
    )


def test_a_sampling_failure_from_lab_report_to_revocation_notice(page, site, shot, browser):  # noqa: F811
    call_command("load_demo_sampling", verbosity=0)
    licence = _licence()
    year = str(clock.today().year)

    # National staff: the plan, Guangxi's quota, the draw with its seed
    sign_in(page, site, "national")
    page.goto(f"{site}/sampling/")
    page.fill("#plan-form input[name=year]", year)
    page.select_option("#plan-form select[name=scheme]", "green_inputs")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan-status")).to_have_text("编制中")
    page.select_option("#quota-form select[name=region]", "450000")
    page.fill("#quota-form input[name=count]", "1")
    page.click("#quota-form button[type=submit]")
    expect(page.locator("#quotas")).to_contain_text("广西壮族自治区")
    page.fill("#draw-form input[name=seed]", SEED)
    page.click("#draw-form button[type=submit]")
    expect(page.locator("#seed")).to_have_text(SEED)
    expect(page.locator("#draw-box")).to_contain_text("结果一致")
    expect(page.locator("#tasks")).to_contain_text(licence.number)
    expect(page.locator("#tasks")).to_contain_text("广西桂标农产品检测技术有限公司")
    shot("sampling-plan-drawn")
    task = SamplingTask.objects.get(certificate=licence)

    # The lab, on its phone: its task, the readings, the failing conclusion
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    lab = phone.new_page()
    sign_in(lab, site, "lab")
    lab.goto(f"{site}/sampling/")
    lab.click(f"text={task.number}")
    for indicator, value in READINGS.items():
        standard = Standard.objects.get(scheme="green_inputs", category="01", indicator=indicator)
        lab.fill(f"input[name=value_{standard.pk}]", value)
    lab.fill("input[name=report_number]", "GB-JC-2026-0311")
    SHOTS.mkdir(parents=True, exist_ok=True)
    lab.screenshot(path=str(SHOTS / "sampling-lab-report-phone.png"), full_page=True)
    lab.click("#report-form button[type=submit]")
    expect(lab.locator("#task-status")).to_have_text("不合格")
    expect(lab.locator("#results")).to_contain_text("4.6 mg/kg")
    expect(lab.locator("#follow-up")).to_contain_text("已自动作出整改决定")
    lab.screenshot(path=str(SHOTS / "sampling-lab-failed-phone.png"), full_page=True)
    phone.close()

    # The rectification was opened by the system, from sampling, with the task as its reference
    rectification = Rectification.objects.get(certificate=licence)
    assert (rectification.source, rectification.source_ref) == ("sampling", task.number)
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/supervision/rectifications/")
    expect(page.locator("body")).to_contain_text(rectification.number)
    expect(page.locator("body")).to_contain_text("产品抽检")
    shot("sampling-rectification-opened")

    # The month passes unanswered: the daily job of the day after the deadline asks for revocation
    assert rectifications_overdue_process(rectification.due_on + datetime.timedelta(days=1)) == 1
    request = RevocationRequest.objects.get(certificate=licence)

    # National staff revoke on the revocation page
    sign_in(page, site, "national")
    page.goto(f"{site}/supervision/revocations/{request.pk}/")
    page.check("input[name=decision][value=revoke]")
    page.fill("textarea[name=note]", "抽检镉超标，逾期未整改，取消标志使用权")
    page.click("form[action$='/decide/'] button[type=submit]")
    expect(page.locator("body")).to_contain_text("已取消标志使用权")
    shot("sampling-revocation-decided")
    page.goto(f"{site}/sampling/pass-rates/")
    expect(page.locator("#pass-rates")).to_contain_text("广西壮族自治区")
    expect(page.locator("#pass-rates tfoot")).to_contain_text("0.0%")  # 1 tested, 0 passed: below 98%
    shot("sampling-pass-rates")

    # The public verify page and the announcements show it at once
    page.context.clear_cookies()
    page.goto(f"{site}/verify/?code={licence.number}")
    expect(page.locator("body")).to_contain_text("已取消")
    shot("sampling-verify-revoked")
    page.goto(f"{site}/certificates/announcements/")
    expect(page.locator("body")).to_contain_text("绿源牌生物有机肥")
    expect(page.locator("body")).to_contain_text("取消")
    shot("sampling-revocation-announcement")

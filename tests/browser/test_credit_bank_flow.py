"""“信用+金融” in a browser: the applicant grants the demo bank a consent on 我的信用, the bank
finds the entity on 信用报告查询 and opens its credit report, and the applicant sees that read
(which bank, who, when, page) in the read log."""

import datetime

import pytest
from playwright.sync_api import expect

from sanpin.accounts.models import User
from sanpin.certificates.tests.factories import issue
from sanpin.core import clock
from sanpin.credit.choices import CreditKind
from sanpin.credit.models import BankConsent, CreditEvent, CreditReportRead

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = SHOTS  # docs/screenshots only when SANPIN_SCREENSHOT_DIR says so (README)
BANK = "南宁桂惠农村商业银行股份有限公司"
DAY = datetime.timedelta(days=1)


def test_applicant_grants_bank_reads_applicant_sees_the_read(page, site):  # noqa: F811
    DOCS.mkdir(parents=True, exist_ok=True)
    today = clock.today()
    until = today + datetime.timedelta(days=90)
    applicant = User.objects.get(username="gx_applicant")
    certificate = issue(applicant.entity, approved_on=today - datetime.timedelta(days=200), product_name="邕绿牌有机肥")
    for kind, days, summary in [(CreditKind.SAMPLING_FAILED, 150, "有机肥产品质量抽检不合格：有机质含量不达标"),
                                (CreditKind.RECTIFICATION_CLOSED_ON_TIME, 110, "抽检不合格整改按期完成"),
                                (CreditKind.AWARD, 60, "获评自治区级农业产业化重点龙头企业")]:
        CreditEvent.objects.create(entity=applicant.entity, kind=kind, occurred_on=today - days * DAY,
                                   summary=summary, recorded_by=User.objects.get(username="national"))

    # Given the applicant on 我的信用, reached from the navigation
    sign_in(page, site, "gx_applicant")
    page.click("nav >> text=我的信用")
    expect(page.locator("h1")).to_have_text("我的信用")
    entity_name = page.locator("h1 + span").inner_text()

    # When it asks for more than a year, it is told so; then it grants 90 days
    page.select_option("select[name=bank]", label=BANK)
    page.fill("input[name=purpose]", "流动资金贷款审批")
    page.fill("input[name=valid_until]", (clock.today() + datetime.timedelta(days=400)).isoformat())
    page.click("[data-testid=consent-form] button[type=submit]")
    expect(page.locator("[data-testid=consent-form]")).to_contain_text("授权期限最长一年")
    page.fill("input[name=valid_until]", until.isoformat())
    page.click("[data-testid=consent-form] button[type=submit]")
    expect(page.locator("[data-testid=mine-consents]")).to_contain_text(BANK)
    expect(page.locator("[data-testid=mine-consents]")).to_contain_text("有效")
    assert BankConsent.objects.get().valid_until == until

    # Then the bank finds the entity and opens its report
    sign_in(page, site, "bank")
    page.click("nav >> text=信用报告查询")
    expect(page.locator("[data-testid=bank-entities]")).to_contain_text(entity_name)
    page.click("[data-testid=bank-entities] >> text=查看报告")
    expect(page.locator("h1")).to_have_text("主体信用报告")
    report = page.locator("[data-testid=credit-report]")
    expect(report).to_contain_text(entity_name)
    expect(report).to_contain_text(until.isoformat())
    expect(report).to_contain_text("流动资金贷款审批")
    expect(report).to_contain_text(certificate.number)
    expect(page.locator("[data-testid=report-events] tbody tr")).to_have_count(3)
    page.screenshot(path=str(DOCS / "credit-bank-report.png"), full_page=True)
    assert list(CreditReportRead.objects.values_list("format", flat=True)) == ["page"]

    # And the applicant sees the read in its log
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/credit/mine/")
    reads = page.locator("[data-testid=mine-reads] tbody tr")
    expect(reads).to_have_count(1)
    expect(reads.first).to_contain_text(BANK)
    expect(reads.first).to_contain_text("周雅琴")
    expect(reads.first).to_contain_text("网页")
    page.screenshot(path=str(DOCS / "credit-mine.png"), full_page=True)

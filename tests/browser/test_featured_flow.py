"""A 全国名特优新农产品 listing in the browser: the holder sees its annual confirmation falling due,
submits it (with a mistake first), the Guangxi provincial reviewer confirms it from the queue and
the next due date is a year later; Shanghai staff cannot open it."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sanpin.accounts.models import User, system_user
from sanpin.catalog.models import Region
from sanpin.certificates.services import certificate_issue, validity_end
from sanpin.core import clock
from sanpin.featured.models import QualityTest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("load_regions", verbosity=0)
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)
    return live_server.url


def sign_in(page, site, username, password="sanpin-demo"):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/accounts/home/")


def listing_due_in_a_month():
    """A listing of gx_applicant's entity issued eleven months ago: its confirmation is due in
    about a month, and its quality test is current."""
    holder = User.objects.get(username="gx_applicant").entity
    approved_on = clock.today() - datetime.timedelta(days=335)
    certificate = certificate_issue(
        actor=system_user(), scheme="featured", holder=holder, product_name="横县茉莉花茶", category="04",
        trademark="", approved_output=Decimal("120"), output_unit="吨", approved_on=approved_on,
        valid_from=approved_on, valid_until=validity_end(approved_on, 1),
        province=Region.objects.get(code=holder.region_id[:2] + "0000"),
    )
    QualityTest.objects.create(certificate=certificate, lab="广西农产品质量检测中心", tested_on=approved_on,
                               passed=True, conclusion="各项指标符合产品标准", report_number="GXJC-2025-0815",
                               recorded_by=system_user())
    return certificate


def test_holder_confirms_and_the_province_moves_the_listing_on_a_year(page, site, shot):
    listing = listing_due_in_a_month()
    due = listing.valid_until

    # Given the holder on its listing: the due date, the quality test, the confirmation form
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/featured/")
    page.click(f"text={listing.number}")
    expect(page.locator("#due-on")).to_contain_text(due.isoformat())
    expect(page.locator("#quality-tests")).to_contain_text("GXJC-2025-0815")

    # When it submits without the output, the form says so and nothing is saved
    page.check("input[name=still_producing]")
    page.fill("input[name=output]", "")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator("#confirm-form")).to_contain_text("该字段是必填项")

    # And with the output it is submitted
    page.fill("input[name=output]", "118")
    page.fill("textarea[name=changes]", "新增茉莉花基地 300 亩")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("年度确认已提交")
    expect(page.locator("#open-confirmation")).to_be_visible()
    shot("featured-confirmation-submitted")

    # Then the provincial reviewer finds it in the queue and confirms it
    sign_in(page, site, "gx_province")
    page.goto(f"{site}/featured/confirmations/")
    expect(page.locator("#confirmations")).to_contain_text(listing.number)
    expect(page.locator("#confirmations")).to_contain_text("新增茉莉花基地 300 亩")
    page.fill("#confirmations input[name=opinion]", "仍正常生产，品质检测在有效期内，予以确认")
    page.click("#confirmations button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(listing.number)

    # And the listing's next due date is a year later
    next_due = validity_end(due + datetime.timedelta(days=1), 1)
    page.goto(f"{site}/featured/{listing.number}/")
    expect(page.locator("#due-on")).to_contain_text(next_due.isoformat())
    expect(page.locator("#confirmation-history")).to_contain_text("已确认")
    shot("featured-listing-confirmed")

    # Shanghai staff cannot open it
    sign_in(page, site, "sh_province")
    response = page.goto(f"{site}/featured/{listing.number}/")
    assert response.status == 404

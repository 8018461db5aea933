"""产销对接 in a browser: the demo buyer signs in, searches the supply listings, opens the demo
applicant's fertiliser, sees the contact and sends an inquiry; the applicant answers it from its inbox;
the buyer reads the answer on 我的询价."""

import datetime

import pytest
from playwright.sync_api import expect

from sanpin.accounts.models import User
from sanpin.certificates.tests.factories import issue
from sanpin.core import clock
from sanpin.market import selectors, services
from sanpin.market.models import Inquiry

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_inquires_holder_answers_buyer_reads(page, site, shot):  # noqa: F811
    # Given the demo buyer's profile and a listing for a valid licence of the demo applicant
    buyer = User.objects.get(username="buyer")
    holder = User.objects.get(username="gx_applicant")
    services.buyer_profile_save(actor=buyer, buyer_type="wholesale_market", product_fields=["grain_oil", "inputs"],
                                regions=["450000"], listed=True)
    certificate = issue(holder.entity, approved_on=clock.today() - datetime.timedelta(days=200),
                        product_name="邕绿牌生物有机肥")
    assert list(selectors.listing_certificates(holder.entity, clock.today())) == [certificate]
    services.listing_create(actor=holder, certificate=certificate, product_field="inputs", supply_from_month=1,
                            supply_to_month=12, quantity="300", unit=certificate.output_unit,
                            contact_name="覃经理", contact_phone="13977100001", packaging="25kg/袋")

    # Before signing in, the contact is hidden
    page.goto(f"{site}/market/")
    expect(page.locator("[data-testid=listings]")).to_contain_text("登录采购商账号后可查看联系方式")

    # When the buyer signs in and searches for the product
    sign_in(page, site, "buyer")
    page.goto(f"{site}/market/")
    page.fill("input[name=q]", certificate.product_name)
    page.click("[data-testid=listing-search] button[type=submit]")
    expect(page.locator("[data-testid=listings]")).to_contain_text(certificate.product_name)
    shot("market-01-buyer-search")

    # Then the listing's page shows the contact
    page.click(f"[data-testid=listings] >> text={certificate.product_name}")
    expect(page.locator("h1")).to_contain_text(certificate.product_name)
    expect(page.locator("[data-testid=listing-contact]")).to_contain_text("13977100001")
    shot("market-02-buyer-listing")

    # And the buyer sends an inquiry
    page.fill("input[name=quantity]", "50")
    page.fill("textarea[name=message]", "请报 25kg 袋装批发价和每周可供量")
    page.click("[data-testid=inquiry-form] button[type=submit]")
    expect(page.locator("[data-testid=inquiry]")).to_contain_text("请报 25kg 袋装批发价和每周可供量")
    expect(page.locator("[data-testid=inquiry-reply]")).to_contain_text("待答复")
    shot("market-03-buyer-inquiry-sent")
    assert Inquiry.objects.filter(buyer=buyer.entity, listing__holder=holder.entity).count() == 1

    # When the holder opens its inbox and answers
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/market/inbox/")
    expect(page.locator("[data-testid=inquiries]")).to_contain_text(buyer.entity.name)
    shot("market-04-holder-inbox")
    page.click("[data-testid=inquiries] a.btn >> text=答复")
    page.fill("textarea[name=reply]", "25kg 袋装 6.8 元/公斤，每周可供 10 吨")
    page.click("[data-testid=reply-form] button[type=submit]")
    expect(page.locator("[data-testid=inquiry-reply]")).to_contain_text("已答复")
    shot("market-05-holder-answered")

    # Then the buyer sees the answer
    sign_in(page, site, "buyer")
    page.goto(f"{site}/market/inquiries/")
    expect(page.locator("[data-testid=inquiries]")).to_contain_text("已答复")
    page.click("[data-testid=inquiries] >> text=查看")
    expect(page.locator("[data-testid=inquiry-reply]")).to_contain_text("25kg 袋装 6.8 元/公斤，每周可供 10 吨")
    shot("market-06-buyer-reads-answer")

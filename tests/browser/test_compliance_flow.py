"""承诺达标合格证 on phones: the producer issues one; the wholesale market receives it with its
entry check and, after repacking, re-issues part of it citing the source; a member of the public
scans the market's certificate and sees the chain back to the producer, and an altered code is
called forged."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sanpin.compliance import codes
from sanpin.compliance.models import ComplianceCertificate, Receipt, SourceLink

from .conftest import SHOTS
from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def test_issue_receive_reissue_and_scan_the_chain(browser, site):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_context(**PHONE)
    page = phone.new_page()

    # The producer issues a 合格证 for a lot of 500 kg of cabbage
    sign_in(page, site, "gx_applicant")
    page.goto(f"{site}/compliance/new/")
    page.fill("input[name=product_name]", "大白菜")
    page.select_option("select[name=category]", "vegetable")
    page.fill("input[name=quantity]", "500")
    page.fill("input[name=unit]", "公斤")
    page.fill("input[name=origin]", "广西南宁市兴宁区五塘镇")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已开具承诺达标合格证")
    expect(page.locator("body")).to_contain_text("承诺达标合格证")
    page.screenshot(path=str(SHOTS / "compliance-issued-phone.png"), full_page=True)
    produced = ComplianceCertificate.objects.get(product_name="大白菜")

    # The market scans it on arrival and records the entry check
    sign_in(page, site, "buyer")
    page.goto(f"{site}/compliance/receive/")
    page.fill("input[name=code]", codes.scan_url(produced.code))
    page.fill("input[name=place]", "南宁邕江农副产品批发市场 蔬菜区")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(produced.code)
    assert Receipt.objects.get(code=produced.code).check_result == "conforming"

    # After repacking it re-issues 200 kg, citing the producer's certificate
    page.goto(f"{site}/compliance/reissue/")
    page.fill("input[name=product_name]", "大白菜（分装）")
    page.select_option("select[name=category]", "vegetable")
    page.fill("input[name=quantity]", "200")
    page.fill("input[name=origin]", "广西南宁市兴宁区")
    page.fill("input[name=contact_phone]", "0771-5555555")
    page.fill("input[name=source_code_0]", produced.code)
    page.fill("input[name=source_quantity_0]", "200")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已重新开具合格证")
    repacked = ComplianceCertificate.objects.get(is_reissue=True)
    assert SourceLink.objects.get(certificate_id=repacked.pk).source_id == produced.pk
    page.screenshot(path=str(SHOTS / "compliance-reissued-phone.png"), full_page=True)

    # Anyone scanning the market's label sees the certificate and, behind it, the producer
    scan = urlsplit(codes.scan_url(repacked.code))
    public = browser.new_context(**PHONE).new_page()
    public.goto(f"{site}{scan.path}?{scan.query}")
    expect(public.locator("body")).to_contain_text("承诺达标合格证")
    expect(public.locator("body")).to_contain_text("大白菜（分装）")
    expect(public.locator("body")).to_contain_text("广西邕绿农业科技有限公司")  # the producer, one level back
    public.screenshot(path=str(SHOTS / "compliance-scan-chain-phone.png"), full_page=True)

    # An altered code is called out
    altered = re.sub(r"\d$", lambda m: str((int(m.group()) + 1) % 10), repacked.code)
    public.goto(f"{site}/c/{altered}/?{scan.query}")
    expect(public.locator("body")).to_contain_text("疑似伪造")
    phone.close()

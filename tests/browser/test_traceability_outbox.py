"""The traceability outbox page: a system administrator finds a push that failed after its last
retry, reads the error and the document, and re-sends it; it is delivered to the (local) platform."""

import datetime

import pytest
from playwright.sync_api import expect

from sanpin.catalog.models import Entity
from sanpin.certificates.tests.factories import issue
from sanpin.core import clock
from sanpin.traceability import services
from sanpin.traceability.tests.receiver import Receiver

from .test_green_inputs_flow import sign_in, site  # noqa: F401 - site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(settings):
    receiver = Receiver()
    settings.TRACEABILITY_ENDPOINT = receiver.url
    yield receiver
    receiver.close()


def test_a_failed_push_is_found_and_resent(page, site, shot, platform, monkeypatch):  # noqa: F811
    # Given a licence whose push failed six times, and another one delivered
    holder = Entity.objects.filter(region__code__startswith="45").order_by("pk").first()
    platform.statuses = [503] * services.MAX_ATTEMPTS
    failing = issue(holder, product_name="绿源牌生物有机肥")
    start = clock.now()
    waited = 0
    for delay in (0, *services.RETRY_DELAYS):
        waited += delay
        moment = start + datetime.timedelta(seconds=waited)
        monkeypatch.setattr(clock, "now", lambda moment=moment: moment)
        services.push_pending()
    monkeypatch.undo()
    issue(holder, product_name="绿源牌微生物菌剂")
    services.push_pending()
    assert len(platform.requests) == services.MAX_ATTEMPTS + 1

    # When the administrator opens 追溯平台推送 and filters the failures
    sign_in(page, site, "admin")
    page.goto(f"{site}/traceability/")
    expect(page.locator("h1")).to_have_text("国家追溯平台推送")
    page.click("text=推送失败")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("HTTP 503 Service Unavailable")
    shot("traceability-outbox-failed")
    page.locator("tbody a").first.click()  # the row's time links to the event
    expect(page.locator("h1")).to_contain_text(failing.number)
    expect(page.locator("pre")).to_contain_text("gs1:CertificationDetails")
    shot("traceability-event")

    # Then re-sending it delivers it with the same Idempotency-Key
    page.click("button:has-text('重新发送')")
    expect(page.locator(".alert-success")).to_contain_text("已重新排队推送")
    expect(page.locator("dl")).to_contain_text("已送达")
    assert platform.requests[-1]["status"] == 200
    assert platform.requests[-1]["headers"]["Idempotency-Key"] == platform.requests[0]["headers"]["Idempotency-Key"]
    page.goto(f"{site}/traceability/")
    shot("traceability-outbox")

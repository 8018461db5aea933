"""我的订阅 pages: follow, the one-time secret, the delivery log, re-send, unfollow; own rows only."""

import pytest
from django.urls import reverse

from sanpin.subscriptions.choices import DeliveryStatus
from sanpin.subscriptions.models import Delivery, Subscription
from sanpin.subscriptions.services import record_event, webhook_attempt

pytestmark = pytest.mark.django_db


def test_a_purchaser_follows_a_certificate_from_the_page(client, purchaser, gx_cert):
    client.force_login(purchaser)
    page = client.get(reverse("subscriptions:list"))
    assert page.status_code == 200
    assert "我的订阅" in page.content.decode()
    response = client.post(reverse("subscriptions:create"),
                           {"target_kind": "certificate", "target": gx_cert.number, "channels": ["inapp"]})
    assert response.status_code == 302
    listed = client.get(reverse("subscriptions:list")).content.decode()
    assert gx_cert.number in listed and "关注中" in listed


def test_bad_input_is_shown_on_the_form(client, purchaser):
    client.force_login(purchaser)
    response = client.post(reverse("subscriptions:create"),
                           {"target_kind": "certificate", "target": "LSSZ-01-0000000000", "channels": ["webhook"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "选择 Webhook 推送时请填写地址" in text
    response = client.post(reverse("subscriptions:create"),
                           {"target_kind": "certificate", "target": "LSSZ-01-0000000000", "channels": ["inapp"]})
    assert response.status_code == 400 and "未找到编号为" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_webhook_secret_is_shown_once(client, purchaser, gx_cert, receiver):
    client.force_login(purchaser)
    response = client.post(reverse("subscriptions:create"), {
        "target_kind": "certificate", "target": gx_cert.number, "channels": ["webhook"], "webhook_url": receiver.url})
    assert response.status_code == 200
    secret = Subscription.objects.get().webhook_secret
    assert secret in response.content.decode()
    subscription = Subscription.objects.get()
    assert secret not in client.get(reverse("subscriptions:list")).content.decode()
    assert secret not in client.get(reverse("subscriptions:detail", args=[subscription.pk])).content.decode()


def test_a_failed_delivery_is_resent_from_the_log(client, purchaser, gx_cert, receiver):
    # Given a webhook delivery that failed for good
    client.force_login(purchaser)
    client.post(reverse("subscriptions:create"), {
        "target_kind": "certificate", "target": gx_cert.number, "channels": ["webhook"], "webhook_url": receiver.url})
    subscription = Subscription.objects.get()
    record_event(certificate=gx_cert, kind="revoked")
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=6, last_error="HTTP 500 Internal Server Error")
    delivery = Delivery.objects.get()
    page = client.get(reverse("subscriptions:detail", args=[subscription.pk])).content.decode()
    assert "发送失败" in page and "重新发送" in page and "HTTP 500" in page
    # When the owner re-sends it
    response = client.post(reverse("subscriptions:resend", args=[delivery.pk]))
    assert response.status_code == 302
    webhook_attempt(delivery.pk)  # the worker's turn (the test client does not run on-commit hooks)
    # Then it arrives
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(receiver.requests) == 1


def test_another_users_subscription_is_not_found(client, purchaser, bank, gx_cert, users):
    client.force_login(purchaser)
    client.post(reverse("subscriptions:create"),
                {"target_kind": "certificate", "target": gx_cert.number, "channels": ["inapp"]})
    subscription = Subscription.objects.get()
    record_event(certificate=gx_cert, kind="suspended")
    delivery = Delivery.objects.get()
    client.force_login(bank)
    assert client.get(reverse("subscriptions:detail", args=[subscription.pk])).status_code == 404
    assert client.post(reverse("subscriptions:cancel", args=[subscription.pk])).status_code == 404
    assert client.post(reverse("subscriptions:resend", args=[delivery.pk])).status_code == 404
    client.force_login(users["gx_applicant"])
    assert client.get(reverse("subscriptions:list")).status_code == 403
    assert Subscription.objects.get().active


def test_unfollow_from_the_list(client, purchaser, gx_cert):
    client.force_login(purchaser)
    client.post(reverse("subscriptions:create"),
                {"target_kind": "certificate", "target": gx_cert.number, "channels": ["inapp"]})
    subscription = Subscription.objects.get()
    assert client.post(reverse("subscriptions:cancel", args=[subscription.pk])).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.active


def test_the_navigation_shows_my_subscriptions_to_buyers_and_banks(client, purchaser, bank, users):
    for user in (purchaser, bank):
        client.force_login(user)
        assert "我的订阅" in client.get(reverse("accounts:home")).content.decode()
    client.force_login(users["gx_applicant"])
    assert reverse("subscriptions:list") not in client.get(reverse("accounts:home")).content.decode()

"""Subscribing, telling subscribers of certificate changes, webhook signing and retries, and the
daily expiry event."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_change, certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core import clock
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.notifications.models import MessageRecord, Notification
from sanpin.subscriptions import services, webhooks
from sanpin.subscriptions.choices import DeliveryStatus
from sanpin.subscriptions.models import CertificateEvent, Delivery, Subscription
from sanpin.subscriptions.services import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    delivery_resend,
    emit_expired,
    subscription_cancel,
    subscription_create,
    webhook_attempt,
)

pytestmark = pytest.mark.django_db


def follow(user, number, **extra):
    values = {"target_kind": "certificate", "target": number, "channels": ["inapp"]}
    values.update(extra)
    return subscription_create(actor=user, **values)


def _documented_recipe():
    """The Python example of docs/webhooks.md, run as published so the document cannot go stale."""
    text = (django_settings.BASE_DIR / "docs" / "webhooks.md").read_text(encoding="utf-8")
    namespace = {}
    exec(re.search(r"```python\n(.*?)```", text, re.S).group(1), namespace)  # noqa: S102 - our own document
    return namespace["verify_sanpin_webhook"]


def verify(secret: str, request) -> bool:
    return _documented_recipe()(secret, request["headers"], request["body"])


def test_a_revocation_reaches_the_subscriber_in_app_and_by_a_signed_webhook(
        purchaser, gx_cert, receiver, django_capture_on_commit_callbacks):
    # Given a purchaser following a licence in-app and by webhook
    subscription, secret = follow(purchaser, gx_cert.number, channels=["inapp", "webhook"], webhook_url=receiver.url)
    assert secret.startswith("whsec_")
    # When national staff revoke the licence
    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(actor=system_user(), certificate=gx_cert, status="revoked", reason="抽检不合格")
    # Then the purchaser has an in-app message
    notice = Notification.objects.get(recipient=purchaser)
    assert gx_cert.number in notice.title and "取消" in notice.title
    # And the receiver got one POST whose signature verifies with the secret
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert verify(secret, request)
    assert not verify("whsec_wrong", request)
    body = json.loads(request["body"])
    assert body["type"] == "certificate.revoked" == request["headers"]["X-Sanpin-Event"]
    assert body["certificate"]["number"] == gx_cert.number
    assert body["certificate"]["status"] == "revoked"
    assert body["certificate"]["holder"]["uscc"] == gx_cert.holder.uscc
    assert set(body["certificate"]) == {"number", "scheme", "holder", "product", "status", "valid_from", "valid_until"}
    # And the delivery log says both were sent, the webhook with the receiver's answer
    deliveries = {d.channel: d for d in Delivery.objects.filter(subscription=subscription)}
    assert set(deliveries) == {"inapp", "webhook"}
    assert all(d.status == DeliveryStatus.SENT for d in deliveries.values())
    assert deliveries["webhook"].response_code == 200
    assert request["headers"]["X-Sanpin-Delivery"] == str(deliveries["webhook"].pk)
    assert str(deliveries["webhook"].event_id) == body["id"]


def test_an_entity_follower_hears_of_every_certificate_of_the_entity(
        bank, gx_entity, gx_cert, django_capture_on_commit_callbacks):
    # Given a bank following the entity by its credit code
    subscription, secret = subscription_create(actor=bank, target_kind="entity", target=gx_entity.uscc.lower(),
                                               channels=["inapp"])
    assert subscription.entity == gx_entity and secret == ""
    # When a second licence is issued and the first one is changed
    with django_capture_on_commit_callbacks(execute=True):
        issue(gx_entity, category="02", product_name="生物农药")
        certificate_change(actor=system_user(), certificate=gx_cert, changes={"trademark": "新绿源"}, reason="更名")
    # Then the bank was told both
    kinds = sorted(Delivery.objects.filter(subscription=subscription).values_list("event__kind", flat=True))
    assert kinds == ["changed", "issued"]
    assert Notification.objects.filter(recipient=bank).count() == 2


def test_email_goes_through_the_notification_queue(purchaser, gx_cert, django_capture_on_commit_callbacks, mailoutbox):
    follow(purchaser, gx_cert.number, channels=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(actor=system_user(), certificate=gx_cert, status="suspended", reason="整改期间")
    record = MessageRecord.objects.get(recipient=purchaser)
    assert record.channel == "email" and "暂停使用" in record.subject
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["buyer@example.cn"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(purchaser, gx_cert, receiver, monkeypatch):
    # Given a webhook subscription whose receiver answers 500
    follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url=receiver.url)
    receiver.status = 500
    services.record_event(certificate=gx_cert, kind="revoked")  # queued; the task is called by hand below
    delivery = Delivery.objects.get()
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now)
    # When the task function runs at each scheduled time
    delays = []
    for _attempt in range(MAX_ATTEMPTS):
        delay = webhook_attempt(delivery.pk)
        delays.append(delay)
        # an early run (a duplicate task, an early sweep) does nothing
        assert webhook_attempt(delivery.pk) is None
        if delay:
            now += datetime.timedelta(seconds=delay)
    # Then it waited 1, 5, 25, 125 and 625 minutes between six attempts and gave up
    assert delays == [60, 300, 1500, 7500, 37500, None]
    assert tuple(d for d in delays if d) == RETRY_DELAYS
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == 6
    assert delivery.response_code == 500 and "500" in delivery.last_error
    assert len(receiver.requests) == 6
    assert {r["headers"]["X-Sanpin-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    # And once the receiver is mended, the owner re-sends it and it arrives
    receiver.status = 204
    delivery_resend(actor=purchaser, delivery=delivery)
    assert webhook_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.response_code == 204
    assert AuditEvent.objects.filter(verb="subscription.delivery_resend").count() == 1


def test_retry_sweep_hands_on_only_due_deliveries(purchaser, gx_cert, receiver, monkeypatch):
    follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url=receiver.url)
    receiver.status = 503
    services.record_event(certificate=gx_cert, kind="revoked")  # queued; the task is called by hand below
    delivery = Delivery.objects.get()
    assert webhook_attempt(delivery.pk) == 60
    assert services.retry_due() == 0
    later = clock.now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert services.retry_due() == 1  # runs the task eagerly: the second attempt
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.QUEUED


def test_a_cancelled_subscription_stops_its_retries(purchaser, gx_cert, receiver):
    subscription, _secret = follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url=receiver.url)
    services.record_event(certificate=gx_cert, kind="revoked")
    subscription_cancel(actor=purchaser, subscription=subscription)
    delivery = Delivery.objects.get()
    assert webhook_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "订阅已取消"
    assert receiver.requests == []
    with pytest.raises(TransitionNotAllowed):
        delivery_resend(actor=purchaser, delivery=delivery)


def test_the_expired_job_tells_each_expiry_once(purchaser, gx_entity):
    # Given a licence whose last valid day was yesterday, and a follower of its holder
    today = clock.today()
    yesterday = today - datetime.timedelta(days=1)
    cert = issue(gx_entity, approved_on=yesterday - datetime.timedelta(days=400), valid_until=yesterday)
    issue(gx_entity, category="02", product_name="仍有效")  # still valid: not told
    subscription_create(actor=purchaser, target_kind="entity", target=gx_entity.uscc, channels=["inapp"])
    # When the job runs, and runs again
    assert emit_expired(today=today) == 1
    assert emit_expired(today=today) == 0
    assert emit_expired(today=today + datetime.timedelta(days=1)) == 0
    # Then exactly one expiry was told
    event = CertificateEvent.objects.get(kind="expired")
    assert event.certificate == cert and event.payload["certificate"]["status"] == "expired"
    assert Delivery.objects.filter(event=event).count() == 1
    assert Notification.objects.filter(recipient=purchaser).count() == 1


def test_the_expired_job_skips_renewed_and_revoked_terms(gx_entity):
    today = clock.today()
    yesterday = today - datetime.timedelta(days=1)
    cert = issue(gx_entity, approved_on=yesterday - datetime.timedelta(days=400), valid_until=yesterday)
    certificate_set_status(actor=system_user(), certificate=cert, status="stopped", reason="企业申请停用")
    assert emit_expired(today=today) == 0


def test_who_may_follow_what(users, purchaser, gx_cert, regions):
    # An applicant cannot subscribe
    with pytest.raises(PermissionDenied):
        follow(users["gx_applicant"], gx_cert.number)
    # Staff can, even outside their region: certificate status is public
    assert follow(users["sh_province"], gx_cert.number)[0].pk
    # An unknown number, or an entity holding no certificate, is refused with the field named
    with pytest.raises(ValidationFailed) as unknown:
        follow(purchaser, "LSSZ-01-9999999999")
    assert "target" in unknown.value.fields
    empty = EntityFactory(region=regions["450102"])
    with pytest.raises(ValidationFailed) as holder:
        subscription_create(actor=purchaser, target_kind="entity", target=empty.uscc, channels=["inapp"])
    assert "target" in holder.value.fields
    # Following the same thing twice is a conflict; after unfollowing it may be followed again
    subscription, _secret = follow(purchaser, gx_cert.number)
    with pytest.raises(Conflict):
        follow(purchaser, gx_cert.number)
    subscription_cancel(actor=purchaser, subscription=subscription)
    assert follow(purchaser, gx_cert.number)[0].pk != subscription.pk


def test_channel_and_url_rules(purchaser, bank, gx_cert, settings):
    with pytest.raises(ValidationFailed) as none:
        follow(purchaser, gx_cert.number, channels=[])
    assert "channels" in none.value.fields
    with pytest.raises(ValidationFailed) as no_email:
        follow(bank, gx_cert.number, channels=["email"])
    assert "电子邮箱" in no_email.value.fields["channels"][0]
    with pytest.raises(ValidationFailed) as scheme:
        follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url="ftp://example.cn/hook")
    assert "webhook_url" in scheme.value.fields
    settings.WEBHOOK_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://169.254.169.254/latest",
                "https://user:pw@203.0.113.9/hook"):
        with pytest.raises(ValidationFailed) as private:
            follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url=url)
        assert "webhook_url" in private.value.fields, url
    assert not Subscription.objects.exists()


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=st.one_of(st.ip_addresses(v=4, network="10.0.0.0/8"), st.ip_addresses(v=4, network="192.168.0.0/16"),
                         st.ip_addresses(v=4, network="172.16.0.0/12"), st.ip_addresses(v=4, network="127.0.0.0/8")))
def test_private_addresses_are_refused_in_production(settings, address):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert webhooks.url_problem(f"https://{address}/hook") is not None


def test_public_addresses_are_accepted_in_production(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert webhooks.url_problem("https://8.8.8.8/hook") is None


def test_subscribing_and_cancelling_are_audited_without_the_secret(purchaser, gx_cert, receiver):
    subscription, secret = follow(purchaser, gx_cert.number, channels=["webhook"], webhook_url=receiver.url)
    subscription_cancel(actor=purchaser, subscription=subscription)
    events = AuditEvent.objects.filter(verb__startswith="subscription.").order_by("seq")
    assert [e.verb for e in events] == ["subscription.create", "subscription.cancel"]
    assert secret not in json.dumps(events[0].new)


def test_the_cron_command_runs_both_jobs(gx_entity, purchaser):
    yesterday = clock.today() - datetime.timedelta(days=1)
    issue(gx_entity, approved_on=yesterday - datetime.timedelta(days=400), valid_until=yesterday)
    out = StringIO()
    call_command("process_subscriptions", stdout=out)
    assert "expired events: 1" in out.getvalue()
    assert CertificateEvent.objects.filter(kind="expired").count() == 1


def test_changes_nobody_follows_leave_no_event(gx_cert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(actor=system_user(), certificate=gx_cert, status="suspended", reason="整改期间")
    assert not CertificateEvent.objects.exists()

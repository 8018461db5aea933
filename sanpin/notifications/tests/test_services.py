"""notify(): in-app rows in the caller's transaction, e-mail and SMS after commit, failures kept."""

import pytest
from django.core import mail
from django.db import transaction

from sanpin.accounts.models import system_user
from sanpin.accounts.tests.factories import UserFactory
from sanpin.core.errors import NotFound, ValidationFailed
from sanpin.notifications import services
from sanpin.notifications.choices import Channel, DeliveryStatus
from sanpin.notifications.models import MessageRecord, Notification
from sanpin.notifications.services import (
    MAX_ATTEMPTS,
    notification_mark_all_read,
    notification_mark_read,
    notify,
    resend_queued,
)

pytestmark = pytest.mark.django_db

SENT_SMS = []


class RecordingSmsSender:
    def send(self, phone, text):
        SENT_SMS.append((phone, text))
        return f"prov-{len(SENT_SMS)}"


class FailingSmsSender:
    def send(self, phone, text):
        raise ConnectionError("短信网关超时")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", email="reviewer@example.cn", phone="13907710001")


@pytest.fixture(autouse=True)
def _clear_sms():
    SENT_SMS.clear()


def test_notify_writes_inbox_rows_and_sends_email_and_sms_after_commit(
        reviewer, settings, django_capture_on_commit_callbacks):
    settings.SMS_SENDER = f"{__name__}.RecordingSmsSender"
    no_contact = UserFactory(username="quiet")
    # Given a change that notifies two people
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(recipients=[reviewer, no_contact, reviewer], title="待初审：绿护生物有机肥",
               body="请在 10 个工作日内完成初审。", url="/certification/applications/1/")
        # Then nothing has left the building before commit
        assert len(mail.outbox) == 0 and SENT_SMS == []
    assert len(callbacks) == 1
    # In-app rows for each person once
    assert Notification.objects.filter(recipient=reviewer).count() == 1
    assert Notification.objects.filter(recipient=no_contact).count() == 1
    # The e-mail went out with an absolute link, the SMS to the phone
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reviewer@example.cn"] and message.subject == "待初审：绿护生物有机肥"
    assert "http://" in message.body and "/certification/applications/1/" in message.body
    assert SENT_SMS == [("13907710001", "待初审：绿护生物有机肥：请在 10 个工作日内完成初审。")]
    records = {r.channel: r for r in MessageRecord.objects.all()}
    assert set(records) == {Channel.EMAIL, Channel.SMS}  # nobody without an address got a record
    assert all(r.status == DeliveryStatus.SENT and r.attempts == 1 and r.sent_at for r in records.values())
    assert records[Channel.SMS].provider_id == "prov-1"


def test_a_rolled_back_change_notifies_nobody(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[reviewer], title="不会发出", body="")
        raise RuntimeError("the caller's change failed")
    assert not Notification.objects.exists() and not MessageRecord.objects.exists()
    assert mail.outbox == []


def test_a_failing_sms_sender_is_retried_then_recorded_failed_without_breaking_the_caller(
        reviewer, settings, django_capture_on_commit_callbacks):
    settings.SMS_SENDER = f"{__name__}.FailingSmsSender"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[reviewer], title="现场检查安排", body="下周二", channels=[Channel.INAPP, Channel.SMS])
    sms = MessageRecord.objects.get(channel=Channel.SMS)
    assert sms.status == DeliveryStatus.FAILED
    assert sms.attempts == MAX_ATTEMPTS
    assert "短信网关超时" in sms.error and sms.sent_at is None
    # The caller's own writes stand
    assert Notification.objects.filter(recipient=reviewer, title="现场检查安排").exists()


def test_a_provider_that_recovers_delivers_on_a_retry(reviewer, settings, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    settings.SMS_SENDER = f"{__name__}.RecordingSmsSender"
    calls = {"n": 0}
    real_send = services._send

    def flaky(record):
        calls["n"] += 1
        if calls["n"] == 1:
            raise TimeoutError("timeout")
        return real_send(record)

    monkeypatch.setattr(services, "_send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[reviewer], title="补正通知", body="", channels=[Channel.SMS])
    sms = MessageRecord.objects.get()
    assert (sms.status, sms.attempts, sms.error) == (DeliveryStatus.SENT, 2, "")
    assert services.retry_delay(1) < services.retry_delay(2) < services.retry_delay(3)


def test_a_broker_outage_leaves_messages_queued_for_the_sweep(reviewer, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    from sanpin.notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[reviewer], title="证书已颁发", body="", channels=[Channel.EMAIL])
    record = MessageRecord.objects.get()
    assert record.status == DeliveryStatus.QUEUED and mail.outbox == []
    monkeypatch.undo()
    # The periodic sweep hands it on once it has waited long enough
    assert resend_queued(older_than_seconds=0) == 1
    record.refresh_from_db()
    assert record.status == DeliveryStatus.SENT and len(mail.outbox) == 1


def test_inactive_and_system_users_are_skipped_and_bad_input_refused(reviewer):
    gone = UserFactory(username="gone", is_active=False)
    assert notify(recipients=[gone, system_user()], title="无人接收", body="") == []
    with pytest.raises(ValidationFailed) as caught:
        notify(recipients=[reviewer], title=" ", body="", channels=["pigeon"])
    assert set(caught.value.fields) == {"title", "channels"}
    assert not Notification.objects.exists()


def test_mark_read_is_for_the_recipient_only(reviewer):
    other = UserFactory(username="other")
    first, = notify(recipients=[reviewer], title="一", body="", channels=[Channel.INAPP])
    notify(recipients=[reviewer], title="二", body="", channels=[Channel.INAPP])
    with pytest.raises(NotFound):
        notification_mark_read(actor=other, notification=first)
    notification_mark_read(actor=reviewer, notification=first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert notification_mark_all_read(actor=reviewer) == 1
    assert notification_mark_all_read(actor=reviewer) == 0

"""Tell people what happened: in-app notifications in the caller's transaction, e-mail and SMS
queued with them and sent after commit, with retries and a kept outcome.

Delivery never raises into the caller: a change that commits is never undone because a mail
server or SMS gateway is down. Notifications and delivery records are not audit events: the
change that caused them is audited by its own service; these rows are the delivery log.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.core.errors import NotFound, ValidationFailed

from .choices import OUTBOUND_CHANNELS, Channel, DeliveryStatus
from .models import MessageRecord, Notification
from .senders import get_sms_sender

logger = logging.getLogger(__name__)

# Attempts per message: the first plus three retries, waiting 1, 2 and 4 minutes.
MAX_ATTEMPTS = 4
RETRY_BASE_SECONDS = 60
SMS_MAX_CHARS = 300


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt (exponential back-off)."""
    return RETRY_BASE_SECONDS * 2 ** (attempts - 1)


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _email_body(body: str, url: str) -> str:
    parts = [body] if body else []
    if url:
        parts.append(_("详情：%(url)s") % {"url": _absolute(url)})
    return "\n\n".join(parts)


def _sms_text(title: str, body: str) -> str:
    text = f"{title}：{body}" if body else title
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"


def _recipients(recipients) -> list:
    seen, people = set(), []
    for user in recipients or []:
        if user is None or user.pk in seen or not user.is_active or getattr(user, "is_system", False):
            continue
        seen.add(user.pk)
        people.append(user)
    return people


def notify(*, recipients: Iterable, title: str, body: str, url: str = "",
           channels: Iterable[str] = (Channel.INAPP, Channel.EMAIL, Channel.SMS)) -> list[Notification]:
    """Notify each active recipient. In-app rows are written in the caller's transaction; an
    e-mail (when the user has an address) and an SMS (when the user has a phone number) are
    recorded as queued and handed to the background task after the caller commits."""
    channels = set(channels)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写通知标题")
    unknown = channels - set(Channel.values)
    if unknown or not channels:
        errors["channels"] = _("未知的通知渠道：%(c)s") % {"c": "、".join(sorted(unknown))} if unknown else _(
            "请至少选择一个通知渠道")
    if errors:
        raise ValidationFailed(fields=errors)
    people = _recipients(recipients)
    body, url = body or "", url or ""
    with transaction.atomic():
        notices = []
        if Channel.INAPP in channels:
            notices = Notification.objects.bulk_create(
                Notification(recipient=u, title=title[:200], body=body, url=url[:500]) for u in people
            )
        records = []
        for user in people:
            if Channel.EMAIL in channels and user.email:
                records.append(MessageRecord(channel=Channel.EMAIL, recipient=user, address=user.email,
                                             subject=title[:200], body=_email_body(body, url)))
            if Channel.SMS in channels and user.phone:
                records.append(MessageRecord(channel=Channel.SMS, recipient=user, address=user.phone,
                                             body=_sms_text(title, body)))
        if records and channels & OUTBOUND_CHANNELS:
            ids = [r.pk for r in MessageRecord.objects.bulk_create(records)]
            transaction.on_commit(lambda: dispatch(ids), robust=True)
    return notices


def dispatch(record_ids: Iterable[int]) -> None:
    """Hand queued messages to the background worker (eager in the embedded default). A broker
    that is down leaves them queued for `resend_queued`; it never raises."""
    from .tasks import deliver_message

    for record_id in record_ids:
        try:
            deliver_message.delay(record_id)
        except Exception:  # the caller's change has committed; log and keep it queued
            logger.exception("could not queue message %s", record_id)


def _send(record: MessageRecord) -> str:
    if record.channel == Channel.EMAIL:
        EmailMessage(record.subject, record.body, settings.DEFAULT_FROM_EMAIL, [record.address]).send()
        return ""
    if record.channel == Channel.SMS:
        return str(get_sms_sender().send(record.address, record.body) or "")
    raise ValueError(f"unknown channel {record.channel!r}")


def message_attempt(record_id: int) -> int | None:
    """One delivery attempt. Returns the seconds to wait before retrying, or None when the
    message is settled (sent, finally failed, or already handled by another worker)."""
    record = MessageRecord.objects.filter(pk=record_id, status=DeliveryStatus.QUEUED).first()
    if record is None or record.attempts >= MAX_ATTEMPTS:
        return None
    # Claim this attempt: a concurrent worker that read the same row loses the update and stops.
    claimed = MessageRecord.objects.filter(
        pk=record.pk, status=DeliveryStatus.QUEUED, attempts=record.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return None
    record.attempts += 1
    try:
        provider_id = _send(record)
    except Exception as exc:  # any provider failure is recorded, never raised
        logger.warning("message %s attempt %s failed: %s", record.pk, record.attempts, exc)
        final = record.attempts >= MAX_ATTEMPTS
        MessageRecord.objects.filter(pk=record.pk).update(
            error=f"{type(exc).__name__}: {exc}"[:2000],
            status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED,
        )
        return None if final else retry_delay(record.attempts)
    MessageRecord.objects.filter(pk=record.pk).update(
        status=DeliveryStatus.SENT, provider_id=provider_id[:100], sent_at=timezone.now(), error=""
    )
    return None


def resend_queued(*, older_than_seconds: int = 15 * 60) -> int:
    """Hand again to the worker the messages still queued after a while (a lost task or a
    broker outage); run periodically. Returns how many were handed on."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        MessageRecord.objects.filter(status=DeliveryStatus.QUEUED, created_at__lt=cutoff,
                                     attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)[:1000]
    )
    dispatch(ids)
    return len(ids)


# --- The inbox ----------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient marks one of their notifications read (idempotent)."""
    if notification.recipient_id != actor.pk:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """The recipient marks every unread notification read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())

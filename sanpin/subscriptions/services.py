"""Subscribing, unsubscribing and re-sending, and telling subscribers when a certificate changes.

A certificate change is told once per subscription and channel: in-app and e-mail through
sanpin.notifications (in the event's transaction), webhooks by a background task after commit,
retried with back-off (1, 5, 25, 125 and 625 minutes; six attempts in all). Telling never
raises into the change that caused it: the change has committed by then.
"""

import datetime
import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.catalog.models import Entity
from sanpin.certificates.choices import LAPSING, EffectiveStatus, Scheme
from sanpin.certificates.models import Certificate
from sanpin.certificates.signals import send_changed
from sanpin.core import audit, clock, outbound
from sanpin.core.access import require_role
from sanpin.core.errors import Conflict, TransitionNotAllowed, ValidationFailed
from sanpin.notifications.services import notify

from . import webhooks
from .choices import SUBSCRIBER_ROLES, Channel, DeliveryStatus, EventKind
from .models import CertificateEvent, Delivery, Subscription

logger = logging.getLogger(__name__)

RETRY_DELAYS = outbound.RETRY_DELAYS  # seconds to wait after failed attempt 1, 2, … (1, 5, 25, 125, 625 min)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
EXPIRY_CATCH_UP_DAYS = 7  # a job missed for a few days still tells each expiry once
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
DUE_SLACK_SECONDS = 5


def retry_delay(attempts: int) -> int | None:
    """Seconds to wait after the `attempts`-th failed attempt, or None when none is left."""
    return outbound.retry_delay(attempts, RETRY_DELAYS)


# --- Subscribing ---------------------------------------------------------------------------------


def _target(kind: str, value: str) -> tuple[Entity | None, str]:
    value = (value or "").strip().upper()
    if kind == "certificate":
        if not value:
            raise ValidationFailed(fields={"target": _("请填写证书编号")})
        if not Certificate.objects.filter(number=value).exists():
            raise ValidationFailed(fields={"target": _("未找到编号为 %(n)s 的证书") % {"n": value}})
        return None, value
    if kind == "entity":
        if not value:
            raise ValidationFailed(fields={"target": _("请填写主体的统一社会信用代码")})
        entity = Entity.objects.filter(uscc=value).first()
        # Only holders are public: following an entity must not reveal one that holds nothing.
        if entity is None or not Certificate.objects.filter(holder=entity).exists():
            raise ValidationFailed(
                fields={"target": _("未找到持有证书、统一社会信用代码为 %(c)s 的主体") % {"c": value}})
        return entity, ""
    raise ValidationFailed(fields={"target_kind": _("请选择关注证书还是主体")})


@transaction.atomic
def subscription_create(*, actor, target_kind: str, target: str, channels, webhook_url: str = "",
                        ) -> tuple[Subscription, str]:
    """Follow a certificate number or an entity. Certificate status is public, so any subscriber
    may follow any number; an entity must hold at least one certificate (docs/decisions/0013).

    Returns the subscription and, for a webhook, its signing secret — shown to the caller this
    once. Side effects: one audit event (without the secret)."""
    require_role(actor, SUBSCRIBER_ROLES)
    channels = {str(c) for c in (channels or [])}
    errors = {}
    unknown = channels - set(Channel.values)
    if unknown:
        errors["channels"] = _("未知的通知渠道：%(c)s") % {"c": "、".join(sorted(unknown))}
    elif not channels:
        errors["channels"] = _("请至少选择一个通知渠道")
    elif Channel.EMAIL in channels and not actor.email:
        errors["channels"] = _("您的账户未登记电子邮箱，不能选择电子邮件通知")
    webhook_url = (webhook_url or "").strip()
    if Channel.WEBHOOK in channels:
        if len(webhook_url) > 500:
            errors["webhook_url"] = _("Webhook 地址不能超过 500 个字符")
        else:
            problem = webhooks.url_problem(webhook_url)
            if problem:
                errors["webhook_url"] = problem
    else:
        webhook_url = ""
    try:
        entity, number = _target(target_kind, target)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    same = Subscription.objects.filter(owner=actor, active=True)
    same = same.filter(entity=entity) if entity else same.filter(entity__isnull=True, certificate_number=number)
    if same.exists():
        raise Conflict(_("您已关注该对象"), code="duplicate", fields={"target": _("已在关注中")})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32) if Channel.WEBHOOK in channels else ""
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                owner=actor, entity=entity, certificate_number=number, via_inapp=Channel.INAPP in channels,
                via_email=Channel.EMAIL in channels, via_webhook=Channel.WEBHOOK in channels,
                webhook_url=webhook_url, webhook_secret=secret,
            )
    except IntegrityError as exc:  # a concurrent request made the same subscription
        raise Conflict(_("您已关注该对象"), code="duplicate", fields={"target": _("已在关注中")}) from exc
    audit.record(actor=actor, verb="subscription.create", target=subscription,
                 new={"target": subscription.target_label, "channels": subscription.channels,
                      "webhook_url": webhook_url})
    return subscription, secret


@transaction.atomic
def subscription_cancel(*, actor, subscription: Subscription) -> Subscription:
    """Stop following. Queued webhook retries stop at their next attempt; the log is kept.
    Side effects: one audit event."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.owner_id != actor.pk:
        raise TransitionNotAllowed(_("只能取消本人的订阅"))
    if not subscription.active:
        raise TransitionNotAllowed(_("该订阅已取消"))
    subscription.active = False
    subscription.cancelled_at = clock.now()
    subscription.save(update_fields=["active", "cancelled_at"])
    audit.record(actor=actor, verb="subscription.cancel", target=subscription, old={"active": True},
                 new={"active": False})
    return subscription


@transaction.atomic
def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, as a new series of attempts with the same delivery id (so a
    receiver that did get it can drop the repeat). Side effects: one audit event; the attempt."""
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("subscription").get(pk=delivery.pk)
    if delivery.subscription.owner_id != actor.pk:
        raise TransitionNotAllowed(_("只能重发本人订阅的推送"))
    if delivery.status != DeliveryStatus.FAILED:
        raise TransitionNotAllowed(_("只有发送失败的推送可以重发"))
    if not delivery.subscription.active:
        raise TransitionNotAllowed(_("订阅已取消，不能重发"))
    old = {"status": delivery.status, "attempts": delivery.attempts, "last_error": delivery.last_error}
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.QUEUED, 0, None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(actor=actor, verb="subscription.delivery_resend", target=delivery, old=old,
                 new={"status": DeliveryStatus.QUEUED})
    if delivery.channel == Channel.WEBHOOK:
        delivery_id = delivery.pk
        transaction.on_commit(lambda: dispatch([delivery_id]), robust=True)
    else:
        _deliver_local(delivery)
    return delivery


# --- Telling subscribers --------------------------------------------------------------------------


def _payload(event_id, kind: str, certificate: Certificate, occurred_at: datetime.datetime) -> dict:
    today = clock.today()
    return {
        "id": str(event_id),
        "type": f"certificate.{kind}",
        "occurred_at": occurred_at.isoformat(),
        "certificate": {
            "number": certificate.number,
            "scheme": certificate.scheme,
            "holder": {"name": certificate.holder.name, "uscc": certificate.holder.uscc},
            "product": certificate.product_name,
            "status": certificate.effective_status(today),
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        },
    }


def _message(event: CertificateEvent) -> tuple[str, str]:
    cert = event.payload["certificate"]
    kind = EventKind(event.kind).label
    title = _("证书 %(number)s：%(kind)s") % {"number": event.number, "kind": kind}
    scheme = Scheme(cert["scheme"]).label if cert["scheme"] in Scheme.values else cert["scheme"]
    body = _("%(holder)s 的%(scheme)s“%(product)s”（%(number)s）%(kind)s，"
             "当前状态：%(status)s，有效期 %(start)s 至 %(end)s。") % {
        "holder": cert["holder"]["name"], "scheme": scheme, "product": cert["product"], "number": event.number,
        "kind": kind,
        "status": EffectiveStatus(cert["status"]).label, "start": cert["valid_from"], "end": cert["valid_until"],
    }
    return title, body


def _deliver_local(delivery: Delivery) -> None:
    """In-app and e-mail: handed to sanpin.notifications in this transaction (its own log tracks
    the mail server's answer)."""
    owner = delivery.subscription.owner
    now = clock.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    if delivery.channel == Channel.EMAIL and not owner.email:
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, _("订阅人未登记电子邮箱")
    elif not owner.is_active:
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, _("订阅人账户已停用")
    else:
        title, body = _message(delivery.event)
        notify(recipients=[owner], title=title, body=body, channels=[delivery.channel],
               url=reverse("subscriptions:detail", args=[delivery.subscription_id]))
        delivery.status, delivery.last_error, delivery.sent_at = DeliveryStatus.SENT, "", now
    delivery.save(update_fields=["attempts", "last_attempt_at", "status", "last_error", "sent_at"])


@transaction.atomic
def record_event(*, certificate: Certificate, kind: str, key: str | None = None) -> CertificateEvent | None:
    """Freeze the event and write one delivery per matching subscription and channel. An event
    whose `key` was already recorded is not told again (returns None)."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown certificate event kind {kind!r}")
    event_id = uuid.uuid4()
    key = key or f"{kind}:{event_id}"
    if CertificateEvent.objects.filter(key=key).exists():
        return None
    subscriptions = list(Subscription.objects.filter(
        Q(certificate_number=certificate.number) | Q(entity_id=certificate.holder_id), active=True,
    ).select_related("owner"))
    if not subscriptions and kind != EventKind.EXPIRED:
        return None  # nobody listens; only keyed expiries are remembered, so the daily job stays idempotent
    occurred_at = clock.now()
    try:
        with transaction.atomic():
            event = CertificateEvent.objects.create(
                id=event_id, key=key, kind=kind, certificate=certificate, number=certificate.number,
                occurred_at=occurred_at, payload=_payload(event_id, kind, certificate, occurred_at),
            )
    except IntegrityError:  # the same keyed event recorded concurrently
        return None
    deliveries = [
        Delivery(event=event, subscription=s, channel=channel) for s in subscriptions for channel in s.channels
    ]
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        if delivery.channel != Channel.WEBHOOK:
            _deliver_local(delivery)
    webhook_ids = [d.pk for d in deliveries if d.channel == Channel.WEBHOOK]
    if webhook_ids:
        transaction.on_commit(lambda: dispatch(webhook_ids), robust=True)
    return event


def on_certificate_changed(sender, *, certificate, kind, key=None, **kwargs) -> None:
    """Receiver of sanpin.certificates.signals.certificate_changed."""
    try:
        record_event(certificate=certificate, kind=kind, key=key)
    except Exception:  # the change has committed; a subscriber problem must not surface to its actor
        logger.exception("could not record %s event for certificate %s", kind, certificate.pk)


def emit_expired(*, today: datetime.date | None = None) -> int:
    """Daily job: tell "expired" for each current term whose last valid day has passed (yesterday,
    or within the catch-up window when the job missed days). Keyed by term, so it runs any number
    of times and tells each expiry once. Returns how many were told."""
    today = today or clock.today()
    candidates = Certificate.objects.filter(
        renewed=False, status__in=list(LAPSING),
        valid_until__range=(today - timedelta(days=EXPIRY_CATCH_UP_DAYS), today - timedelta(days=1)),
    ).select_related("holder")
    told = set(CertificateEvent.objects.filter(key__in=[f"expired:{c.pk}" for c in candidates])
               .values_list("key", flat=True))
    count = 0
    for certificate in candidates:
        key = f"expired:{certificate.pk}"
        if key not in told:
            send_changed(certificate, EventKind.EXPIRED, key=key)
            count += 1
    return count


# --- Webhook delivery -----------------------------------------------------------------------------


def dispatch(delivery_ids) -> None:
    """Hand webhook deliveries to the worker; a broker that is down leaves them to `retry_due`."""
    from .tasks import deliver_webhook

    for delivery_id in delivery_ids:
        try:
            deliver_webhook.delay(str(delivery_id))
        except Exception:
            logger.exception("could not queue webhook delivery %s", delivery_id)


def webhook_headers(delivery: Delivery, body: bytes, timestamp: str) -> dict:
    return {
        "X-Sanpin-Event": delivery.event.type,
        "X-Sanpin-Delivery": str(delivery.pk),
        "X-Sanpin-Timestamp": timestamp,
        "X-Sanpin-Signature": "sha256=" + webhooks.sign(delivery.subscription.webhook_secret, timestamp, body),
    }


def webhook_attempt(delivery_id) -> int | None:
    """One POST of a queued webhook delivery. Returns the seconds to wait before the next attempt,
    or None when the delivery is settled (sent, finally failed, or claimed by another worker)."""
    delivery = (Delivery.objects.select_related("event", "subscription")
                .filter(pk=delivery_id, channel=Channel.WEBHOOK, status=DeliveryStatus.QUEUED).first())
    if delivery is None or delivery.attempts >= MAX_ATTEMPTS:
        return None
    if delivery.next_attempt_at and delivery.next_attempt_at > clock.now() + timedelta(seconds=DUE_SLACK_SECONDS):
        return None  # not due: an early sweep or a duplicate task; the scheduled attempt comes later
    # Claim the attempt: a concurrent worker that read the same row loses the update and stops.
    if not Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED, attempts=delivery.attempts).update(
            attempts=F("attempts") + 1):
        return None
    delivery.attempts += 1
    subscription = delivery.subscription
    final_problem = _("订阅已取消") if not subscription.active else webhooks.url_problem(subscription.webhook_url)
    if final_problem:
        outcome = webhooks.Outcome(False, None, final_problem)
    else:
        body = webhooks.encode(delivery.event.payload)
        timestamp = str(int(clock.now().timestamp()))
        outcome = webhooks.post(subscription.webhook_url, body, webhook_headers(delivery, body, timestamp))
    now = clock.now()
    if outcome.ok:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, response_code=outcome.status, last_error="", last_attempt_at=now,
            next_attempt_at=None, sent_at=now)
        return None
    delay = None if final_problem else retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED if delay else DeliveryStatus.FAILED, response_code=outcome.status,
        last_error=outcome.error[:2000], last_attempt_at=now,
        next_attempt_at=now + timedelta(seconds=delay) if delay else None)
    logger.info("webhook delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, outcome.error)
    return delay


def retry_due(*, now: datetime.datetime | None = None) -> int:
    """Periodic sweep: hand on the webhook deliveries whose retry time has come, and those left
    queued by a lost task. The only retry path when tasks run eagerly (no broker). Returns how
    many were handed on."""
    now = now or clock.now()
    ids = list(Delivery.objects.filter(channel=Channel.WEBHOOK, status=DeliveryStatus.QUEUED,
                                       attempts__lt=MAX_ATTEMPTS)
               .filter(Q(next_attempt_at__lte=now)
                       | Q(next_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=5)))
               .values_list("pk", flat=True)[:1000])
    dispatch(ids)
    return len(ids)


def eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))

"""The outbox to the national traceability platform [001 §6]: writing an event in the
transaction of the certificate change, pushing pending events to the configured endpoint with
retries and back-off, and the administrators' re-send of failures.

Delivery, once per event from our side:
- a worker claims one due row in a short transaction (SELECT … FOR UPDATE SKIP LOCKED on
  PostgreSQL, so concurrent workers take different rows; SQLite takes its write lock at BEGIN,
  so claims simply queue), counts the attempt and leases the row for LEASE_SECONDS;
- it POSTs outside any transaction (a slow platform holds no lock), with `Idempotency-Key` = the
  event id, and records the answer only if its claim still holds;
- a delivered event is never selected again; after MAX_ATTEMPTS failures it is "failed" and
  waits for an administrator. A crash between the POST and the record repeats the POST after the
  lease with the same Idempotency-Key, which the platform drops.
Events of one certificate go out in order: an event waits while an older one of the same number
is still pending (a failed one no longer holds the others back).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from sanpin.core import audit, clock, outbound
from sanpin.core.access import require_role
from sanpin.core.errors import NotFound, TransitionNotAllowed

from . import payload
from .choices import OUTBOX_ROLES, EventKind, OutboxStatus
from .models import OutboxEvent

logger = logging.getLogger(__name__)

RETRY_DELAYS = outbound.RETRY_DELAYS  # after failed attempt 1, 2, …: 1, 5, 25, 125, 625 minutes
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE_SECONDS = 120  # a claimed row is not due again for this long (the POST times out after 10 s)
USER_AGENT = "sanpin-traceability/1"
BATCH = 500  # events one run pushes at most; the next run (a minute later) goes on


def configured() -> bool:
    return bool(getattr(settings, "TRACEABILITY_ENDPOINT", ""))


# --- Writing events --------------------------------------------------------------------------------


def record(*, certificate, kind: str) -> OutboxEvent:
    """Write the event in the caller's transaction (it must be one: the change's own)."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown certificate event kind {kind!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("traceability events are written inside the transaction of the change")
    event = OutboxEvent(kind=kind, certificate=certificate, number=certificate.number, scheme=certificate.scheme,
                        occurred_at=clock.now())
    event.payload = payload.build(event_id=event.id, kind=kind, certificate=certificate,
                                  occurred_at=event.occurred_at)
    event.save(force_insert=True)
    if configured():
        transaction.on_commit(dispatch, robust=True)
    return event


def on_certificate_changing(sender, *, certificate, kind, key=None, **kwargs) -> None:
    """Receiver of sanpin.certificates.signals.certificate_changing (inside the change's
    transaction). Kinds the platform is not told (none today) are skipped; an error here rolls
    the change back, which is the point: no change without its event."""
    if kind in EventKind.values:
        record(certificate=certificate, kind=kind)


# --- Pushing ---------------------------------------------------------------------------------------


def dispatch() -> None:
    """Hand a push run to the worker (or run it now when tasks run eagerly); a broker that is
    down leaves the events to the next scheduled run."""
    from .tasks import push

    try:
        push.delay()
    except Exception:
        logger.exception("could not queue a traceability push")


def _due(now):
    older_pending = OutboxEvent.objects.filter(
        number=OuterRef("number"), status=OutboxStatus.PENDING,
    ).filter(Q(occurred_at__lt=OuterRef("occurred_at"))
             | Q(occurred_at=OuterRef("occurred_at"), created_at__lt=OuterRef("created_at")))
    return (OutboxEvent.objects.filter(status=OutboxStatus.PENDING, attempts__lt=MAX_ATTEMPTS)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .exclude(Exists(older_pending))
            .order_by("occurred_at", "created_at"))


def _claim(now) -> OutboxEvent | None:
    """Take one due event: count the attempt and lease it, in a short transaction."""
    with transaction.atomic():
        queryset = _due(now)
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        event = queryset.first()
        if event is None:
            return None
        # Conditional on the attempts read: a worker that read the same row (SQLite) loses here.
        claimed = OutboxEvent.objects.filter(pk=event.pk, status=OutboxStatus.PENDING, attempts=event.attempts).update(
            attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + timedelta(seconds=LEASE_SECONDS))
        if not claimed:
            return None
        event.attempts += 1
        return event


def _headers(event: OutboxEvent) -> dict:
    headers = {"Idempotency-Key": str(event.pk), "X-Sanpin-Event": f"certificate.{event.kind}"}
    token = getattr(settings, "TRACEABILITY_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def push_one(now=None) -> str | None:
    """Claim and POST one due event. Returns "delivered", "retry", "failed", or None when
    nothing is due (or another worker took the row)."""
    now = now or clock.now()
    event = _claim(now)
    if event is None:
        return None
    outcome = outbound.post(settings.TRACEABILITY_ENDPOINT, outbound.encode(event.payload), _headers(event),
                            user_agent=USER_AGENT)
    done = clock.now()
    mine = OutboxEvent.objects.filter(pk=event.pk, status=OutboxStatus.PENDING, attempts=event.attempts)
    if outcome.ok:
        mine.update(status=OutboxStatus.DELIVERED, response_code=outcome.status, last_error="", delivered_at=done,
                    next_attempt_at=None, updated_at=done)
        return "delivered"
    delay = outbound.retry_delay(event.attempts, RETRY_DELAYS)
    mine.update(status=OutboxStatus.PENDING if delay else OutboxStatus.FAILED, response_code=outcome.status,
                last_error=outcome.error[:2000], next_attempt_at=now + timedelta(seconds=delay) if delay else None,
                updated_at=done)
    logger.info("traceability event %s attempt %s failed: %s", event.pk, event.attempts, outcome.error)
    return "retry" if delay else "failed"


def push_pending(*, now=None, limit: int = BATCH) -> dict:
    """Push every due event, one at a time. Nothing is sent while TRACEABILITY_ENDPOINT is unset
    (the events wait). Called by the Celery task, the daily job and `manage.py push_traceability`."""
    result = {"configured": configured(), "delivered": 0, "retry": 0, "failed": 0}
    if not result["configured"]:
        return result
    for _i in range(limit):
        outcome = push_one(now)
        if outcome is None:
            break
        result[outcome] += 1
    return result


# --- Administrators ---------------------------------------------------------------------------------


def access_event(user, pk) -> OutboxEvent:
    require_role(user, OUTBOX_ROLES)
    event = OutboxEvent.objects.select_related("certificate").filter(pk=pk).first()
    if event is None:
        raise NotFound(_("未找到该推送事件"))
    return event


def _requeue(actor, event: OutboxEvent) -> None:
    old = {"status": event.status, "attempts": event.attempts, "last_error": event.last_error}
    event.status, event.attempts, event.next_attempt_at = OutboxStatus.PENDING, 0, None
    event.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit.record(actor=actor, verb="traceability.resend", target=event, old=old,
                 new={"status": OutboxStatus.PENDING, "number": event.number, "kind": event.kind})


@transaction.atomic
def event_resend(*, actor, event: OutboxEvent) -> OutboxEvent:
    """Send a failed event again: a new series of attempts with the same event id (so the
    platform drops it if it did get it). System administrators only. Side effects: one audit
    event; a push run after commit."""
    require_role(actor, OUTBOX_ROLES)
    event = OutboxEvent.objects.select_for_update().filter(pk=event.pk).first()
    if event is None:
        raise NotFound(_("未找到该推送事件"))
    if event.status != OutboxStatus.FAILED:
        raise TransitionNotAllowed(_("只有推送失败的事件可以重发"))
    _requeue(actor, event)
    if configured():
        transaction.on_commit(dispatch, robust=True)
    return event


@transaction.atomic
def events_resend_failed(*, actor) -> int:
    """Send every failed event again (see event_resend). Returns how many. Side effects: one
    audit event per event; a push run after commit."""
    require_role(actor, OUTBOX_ROLES)
    events = list(OutboxEvent.objects.select_for_update().filter(status=OutboxStatus.FAILED)
                  .order_by("occurred_at", "created_at"))
    if not events:
        raise TransitionNotAllowed(_("没有推送失败的事件"))
    for event in events:
        _requeue(actor, event)
    if configured():
        transaction.on_commit(dispatch, robust=True)
    return len(events)


def counts() -> dict:
    """How many events are in each state (the outbox page's header)."""
    from django.db.models import Count

    rows = OutboxEvent.objects.values("status").annotate(n=Count("pk")).order_by()
    found = {row["status"]: row["n"] for row in rows}
    return {status: found.get(status, 0) for status in OutboxStatus.values}

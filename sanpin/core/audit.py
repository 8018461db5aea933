"""The audit trail: append one event per state change, in the caller's transaction, and
verify the hash chain.

Every service that changes state calls `record(...)` inside its `transaction.atomic` block, so
the change and its audit row commit or roll back together.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .middleware import current_client_ip
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _jsonable(value):
    """Round-trip through JSON so that what is hashed is exactly what is stored and read back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _digest(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_repr": event.actor_repr,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "old": event.old,
        "new": event.new,
        "reason": event.reason,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def target_label(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return meta.label_lower, str(obj.pk), str(obj)[:255]


def record(*, actor, verb: str, target=None, old=None, new=None, reason: str = "", ip=None) -> AuditEvent:
    """Append one event. Must run inside the transaction that makes the change."""
    if actor is None:
        raise ValueError("an audit event needs an actor; scheduled jobs pass the SYSTEM user")
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction that changes state")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    target_type, target_id, target_repr = target_label(target)
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_repr=(actor.get_full_name() or actor.get_username())[:150],
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        old=_jsonable(old),
        new=_jsonable(new),
        reason=reason or "",
        ip=ip or current_client_ip(),
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    event.save(force_insert=True)
    head.last_seq, head.last_hash = event.seq, event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    first_broken_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first row whose content, link or position is wrong."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in rows:
        checked += 1
        if event.seq != expected_seq:
            return ChainReport(checked, False, expected_seq, f"第 {expected_seq} 号记录缺失")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, False, event.seq, "与上一条记录的链接不符")
        if _digest(event) != event.hash:
            return ChainReport(checked, False, event.seq, "记录内容已被改动")
        expected_prev, expected_seq = event.hash, event.seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return ChainReport(checked, False, expected_seq, "链尾记录缺失")
    return ChainReport(checked, True)


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields whose values changed, as (old, new) dicts for an audit event."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


atomic = transaction.atomic

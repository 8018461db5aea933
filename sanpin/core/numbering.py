"""Official number sequences: unique and gap-free, allocated inside the issuing transaction."""

from django.db import IntegrityError, connection, transaction

from .models import NumberSequence


def next_value(key: str) -> int:
    """Lock the sequence row for `key`, move it on by one and return the new value.

    The lock is held until the caller's transaction ends, so concurrent issuers queue; if the
    caller rolls back, the increment rolls back too and the number is reused (no gap).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("next_value must run inside the issuing transaction")
    seq = NumberSequence.objects.select_for_update().filter(key=key).first()
    if seq is None:
        try:
            with transaction.atomic():  # savepoint: another issuer may create the row first
                NumberSequence.objects.create(key=key, last_value=0)
        except IntegrityError:
            pass
        seq = NumberSequence.objects.select_for_update().get(key=key)
    seq.last_value += 1
    seq.save(update_fields=["last_value", "updated_at"])
    return seq.last_value


def ensure_at_least(key: str, value: int) -> None:
    """Move a sequence past numbers issued elsewhere (e.g. imported certificates)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ensure_at_least must run inside a transaction")
    seq, _ = NumberSequence.objects.select_for_update().get_or_create(key=key)
    if seq.last_value < value:
        seq.last_value = value
        seq.save(update_fields=["last_value", "updated_at"])


def peek(key: str) -> int:
    """The last value allocated for `key` (0 when none), without locking."""
    return NumberSequence.objects.filter(key=key).values_list("last_value", flat=True).first() or 0

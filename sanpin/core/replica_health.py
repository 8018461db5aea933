"""How far the read replica is behind the primary, measured at most every few seconds per process.

The lag is the age of the newest transaction the replica has replayed, unless the replica has
replayed everything the primary had written when asked (then 0). An idle primary therefore reads
as 0, and a replica whose replay stopped (paused, broken, disconnected) reads as the time since
its last replayed commit, which keeps growing: that is what lets a status marker expire safely
(docs/decisions/0042-read-replica.md). An unreachable replica, or one no longer in recovery
(promoted, so no longer fed by the primary), reads as None: never read from it.
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"

_lock = threading.Lock()
_measured: dict = {"at": None, "lag": None}


def check_seconds() -> float:
    return float(getattr(settings, "REPLICA_CHECK_SECONDS", 2.0))


def measure() -> float | None:
    """Seconds the replica is behind now, or None when it cannot be read from."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false), "
                "extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())",
                [primary_lsn],
            )
            in_recovery, caught_up, age = cursor.fetchone()
    except DatabaseError as error:
        log.warning("read replica unavailable: %s", error)
        _close_replica()
        return None
    if not in_recovery:
        log.warning("read replica is not in recovery (promoted?): not read from")
        return None
    if caught_up:
        return 0.0
    return None if age is None else max(float(age), 0.0)


def lag() -> float | None:
    """The measured lag, re-measured when the last measure is older than REPLICA_CHECK_SECONDS."""
    now = time.monotonic()
    with _lock:
        at = _measured["at"]
        if at is not None and now - at < check_seconds():
            return _measured["lag"]
        value = measure()
        _measured.update(at=time.monotonic(), lag=value)
        return value


def within(max_lag: float) -> bool:
    value = lag()
    return value is not None and value <= max_lag


def report_failure() -> None:
    """A read on the replica failed: treat it as unreachable until the next measure."""
    with _lock:
        _measured.update(at=time.monotonic(), lag=None)
    _close_replica()


def forget() -> None:
    """Measure afresh on the next call (tests; after the replica is known to have changed)."""
    with _lock:
        _measured.update(at=None, lag=None)


def _close_replica() -> None:
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()

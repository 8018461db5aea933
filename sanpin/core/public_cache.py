"""Cached public answers (verification, the marks a 合格证 names) that a change never leaves stale.

Each key (a certificate or GI number) has a change stamp in the cache, set when a row its answer is
read from is saved: once inside the transaction and again on commit. A cached answer carries the
stamp it was read under and counts only while the stamp is unchanged, so one read of both
(`get_many`, one round trip to Redis) tells whether it may be shown. This closes the race of a
plain delete-on-change: a lookup that read the old row just before the commit and stores its
answer just after it stores it under the old stamp, which no later lookup accepts.

What is not stamped ages out: answers live CACHE_SECONDS (a holder renamed shows within that),
and the day is part of the key, so an answer never outlives the day it was computed for (expiry).
Stamps outlive every answer they guard (STAMP_SECONDS); the entry itself is also deleted on
commit, so even a stamp lost to eviction cannot revive an answer from before the change.
"""

import datetime
import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

CACHE_SECONDS = 300
STAMP_SECONDS = 24 * 3600

# Kinds of cached answer: the API body of the public verification, the term and its history that the
# verification page shows, and a mark's status as a 合格证 scan shows it.
VERIFY = "verify"
TERM = "term"
MARK = "mark"
KINDS = (VERIFY, TERM, MARK)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _stamp_key(key: str) -> str:
    return f"public:stamp:{_digest(key)}"


def _entry_key(kind: str, key: str, day: datetime.date) -> str:
    return f"public:{kind}:{_digest(key)}:{day.isoformat()}"


def read_many(kind: str, keys: list[str], day: datetime.date) -> tuple[dict, dict]:
    """The cached answers of `keys` still valid for `day` ({key: answer}), and every key's
    current stamp ({key: stamp or None}) to store fresh answers under."""
    names = {}
    for key in keys:
        names[_stamp_key(key)] = key
        names[_entry_key(kind, key, day)] = key
    try:
        found = cache.get_many(list(names))
    except Exception:  # a cache outage slows lookups down; it must not stop them
        log.exception("public cache unreadable")
        return {}, {key: None for key in keys}
    stamps = {key: found.get(_stamp_key(key)) for key in keys}
    answers = {}
    for key in keys:
        entry = found.get(_entry_key(kind, key, day))
        if entry is not None and entry[0] == stamps[key]:
            answers[key] = entry[1]
    return answers, stamps


def write_many(kind: str, answers: dict, stamps: dict, day: datetime.date) -> None:
    """Store `answers` ({key: answer}), each under the stamp read before it was computed."""
    try:
        cache.set_many({_entry_key(kind, key, day): (stamps.get(key), answer) for key, answer in answers.items()},
                       CACHE_SECONDS)
    except Exception:
        log.exception("public cache unwritable")


def cached(kind: str, key: str, day: datetime.date, compute):
    """The answer for one key: from the cache, else `compute()` stored for next time."""
    answers, stamps = read_many(kind, [key], day)
    if key in answers:
        return answers[key]
    answer = compute()
    write_many(kind, {key: answer}, stamps, day)
    return answer


def _restamp(key: str) -> None:
    try:
        cache.set(_stamp_key(key), time.time_ns(), STAMP_SECONDS)
        cache.delete_many([_entry_key(kind, key, day) for kind in KINDS for day in _days()])
    except Exception:  # the change stands; answers age out within CACHE_SECONDS
        log.exception("could not invalidate the public answers of %s", key)


def _days() -> list[datetime.date]:
    from sanpin.core import clock

    today = clock.today()
    return [today - datetime.timedelta(days=1), today]


def changed(key: str) -> None:
    """What the public sees for `key` changes in the current transaction: stamp it now and again
    on commit (the second stamp is the one that counts; the first only shortens the window)."""
    if not key:
        return
    _restamp(key)
    transaction.on_commit(lambda: _restamp(key), robust=True)


# --- Receivers: every save of a row a public answer is read from -------------------------------

def _number_saved(sender, instance, **kwargs):
    changed(instance.number)


def _status_change_saved(sender, instance, **kwargs):
    certificate = getattr(instance, "certificate", None)
    if certificate is not None:
        changed(certificate.number)


def connect() -> None:
    """Connect the stamps to the model signals (CoreConfig.ready), by label so that core imports
    none of the apps above it. Writes that bypass model signals (`QuerySet.update`, bulk or raw
    SQL) on these tables must call `changed` themselves."""
    from django.db.models.signals import post_delete, post_save

    for label, receiver in (("certificates.Certificate", _number_saved),
                            ("certificates.StatusChange", _status_change_saved),
                            ("gi.GIRegistration", _number_saved)):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=label, weak=False,
                           dispatch_uid=f"public_cache.{signal is post_save}.{label}")

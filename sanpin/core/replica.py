"""Reads from the PostgreSQL streaming replica, only where the code opts in
(docs/decisions/0042-read-replica.md).

With `DATABASE_REPLICA_URL` set there is a database alias "replica" and the router
(sanpin.core.db_router) sends a read there only inside an opt-in scope:

- `reads()` / `@reads_view`: statistics, which tolerate a lag of up to REPLICA_STATS_MAX_LAG
  seconds. Only GET and HEAD requests opt in.
- `lookup(read, keys=...)`: public lookups (verify, 合格证 scan), which must never show a
  certificate as valid after it was revoked. A service that changes what a key's public answer
  says marks the key (`mark_changed`) in the cache, once inside its transaction and again on
  commit; a marked key reads the primary for REPLICA_MARK_SECONDS, which is longer than the lag
  the lookups accept (REPLICA_MAX_LAG) plus the interval at which the lag is measured. A lookup
  also reads the primary when the replica is further behind than that, or unreachable.

Inside a scope, reads still go to the primary when the connection to the primary is in a
transaction (`transaction.atomic`), after the scope has written anything, and for the tables of
sessions, users, roles and tokens. Without a replica everything reads the primary and nothing is
marked.
"""

import contextlib
import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from . import replica_health
from .replica_health import REPLICA

log = logging.getLogger(__name__)
T = TypeVar("T")

# Kinds of lookup key. A CERTIFICATE key is a number the public types or scans: a green food,
# organic or green-input certificate number or a GI registration number (they do not collide).
CERTIFICATE = "certificate"
COMPLIANCE = "compliance"

# Apps whose rows decide who the user is and what they may do: always read from the primary, so a
# new session, token or role works at once and a withdrawn one stops at once.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "authtoken", "axes", "otp_totp",
                               "otp_static", "django_otp", "contenttypes", "admin"})


def enabled() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "REPLICA_MAX_LAG", 5.0))


def stats_max_lag() -> float:
    return float(getattr(settings, "REPLICA_STATS_MAX_LAG", 300.0))


def mark_seconds() -> float:
    """How long a changed key reads the primary: the accepted lag, plus the age the lag measure
    may have, plus a margin for clocks and slow requests."""
    return max_lag() + replica_health.check_seconds() + 10.0


# --- The scope the router reads --------------------------------------------------------------

@dataclass
class _Scope:
    alias: str
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("sanpin_replica_scope", default=None)


def read_alias(model=None) -> str:
    """Where a read of `model` goes now (called by the router)."""
    scope = _scope.get()
    if scope is None or scope.alias == DEFAULT_DB_ALIAS or scope.wrote:
        return DEFAULT_DB_ALIAS
    if model is not None and model._meta.app_label in PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return scope.alias


def note_write() -> None:
    """A write in a scope: its later reads go to the primary, which has the write (called by the router)."""
    scope = _scope.get()
    if scope is not None:
        scope.wrote = True


@contextlib.contextmanager
def _scoped(alias: str):
    token = _scope.set(_Scope(alias))
    try:
        yield alias
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def primary():
    """Reads inside go to the primary even within an opted-in scope."""
    with _scoped(DEFAULT_DB_ALIAS) as alias:
        yield alias


def stats_alias() -> str:
    """The alias statistics read: the replica when configured and within REPLICA_STATS_MAX_LAG."""
    if enabled() and replica_health.within(stats_max_lag()):
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reads():
    """Statistics: reads inside go to the replica (when it is within the statistics' lag)."""
    with _scoped(stats_alias()) as alias:
        yield alias


def reads_view(method):
    """Decorate a view's `get` or `get_context_data` (or a function view): GET and HEAD requests
    read the replica; anything else, or a call without a request, reads the primary.

    Put on the handler, not on `dispatch`, so authentication and permission checks, which run
    before the handler, read the primary."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        request = _request_of(args)
        if request is None or request.method not in ("GET", "HEAD"):
            return method(*args, **kwargs)
        with reads():
            return method(*args, **kwargs)

    return wrapper


def _request_of(args):
    """The request among a handler's arguments: `(request, ...)`, `(view, request, ...)`, or the
    view's own `request` (`get_context_data(self, **kwargs)`)."""
    for candidate in (*args[:2], getattr(args[0], "request", None) if args else None):
        if hasattr(candidate, "method") and hasattr(candidate, "META"):
            return candidate
    return None


# --- Markers of changed keys -----------------------------------------------------------------

def _marker(kind: str, key: str) -> str:
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return f"replica:changed:{kind}:{digest}"


def _set_marker(kind: str, key: str) -> None:
    try:
        cache.set(_marker(kind, key), 1, mark_seconds())
    except Exception:  # a cache outage must not undo the change; a lookup that cannot read markers uses the primary
        log.exception("could not mark %s %s as changed for replica reads", kind, key)


def mark_changed(kind: str, key: str) -> None:
    """The public answer for `key` changes in the current transaction: its lookups read the
    primary from now (the change may still roll back: then they read the primary needlessly for a
    few seconds) until REPLICA_MARK_SECONDS after the commit."""
    if not enabled() or not key:
        return
    _set_marker(kind, key)
    transaction.on_commit(lambda: _set_marker(kind, key), robust=True)


def any_marked(keys: Iterable[tuple[str, str]]) -> bool:
    """Whether any (kind, key) was changed lately; True when the cache cannot be asked."""
    names = [_marker(kind, key) for kind, key in keys if key]
    if not names:
        return False
    try:
        return bool(cache.get_many(names))
    except Exception:  # without the markers a replica read is not known to be safe
        log.exception("could not read replica markers")
        return True


# --- Public lookups ---------------------------------------------------------------------------

def alias_for_lookup(kind: str, key: str) -> str:
    """The alias a lookup of one key may read before it starts. `lookup()` is the safe form: it
    checks the markers again after the read, which closes the window in which a change commits
    while the lookup runs."""
    if not enabled() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if not replica_health.within(max_lag()) or any_marked([(kind, key)]):
        return DEFAULT_DB_ALIAS
    return REPLICA


def lookup(read: Callable[[], T], *, keys: Iterable[tuple[str, str]],
           depends: Callable[[T], Iterable[tuple[str, str]]] | None = None) -> T:
    """Run `read()` (reads only: it may run twice) on the replica where that is safe, else on the
    primary. `keys` are the (kind, key) pairs the answer is about; `depends(result)` may add keys
    found while reading (the marks a 合格证 names). After a replica read, if any key was marked
    meanwhile, the answer is read again from the primary."""
    keys = list(keys)
    if not enabled() or connections[DEFAULT_DB_ALIAS].in_atomic_block or not replica_health.within(max_lag()):
        with primary():
            return read()
    try:
        with _scoped(REPLICA):
            result = read()
    except DatabaseError as error:
        log.warning("read replica failed, reading the primary: %s", error)
        replica_health.report_failure()
        with primary():
            return read()
    if depends is not None:
        keys = [*keys, *depends(result)]
    if any_marked(keys):
        with primary():
            return read()
    return result


# --- Receivers that mark changed keys --------------------------------------------------------

# A new row is not marked: before it, a lagging replica answers "not found", never "valid" (a
# renewal term also saves the term it replaces, which marks the number).

def _certificate_saved(sender, instance, created, **kwargs):
    if not created:
        mark_changed(CERTIFICATE, instance.number)


def _registration_saved(sender, instance, created, **kwargs):
    if not created:
        mark_changed(CERTIFICATE, instance.number)


def _compliance_saved(sender, instance, created, **kwargs):
    if not created:
        mark_changed(COMPLIANCE, instance.code)


def connect() -> None:
    """Connect the markers to the writes of the rows public lookups read (CoreConfig.ready). Model
    signals by label, so that core imports none of the apps above it. Writes that bypass model
    signals (`QuerySet.update`, bulk or raw SQL) must call `mark_changed` themselves."""
    from django.db.models.signals import post_delete, post_save

    for label, receiver in (("certificates.Certificate", _certificate_saved),
                            ("gi.GIRegistration", _registration_saved),
                            ("compliance.ComplianceCertificate", _compliance_saved)):
        post_save.connect(receiver, sender=label, dispatch_uid=f"replica.saved.{label}")
        post_delete.connect(functools.partial(_deleted, receiver), sender=label, weak=False,
                            dispatch_uid=f"replica.deleted.{label}")


def _deleted(receiver, sender, instance, **kwargs):
    receiver(sender, instance, created=False)

"""Against a real PostgreSQL streaming replica (scripts/pg_replica.sh, then DATABASE_REPLICA_URL):
opted-in reads reach the replica, writes the primary, and a certificate revoked while the replica's
replay is paused never reads as valid through `replica.lookup`.

The replica alias mirrors the primary's test database, which reaches it by physical replication;
so these tests commit (transactional_db): a TestCase transaction never leaves the primary.
"""

import os
import time

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test.utils import CaptureQueriesContext

from sanpin.accounts.models import system_user
from sanpin.certificates.models import Certificate
from sanpin.certificates.selectors import term_on
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core import clock, replica, replica_health

REPLICA = replica.REPLICA

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_REPLICA_URL"),
                       reason="needs a streaming replica: run scripts/pg_replica.sh and set DATABASE_REPLICA_URL"),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


def _on_replica(sql, params=None):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _wait_replayed(timeout=30.0):
    """Until the replica has replayed everything the primary has written so far."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not _on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


def _wait_for_test_database(timeout=120.0):
    """The test database is created on the primary as the run starts and reaches the replica only
    when the replica has replayed its creation: until then connecting fails."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connections[REPLICA].ensure_connection()
            return
        except OperationalError:
            connections[REPLICA].close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(autouse=True)
def replay_running():
    """Replay runs before and after each test, whatever the test did; fresh lag measures, no markers."""
    _wait_for_test_database()
    if _on_replica("SELECT pg_is_wal_replay_paused()"):
        _on_replica("SELECT pg_wal_replay_resume()::text")
    replica_health.forget()
    cache.clear()
    yield
    if _on_replica("SELECT pg_is_wal_replay_paused()"):
        _on_replica("SELECT pg_wal_replay_resume()::text")
    replica_health.forget()
    cache.clear()


@pytest.fixture
def certificate(gx_entity):
    issued = issue(gx_entity)
    _wait_replayed()
    return issued


def _public_status(number):
    """The lookup the public verify path makes: the term in force and its status today."""
    today = clock.today()

    def read():
        term = term_on(Certificate.objects.select_related("holder"), number, today)
        return term.effective_status(today), term._state.db

    return replica.lookup(read, keys=[(replica.CERTIFICATE, number)])


def test_the_replica_alias_is_a_hot_standby_of_the_test_database():
    assert connections[REPLICA].settings_dict["NAME"] == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    assert connections[REPLICA].settings_dict["PORT"] != connections[DEFAULT_DB_ALIAS].settings_dict["PORT"]
    assert _on_replica("SELECT pg_is_in_recovery()") is True
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False


def test_opted_in_reads_reach_the_replica_and_writes_the_primary(certificate):
    with (CaptureQueriesContext(connections[REPLICA]) as on_replica,
          CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
          replica.reads() as alias):
        assert alias == REPLICA
        found = Certificate.objects.get(pk=certificate.pk)
        assert found._state.db == REPLICA
        primary_reads = len(on_primary)
        found.trademark = "绿源二号"  # a write inside the scope goes to the primary ...
        found.save(update_fields=["trademark"])
        assert found._state.db == DEFAULT_DB_ALIAS
        again = Certificate.objects.get(pk=certificate.pk)  # ... and later reads see it there
        assert (again._state.db, again.trademark) == (DEFAULT_DB_ALIAS, "绿源二号")
    assert any("certificates_certificate" in q["sql"] for q in on_replica.captured_queries)
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries[primary_reads:])
    assert not any(q["sql"].startswith("UPDATE") for q in on_replica.captured_queries)
    # Outside a scope nothing reads the replica.
    assert Certificate.objects.get(pk=certificate.pk)._state.db == DEFAULT_DB_ALIAS


def test_a_public_lookup_reads_the_replica_when_nothing_changed(certificate):
    assert _public_status(certificate.number) == ("valid", REPLICA)


def test_a_certificate_revoked_while_replay_is_paused_never_reads_as_valid(certificate, settings):
    settings.REPLICA_MAX_LAG = 1.0
    settings.REPLICA_CHECK_SECONDS = 0.2
    _on_replica("SELECT pg_wal_replay_pause()::text")
    certificate_set_status(actor=system_user(), certificate=certificate, status="revoked", reason="抽检不合格")
    # The replica has not replayed the revocation: read directly it still says valid.
    assert Certificate.objects.using(REPLICA).get(pk=certificate.pk).status == "valid"
    # Through the lookup, the marker sends the number to the primary.
    assert _public_status(certificate.number) == ("revoked", DEFAULT_DB_ALIAS)
    # Once the marker has expired the replica is further behind than the accepted lag: the primary
    # again, never the replica's "valid".
    cache.clear()
    time.sleep(settings.REPLICA_MAX_LAG + settings.REPLICA_CHECK_SECONDS + 0.3)
    assert replica_health.lag() > settings.REPLICA_MAX_LAG
    assert _public_status(certificate.number) == ("revoked", DEFAULT_DB_ALIAS)
    # Replay resumed and caught up: the replica serves the lookup, with the new status.
    _on_replica("SELECT pg_wal_replay_resume()::text")
    _wait_replayed()
    replica_health.forget()
    assert _public_status(certificate.number) == ("revoked", REPLICA)


def test_every_lookup_during_the_lag_answers_revoked(certificate, settings):
    settings.REPLICA_MAX_LAG = 30.0
    _on_replica("SELECT pg_wal_replay_pause()::text")
    certificate_set_status(actor=system_user(), certificate=certificate, status="revoked", reason="抽检不合格")
    answers = {_public_status(certificate.number)[0] for _ in range(50)}
    assert answers == {"revoked"}


def test_an_unreachable_replica_is_not_read(certificate):
    port = connections[REPLICA].settings_dict["PORT"]
    connections[REPLICA].close()
    connections[REPLICA].settings_dict["PORT"] = 1  # nothing listens there
    replica_health.forget()
    try:
        assert replica_health.lag() is None
        assert _public_status(certificate.number) == ("valid", DEFAULT_DB_ALIAS)
        with replica.reads() as alias:
            assert alias == DEFAULT_DB_ALIAS
    finally:
        connections[REPLICA].close()
        connections[REPLICA].settings_dict["PORT"] = port
        replica_health.forget()

"""Read routing and changed-key markers of sanpin.core.replica, without a replica: where each read
goes, when a changed certificate forces the primary, and that a lookup re-reads the primary when a
key was marked while it read. tests/test_replica_streaming.py runs against a real replica."""

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import RequestFactory

from sanpin.accounts.models import User
from sanpin.certificates.models import Certificate
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core import replica, replica_health
from sanpin.core.db_router import ReplicaRouter

REPLICA = replica.REPLICA


@pytest.fixture
def with_replica(monkeypatch):
    """The code paths of a configured, healthy replica (no replica connection is opened)."""
    monkeypatch.setattr(replica, "enabled", lambda: True)
    monkeypatch.setattr(replica_health, "within", lambda max_lag: True)
    cache.clear()
    yield
    cache.clear()


def test_reads_go_to_the_primary_outside_an_opt_in_scope():
    router = ReplicaRouter()
    assert router.db_for_read(Certificate) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Certificate) == DEFAULT_DB_ALIAS


def test_in_a_scope_reads_go_to_the_replica_except_user_tables_and_after_a_write():
    router = ReplicaRouter()
    with replica._scoped(REPLICA):
        assert router.db_for_read(Certificate) == REPLICA
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS  # sessions, users, roles: always fresh
        with replica.primary():
            assert router.db_for_read(Certificate) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Certificate) == REPLICA
        assert router.db_for_write(Certificate) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Certificate) == DEFAULT_DB_ALIAS  # reads its own write
    assert router.db_for_read(Certificate) == DEFAULT_DB_ALIAS


def test_related_rows_of_a_row_read_from_the_primary_come_from_the_primary():
    router = ReplicaRouter()
    row = Certificate()
    row._state.db = DEFAULT_DB_ALIAS
    with replica._scoped(REPLICA):
        assert router.db_for_read(Certificate, instance=row) == DEFAULT_DB_ALIAS
        row._state.db = REPLICA
        assert router.db_for_read(Certificate, instance=row) == REPLICA


@pytest.mark.django_db
def test_inside_a_transaction_reads_go_to_the_primary():
    # pytest-django's test transaction is open here, as a service's would be.
    with replica._scoped(REPLICA):
        assert ReplicaRouter().db_for_read(Certificate) == DEFAULT_DB_ALIAS


def test_the_replica_never_migrates():
    router = ReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "certificates") is True
    assert router.allow_migrate(REPLICA, "certificates") is False


def test_statistics_views_opt_in_for_get_only(with_replica):
    seen = []

    @replica.reads_view
    def handler(request):
        seen.append(replica.read_alias())

    factory = RequestFactory()
    handler(factory.get("/stats/"))
    handler(factory.post("/stats/"))
    assert seen == [REPLICA, DEFAULT_DB_ALIAS]


def test_statistics_read_the_primary_when_the_replica_is_too_far_behind(with_replica, monkeypatch):
    monkeypatch.setattr(replica_health, "within", lambda max_lag: max_lag >= 600)
    with replica.reads() as alias:
        assert alias == DEFAULT_DB_ALIAS


def test_without_a_replica_nothing_is_marked_and_lookups_read_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "enabled", lambda: False)
    cache.clear()
    replica.mark_changed(replica.CERTIFICATE, "LSSZ-01-2503450001")
    assert not replica.any_marked([(replica.CERTIFICATE, "LSSZ-01-2503450001")])
    assert replica.lookup(replica.read_alias, keys=[(replica.CERTIFICATE, "LSSZ-01-2503450001")]) == DEFAULT_DB_ALIAS


def test_an_unmarked_key_is_looked_up_on_the_replica(with_replica):
    assert replica.alias_for_lookup(replica.CERTIFICATE, "LSSZ-01-2503450001") == REPLICA
    assert replica.lookup(replica.read_alias, keys=[(replica.CERTIFICATE, "LSSZ-01-2503450001")]) == REPLICA


def test_a_marked_key_is_looked_up_on_the_primary(with_replica):
    replica._set_marker(replica.CERTIFICATE, "LSSZ-01-2503450001")
    assert replica.alias_for_lookup(replica.CERTIFICATE, "LSSZ-01-2503450001") == DEFAULT_DB_ALIAS
    assert replica.lookup(replica.read_alias, keys=[(replica.CERTIFICATE, "LSSZ-01-2503450001")]) == DEFAULT_DB_ALIAS
    # Another key is not affected.
    assert replica.lookup(replica.read_alias, keys=[(replica.COMPLIANCE, "2611450102000000011")]) == REPLICA


def test_a_key_marked_while_the_replica_was_read_is_read_again_from_the_primary(with_replica):
    reads = []

    def read():
        reads.append(replica.read_alias())
        if len(reads) == 1:  # a change commits (and marks) while this lookup reads the lagging replica
            replica._set_marker(replica.CERTIFICATE, "LSSZ-01-2503450001")
        return reads[-1]

    assert replica.lookup(read, keys=[(replica.CERTIFICATE, "LSSZ-01-2503450001")]) == DEFAULT_DB_ALIAS
    assert reads == [REPLICA, DEFAULT_DB_ALIAS]


def test_keys_found_while_reading_are_checked_too(with_replica):
    replica._set_marker(replica.CERTIFICATE, "LSSZ-01-2503450001")
    answer = replica.lookup(lambda: {"alias": replica.read_alias(), "marks": ["LSSZ-01-2503450001"]},
                            keys=[(replica.COMPLIANCE, "2611450102000000011")],
                            depends=lambda found: [(replica.CERTIFICATE, n) for n in found["marks"]])
    assert answer["alias"] == DEFAULT_DB_ALIAS


def test_a_lookup_reads_the_primary_when_the_markers_cannot_be_read(with_replica, monkeypatch):
    def broken(names):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    assert replica.lookup(replica.read_alias, keys=[(replica.CERTIFICATE, "X")]) == DEFAULT_DB_ALIAS


def test_a_lookup_reads_the_primary_when_the_replica_lags(with_replica, monkeypatch):
    monkeypatch.setattr(replica_health, "within", lambda max_lag: False)
    assert replica.alias_for_lookup(replica.CERTIFICATE, "X") == DEFAULT_DB_ALIAS
    assert replica.lookup(replica.read_alias, keys=[(replica.CERTIFICATE, "X")]) == DEFAULT_DB_ALIAS


def test_markers_outlive_the_accepted_lag_and_its_measuring_interval(settings):
    settings.REPLICA_MAX_LAG = 5
    settings.REPLICA_CHECK_SECONDS = 2
    assert replica.mark_seconds() > 5 + 2


@pytest.mark.django_db(transaction=True)
def test_a_status_change_marks_the_number_inside_its_transaction_and_again_on_commit(with_replica, gx_entity,
                                                                                       monkeypatch):
    certificate = issue(gx_entity)
    assert not replica.any_marked([(replica.CERTIFICATE, certificate.number)])  # new: nothing stale to avoid
    set_at = []
    real_set = replica._set_marker
    monkeypatch.setattr(replica, "_set_marker", lambda kind, key: (set_at.append(
        (kind, key, transaction.get_connection().in_atomic_block)), real_set(kind, key)))
    certificate_set_status(actor=_system(), certificate=certificate, status="revoked", reason="抽检不合格")
    assert (replica.CERTIFICATE, certificate.number, True) in set_at  # before the commit
    assert set_at[-1] == (replica.CERTIFICATE, certificate.number, False)  # after it
    assert replica.any_marked([(replica.CERTIFICATE, certificate.number)])


@pytest.mark.django_db
def test_a_changed_compliance_certificate_is_marked_but_not_a_new_one(with_replica, gx_entity):
    from sanpin.compliance.models import ComplianceCertificate

    row = ComplianceCertificate(code="2611450102000000011", status="valid")
    replica._compliance_saved(ComplianceCertificate, row, created=True)
    assert not replica.any_marked([(replica.COMPLIANCE, row.code)])
    replica._compliance_saved(ComplianceCertificate, row, created=False, update_fields={"status"})
    assert replica.any_marked([(replica.COMPLIANCE, row.code)])


def _system():
    from sanpin.accounts.models import system_user

    return system_user()

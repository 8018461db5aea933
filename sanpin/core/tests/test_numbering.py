"""Official number sequences: unique and gap-free, even under concurrent issuing."""

import threading

import pytest
from django.db import connection, connections, transaction

from sanpin.core import numbering
from sanpin.core.models import NumberSequence


@pytest.mark.django_db
def test_sequences_count_per_key_from_one():
    with transaction.atomic():
        assert [numbering.next_value("LSSZ-01-20-2025") for _ in range(3)] == [1, 2, 3]
        assert numbering.next_value("LSSZ-02-20-2025") == 1
    assert numbering.peek("LSSZ-01-20-2025") == 3
    assert numbering.peek("unknown") == 0


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_back():
    with transaction.atomic():
        numbering.next_value("k")
    with pytest.raises(RuntimeError, match="issue failed"), transaction.atomic():
        assert numbering.next_value("k") == 2
        raise RuntimeError("issue failed")
    with transaction.atomic():
        assert numbering.next_value("k") == 2


@pytest.mark.django_db
def test_imports_move_a_sequence_forward_never_back():
    with transaction.atomic():
        numbering.ensure_at_least("k", 120)
        numbering.ensure_at_least("k", 7)
        assert numbering.next_value("k") == 121


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        numbering.next_value("k")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_32_concurrent_allocations_are_unique_and_gap_free():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this suite on PostgreSQL too")
    workers, results, errors = 32, [], []
    barrier = threading.Barrier(workers)

    def issue():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                results.append(numbering.next_value("LSSZ-01-20-2511"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == list(range(1, workers + 1))
    assert NumberSequence.objects.get(key="LSSZ-01-20-2511").last_value == workers

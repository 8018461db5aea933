"""The bulk write path of 合格证 issue: codes from the county's counter (serials), rows by COPY on
PostgreSQL and bulk_create on SQLite, all or nothing, and concurrent batches."""

import datetime
import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import bulk, codes, issuing, serials
from sanpin.compliance.api.serializers import BatchResultSerializer, batch_body
from sanpin.compliance.models import ComplianceCertificate, IssueKey
from sanpin.core import clock
from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.models import AuditEvent, NumberSequence

pytestmark = pytest.mark.django_db


def lot(n=0, **extra):
    return {"product_name": "白菜", "category": "vegetable", "quantity": f"{10 + n % 90}.5", "unit": "公斤", **extra}


@pytest.fixture
def producer(users):
    return users["gx_applicant"]


def counter(entity) -> int:
    key = serials.sequence_key(entity.region_id, serials.month_of(clock.now()))
    return NumberSequence.objects.filter(key=key).values_list("last_value", flat=True).first() or 0


def test_a_batch_gets_unique_codes_that_verify_and_moves_the_counter_once(producer, gx_entity):
    result = issuing.compliance_issue(actor=producer, items=[lot(n) for n in range(2500)], via="api")

    made = [issued.code for issued in result.issued]
    assert len(set(made)) == 2500 and all(codes.well_formed(c) and c[4:10] == gx_entity.region_id for c in made)
    assert all(codes.read_scan(url) == (code, codes.VALID) for url, code in zip(result.scan_urls(), made, strict=True))
    stored = dict(ComplianceCertificate.objects.values_list("code", "id"))
    assert stored == {issued.code: issued.id for issued in result.issued}
    assert counter(gx_entity) == 2500
    row = ComplianceCertificate.objects.get(code=made[7])
    assert (row.product_name, str(row.quantity), row.issued_by_id, row.region_id, row.status) == (
        "白菜", "17.500", producer.pk, gx_entity.region_id, "valid")
    assert AuditEvent.objects.filter(verb="compliance.issue").count() == 1


def test_codes_do_not_count_up_in_the_order_issued(producer):
    result = issuing.compliance_issue(actor=producer, items=[lot(n) for n in range(50)])
    made = [issued.code for issued in result.issued]
    serial_digits = [int(code[10:19]) for code in made]
    assert serial_digits != sorted(serial_digits)  # a permutation of the counter, not the counter itself


def test_one_bad_row_writes_nothing_and_keeps_the_counter(producer, gx_entity):
    batch = [lot(n, idempotency_key=f"k-{n}") for n in range(300)] + [lot(300, quantity="-1")]

    with pytest.raises(ValidationFailed) as refused:
        issuing.compliance_issue(actor=producer, items=batch)

    assert list(refused.value.fields) == ["300.quantity"]
    assert ComplianceCertificate.objects.count() == 0 and IssueKey.objects.count() == 0
    assert counter(gx_entity) == 0 and not AuditEvent.objects.filter(verb="compliance.issue").exists()


def test_a_failure_while_writing_rolls_back_rows_codes_and_counter(producer, gx_entity):
    with mock.patch.object(bulk, "insert_keys", side_effect=IntegrityError("key stored meanwhile")), \
            pytest.raises(Conflict):
        issuing.compliance_issue(actor=producer, items=[lot(n, idempotency_key=f"k-{n}") for n in range(200)])

    assert ComplianceCertificate.objects.count() == 0 and counter(gx_entity) == 0


def test_a_code_made_another_way_in_the_month_is_not_given_again(producer, gx_entity):
    # A certificate stored before the counter existed holds the code serial 0 would get.
    now = clock.now()
    month = serials.month_of(now)
    first = codes.codes_for(gx_entity.region_id, month, [serials.permuter()(0)])[0]
    ComplianceCertificate.objects.create(
        code=first, issued_at=now - datetime.timedelta(minutes=5), region_id=gx_entity.region_id, issuer=gx_entity,
        product_name="旧", category="vegetable", quantity=1, unit="公斤", origin="南宁", contact_phone="0771-1234567",
        basis="quality_control", issued_by=producer)

    issued = issuing.compliance_issue(actor=producer, items=lot()).issued[0]

    assert issued.code != first and codes.well_formed(issued.code)
    assert ComplianceCertificate.objects.filter(code=first).count() == 1
    assert counter(gx_entity) == 2  # serial 0 clashed, serial 1 was drawn


def test_a_batch_over_two_months_draws_from_each_months_counter(producer, gx_entity):
    now = timezone.make_aware(datetime.datetime(2026, 3, 3, 9, 0))
    with mock.patch.object(clock, "now", return_value=now):
        result = issuing.compliance_issue(actor=producer, items=[
            lot(0), lot(1, issued_at="2026-02-20 08:00"), lot(2), lot(3, issued_at="2026-02-27 17:30")])

    assert [issued.code[:4] for issued in result.issued] == ["2603", "2602", "2603", "2602"]
    for month, count in (("2603", 2), ("2602", 2)):
        key = serials.sequence_key(gx_entity.region_id, month)
        assert NumberSequence.objects.get(key=key).last_value == count


def test_certificates_are_the_stored_rows_and_a_replay_answers_the_first(producer):
    first = issuing.compliance_issue(actor=producer, items=[lot(0, idempotency_key="a"), lot(1)])
    again = issuing.compliance_issue(actor=producer, items=[lot(0, idempotency_key="a"), lot(2)])

    assert again.created == [False, True] and again.issued[0] == first.issued[0]
    for result in (first, again):
        for certificate in result.certificates:
            stored = ComplianceCertificate.objects.get(pk=certificate.pk)
            assert (stored.code, stored.issued_at, stored.quantity) == (
                certificate.code, certificate.issued_at, certificate.quantity)
    assert IssueKey.objects.get(key="a").certificate_id == first.issued[0].id


def test_the_batch_answer_is_what_the_serializer_gives(producer):
    result = issuing.compliance_issue(actor=producer, items=[lot(0, idempotency_key="x"), lot(1)])
    urls = result.scan_urls()
    rows = [{"code": i.code, "issued_at": i.issued_at, "scan_url": url, "idempotency_key": key, "created": created}
            for i, url, key, created in zip(result.issued, urls, result.keys, result.created, strict=True)]

    assert batch_body(result) == BatchResultSerializer({"count": 2, "created": 2, "results": rows}).data


@given(serial=st.integers(min_value=0, max_value=serials.SPACE - 1),
       month=st.sampled_from(["2601", "2612", "2702"]), county=st.sampled_from(["450102", "110101", "653226"]))
@settings(max_examples=300, deadline=None)
def test_codes_for_gives_the_layout_and_check_digit_of_new_code(serial, month, county):
    code = codes.codes_for(county, month, [serial])[0]
    assert code == f"{month}{county}{serial:09d}" + codes.check_digit(f"{month}{county}{serial:09d}")
    assert codes.well_formed(code)


def test_the_permutation_is_one_to_one_and_stays_in_nine_digits():
    permute = serials.permuter()
    seen = {permute(n) for n in range(20_000)}
    assert len(seen) == 20_000 and all(0 <= v < serials.SPACE for v in seen)
    top = {permute(n) for n in range(serials.SPACE - 2000, serials.SPACE)}  # the last serials walk back in too
    assert len(top) == 2000 and not top & seen and all(0 <= v < serials.SPACE for v in top)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_of_one_county_get_disjoint_codes(users, gx_entity, regions):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; CI runs this suite on PostgreSQL too")
    other = EntityFactory(name="南宁绿田合作社", region=regions["450102"])
    actors = [users["gx_applicant"], UserFactory(username="coop", roles=[Role.APPLICANT], entity=other)]
    barrier, outcomes = threading.Barrier(2), []

    def act(actor):
        try:
            barrier.wait(timeout=10)
            result = issuing.compliance_issue(actor=actor, items=[lot(n) for n in range(3000)], via="api")
            outcomes.append([issued.code for issued in result.issued])
        except Exception as exc:  # anything else is a failure the assertion below shows
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2 and all(isinstance(made, list) for made in outcomes), outcomes
    assert len(set(outcomes[0]) | set(outcomes[1])) == 6000
    assert ComplianceCertificate.objects.values("code").distinct().count() == 6000
    assert counter(gx_entity) == 6000

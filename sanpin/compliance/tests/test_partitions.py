"""On PostgreSQL the 合格证 table is partitioned by month (migration 0002); elsewhere skipped."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanpin.compliance import codes, partitions, selectors
from sanpin.compliance.models import ComplianceCertificate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL only"),
]
TABLE = ComplianceCertificate._meta.db_table


def _row(user, moment):
    body = codes.month_prefix(moment) + user.entity.region_id + "123456789"
    return ComplianceCertificate(
        code=body + codes.check_digit(body), issued_at=moment, region_id=user.entity.region_id, issuer=user.entity,
        product_name="西红柿", category="vegetable", quantity=Decimal("10"), unit="公斤", origin="广西",
        contact_phone="13800000000", basis="quality_control", issued_by=user)


def _partition_of(certificate) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [certificate.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_table_is_partitioned_by_issue_month():
    with connection.cursor() as cursor:
        cursor.execute("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        assert cursor.fetchone() == ("r",)
        names = partitions.existing(cursor)
    assert f"{TABLE}_p202401" in names and f"{TABLE}_default" in names


def test_inserts_in_two_months_land_in_two_partitions_and_are_found_by_code(users):
    user = users["gx_applicant"]
    january = timezone.make_aware(datetime.datetime(2026, 1, 31, 23, 30))  # local time: still January
    march = timezone.make_aware(datetime.datetime(2026, 3, 1, 0, 15))
    made = ComplianceCertificate.objects.bulk_create([_row(user, january), _row(user, march)])

    assert [_partition_of(c) for c in made] == [f"{TABLE}_p202601", f"{TABLE}_p202603"]
    assert selectors.by_code(made[0].code).pk == made[0].pk


def test_the_partition_job_is_idempotent_and_moves_rows_out_of_the_default(users):
    far = timezone.make_aware(datetime.datetime(2035, 6, 10, 9, 0))
    stray = ComplianceCertificate.objects.bulk_create([_row(users["gx_applicant"], far)])[0]
    assert _partition_of(stray) == f"{TABLE}_default"

    created = partitions.ensure(months_ahead=0, today=datetime.date(2035, 6, 1))

    assert created == 1
    assert _partition_of(stray) == f"{TABLE}_p203506"
    assert partitions.ensure(months_ahead=0, today=datetime.date(2035, 6, 1)) == 0
    call_command("compliance_partitions", verbosity=0)  # the coming 24 months exist already
    assert partitions.ensure() == 0

"""Monthly partitions of the 合格证 table on PostgreSQL (migration 0002 makes the table
partitioned by RANGE (issued_at)).

`ensure()` creates the partitions of the coming months (default 24 ahead), idempotently; the
daily job and `manage.py compliance_partitions` call it. A month whose rows already sit in the
DEFAULT partition (issued before its partition existed) is created as a plain table, the rows are
moved into it and it is attached, all in one transaction, so no row is ever lost or duplicated.
On SQLite, or before migration 0002, it does nothing.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import connection, transaction

from sanpin.core import clock

PARENT = "compliance_compliancecertificate"
DEFAULT = f"{PARENT}_default"
FIRST_MONTH = datetime.date(2024, 1, 1)
MONTHS_AHEAD = 24


def partition_name(month: datetime.date) -> str:
    return f"{PARENT}_p{month:%Y%m}"


def next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_until(last: datetime.date, first: datetime.date = FIRST_MONTH):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = next_month(month)


def bound(month: datetime.date) -> str:
    """The month's first instant in local time, as a timestamptz literal with its offset."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime(month.year, month.month, 1, tzinfo=zone).isoformat(sep=" ")


def create_month_sql(month: datetime.date) -> list[str]:
    """Create `month`'s partition, moving any of its rows out of the DEFAULT partition."""
    name, start, end = partition_name(month), bound(month), bound(next_month(month))
    return [
        f'CREATE TABLE "{name}" (LIKE "{PARENT}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
        f'WITH moved AS (DELETE FROM "{DEFAULT}" WHERE issued_at >= \'{start}\' AND issued_at < \'{end}\' '  # noqa: S608
        f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved',
        f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{name}" FOR VALUES FROM (\'{start}\') TO (\'{end}\')',
    ]


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [PARENT])
    return cursor.fetchone() is not None


def existing(cursor) -> set[str]:
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "WHERE i.inhparent = to_regclass(%s)", [PARENT])
    return {row[0] for row in cursor.fetchall()}


def ensure(months_ahead: int = MONTHS_AHEAD, today: datetime.date | None = None) -> int:
    """Create the missing monthly partitions from today's month through `months_ahead` months
    after it; returns how many were created. (Earlier months were made by migration 0002 or
    before; a partition archived and dropped on purpose is not brought back.)"""
    if connection.vendor != "postgresql":
        return 0
    today = today or clock.today()
    last = today.replace(day=1)
    for _ in range(months_ahead):
        last = next_month(last)
    created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return 0
        have = existing(cursor)
        for month in months_until(last, today.replace(day=1)):
            if partition_name(month) in have:
                continue
            for sql in create_month_sql(month):
                cursor.execute(sql)
            created += 1
    return created

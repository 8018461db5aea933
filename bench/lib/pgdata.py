"""Bulk rows for the benchmarks on PostgreSQL: COPY helpers and 合格证 with chains.

A helper, not a benchmark (bench/lib/ is not run by `make bench`)."""

import datetime
import random
from decimal import Decimal

COMPLIANCE_COLUMNS = ("id", "code", "issued_at", "region_code", "issuer_id", "product_name", "category", "quantity",
                      "unit", "origin", "contact_phone", "basis", "test_report_no", "mark_number", "trace_code",
                      "is_reissue", "status", "scan_count", "flagged", "issued_by_id")
LINK_COLUMNS = ("certificate_id", "certificate_issued_at", "source_id", "source_issued_at", "receiver_id", "quantity")
PRODUCTS = (("茶叶", "tea"), ("苹果", "fruit"), ("白菜", "vegetable"), ("鸡蛋", "egg"), ("草鱼", "aquatic"))


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(f"This benchmark needs PostgreSQL (DATABASE_URL=postgres://…); the database here is "
                         f"{connection.vendor}. It measures gunicorn against a psycopg floor and PostgreSQL COPY.")


def copy_rows(table: str, columns: tuple, rows) -> int:
    """COPY `rows` (tuples in `columns` order) into `table` on Django's connection; returns the count."""
    from django.db import connection

    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def code_for(region: str, issued_at: datetime.datetime, serial: int) -> str:
    """A well-formed 合格证 code (sanpin.compliance.codes' layout) unique for distinct serials < 10⁹."""
    from sanpin.compliance import codes

    body = codes.month_prefix(issued_at) + region + f"{(serial * 7919 + 12345) % 1_000_000_000:09d}"
    return body + codes.check_digit(body)


def compliance_with_chains(n: int, *, entities: list[tuple[int, str]], marks: list[str], issued_by: int,
                           rng: random.Random, days: int = 300, reissue_share: float = 0.2) -> list[int]:
    """COPY `n` 合格证 issued over the last `days` days (oldest first) by `entities` ((id, county)
    pairs); a `reissue_share` of them re-issued from two earlier ones (so chains grow several levels
    deep where a source was itself re-issued), 30% of producers' naming a real mark number. Returns
    the ids of the re-issued ones."""
    from django.db import connection
    from django.utils import timezone

    from sanpin.compliance.models import ComplianceCertificate, SourceLink

    end = timezone.now() - datetime.timedelta(hours=1)
    start = end - datetime.timedelta(days=days)
    step = (end - start) / max(n, 1)
    moments: list[datetime.datetime] = []
    reissued: list[int] = []
    links = []

    def rows():
        for i in range(n):
            at = start + step * i
            moments.append(at)
            issuer, county = entities[rng.randrange(len(entities))]
            product, category = PRODUCTS[i % len(PRODUCTS)]
            reissue = i > 1000 and rng.random() < reissue_share
            quantity = Decimal(rng.randrange(10, 5000))
            if reissue:
                reissued.append(i + 1)
                for j in rng.sample(range(max(0, i - 200_000), i), 2):
                    links.append((i + 1, at, j + 1, moments[j], issuer, quantity / 2))
            mark = marks[rng.randrange(len(marks))] if marks and not reissue and rng.random() < 0.3 else ""
            yield (i + 1, code_for(county, at, i), at, county, issuer, product, category, quantity, "公斤",
                   "某省某县", "13800000000", "quality_control", "", mark, "", reissue, "valid", 0, "", issued_by)

    copy_rows(ComplianceCertificate._meta.db_table, COMPLIANCE_COLUMNS, rows())
    copy_rows(SourceLink._meta.db_table, LINK_COLUMNS, links)
    with connection.cursor() as cursor:
        table = ComplianceCertificate._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), %s)", [n + 1])
    return reissued

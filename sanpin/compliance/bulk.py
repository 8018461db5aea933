"""Writing many 合格证 rows at once, inside the caller's transaction.

On PostgreSQL the ids come from the table's identity sequence in one query and the rows go in with
COPY (psycopg 3's `cursor.copy`) on Django's connection, so they commit or roll back with the
service's transaction; a constraint violation surfaces as Django's IntegrityError like any other
write. On SQLite (the embedded default) `bulk_create`, which returns the ids.

Rows are tuples in `CERTIFICATE_COLUMNS` / `KEY_COLUMNS` order: no model instance per row.
"""

from django.db import connection

from .models import ComplianceCertificate, IssueKey

CERTIFICATE_COLUMNS = ("code", "issued_at", "region_code", "issuer_id", "product_name", "category", "quantity",
                       "unit", "origin", "contact_phone", "basis", "test_report_no", "mark_number", "trace_code",
                       "is_reissue", "status", "scan_count", "flagged", "issued_by_id")
KEY_COLUMNS = ("issuer_id", "key", "body_hash", "certificate_id", "certificate_issued_at", "created_at")
SQLITE_BATCH = 1000


def _attnames(model, columns) -> list[str]:
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    return [by_column[c] for c in columns]


def _copy(table: str, columns: tuple, rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _new_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        # The sequence's name is looked up once (a subquery), and the ids come back as one array.
        cursor.execute("SELECT array_agg(nextval(seq)) FROM "
                       "(SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) s "
                       "CROSS JOIN generate_series(1, %s)", [connection.ops.quote_name(table), count])
        return cursor.fetchone()[0]


def insert_certificates(rows: list[tuple]) -> list[int]:
    """Insert certificate rows (CERTIFICATE_COLUMNS order); their ids, in order."""
    if not rows:
        return []
    table = ComplianceCertificate._meta.db_table
    if connection.vendor == "postgresql":
        ids = _new_ids(table, len(rows))
        _copy(table, (*CERTIFICATE_COLUMNS, "id"), ((*row, pk) for row, pk in zip(rows, ids, strict=True)))
        return ids
    names = _attnames(ComplianceCertificate, CERTIFICATE_COLUMNS)
    made = ComplianceCertificate.objects.bulk_create(
        (ComplianceCertificate(**dict(zip(names, row, strict=True))) for row in rows), batch_size=SQLITE_BATCH)
    return [certificate.pk for certificate in made]


def insert_keys(rows: list[tuple]) -> None:
    """Insert idempotency keys (KEY_COLUMNS order). A key another request stored meanwhile raises
    IntegrityError (the issue service retries once and then answers that request's certificate)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(IssueKey._meta.db_table, KEY_COLUMNS, rows)
        return
    names = _attnames(IssueKey, KEY_COLUMNS)
    IssueKey.objects.bulk_create((IssueKey(**dict(zip(names, row, strict=True))) for row in rows),
                                 batch_size=SQLITE_BATCH)


def taken(codes_by_month: dict[str, list[str]], bounds) -> set[str]:
    """The codes among `codes_by_month` (YYMM → codes) already stored in their month; `bounds(month)`
    gives the month's [start, end) so that PostgreSQL reads one partition. One query a month."""
    found: set[str] = set()
    table = connection.ops.quote_name(ComplianceCertificate._meta.db_table)
    for month, many in codes_by_month.items():
        start, end = bounds(month)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT code FROM {table} WHERE issued_at >= %s AND issued_at < %s "  # noqa: S608
                               f"AND code = ANY(%s)", [start, end, many])
                found.update(row[0] for row in cursor.fetchall())
            continue
        for offset in range(0, len(many), SQLITE_BATCH):
            found.update(ComplianceCertificate.objects.filter(
                code__in=many[offset:offset + SQLITE_BATCH], issued_at__gte=start, issued_at__lt=end,
            ).values_list("code", flat=True))
    return found

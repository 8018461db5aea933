"""Writing the checked rows of a base import: the bases (status 按标建设) and one first history row
each, in batches inside the caller's transaction, with progress after each batch.

Two writers keep the same rows: on PostgreSQL, COPY (each row kept as its line of COPY text from
the moment it passes the checks, ids reserved from the table's sequence in one query); on other
engines, bulk_create. The values of the columns an import does not fill (status, timestamps,
empty directory fields, the creator) come from the model itself, so both write what the ORM
would (sanpin/bases/tests/test_import_copy.py compares them)."""

import re

from django.db import connection

from sanpin.core import clock

from .choices import BaseStatus
from .models import Base, BaseStatusChange
from .validation import FIELDS

BATCH = 2000
_COUNTY, _OPERATOR = FIELDS.index("county"), FIELDS.index("operator")
# The import's cleaned values hold the county's Region and the operator's id.
ATTNAMES = tuple("county_id" if name == "county" else "operator_id" if name == "operator" else name
                 for name in FIELDS)


def writer_for(*, actor, reason: str):
    """The writer for the default database's engine."""
    if connection.vendor == "postgresql":
        return CopyRows(actor=actor, reason=reason)
    return ModelRows(actor=actor, reason=reason)


class ModelRows:
    """Each row kept as a tuple (county code, operator id: no model instance until written);
    written with bulk_create, BATCH rows at a time."""

    def __init__(self, *, actor, reason: str):
        self.actor, self.reason, self.rows = actor, reason, []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, cleaned: list) -> None:
        values = list(cleaned)
        values[_COUNTY] = cleaned[_COUNTY].code
        self.rows.append(tuple(values))

    def write(self, progress, stage: str) -> None:
        today, total = clock.today(), len(self.rows)
        for start in range(0, total, BATCH):
            chunk = self.rows[start:start + BATCH]
            bases = Base.objects.bulk_create(
                [Base(created_by=self.actor, status=BaseStatus.BUILDING, **dict(zip(ATTNAMES, values, strict=True)))
                 for values in chunk])
            BaseStatusChange.objects.bulk_create(
                [BaseStatusChange(base=base, from_status="", to_status=BaseStatus.BUILDING, on=today,
                                  actor=self.actor, reason=self.reason) for base in bases])
            progress(start + len(chunk), total, stage)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _constants(instance, skip: set[str]) -> tuple[list[str], list[str]]:
    """Column names and COPY text of the fields of a new `instance` the import does not vary,
    as the ORM would save them (pre_save gives the creation time, defaults the rest)."""
    columns, texts = [], []
    for field in type(instance)._meta.concrete_fields:
        if field.primary_key or field.attname in skip:
            continue
        columns.append(field.column)
        texts.append(_copy_text(field.get_db_prep_save(field.pre_save(instance, add=True), connection)))
    return columns, texts


class CopyRows:
    """Each row kept as its line of COPY text (a compact string instead of a tuple of objects),
    the id left for last; written with COPY, BATCH bases and their history rows at a time."""

    def __init__(self, *, actor, reason: str):
        self.actor, self.reason, self.lines = actor, reason, []
        base = Base(created_by=self.actor, status=BaseStatus.BUILDING)
        columns, texts = _constants(base, skip=set(ATTNAMES))
        field_columns = [Base._meta.get_field(name).column for name in FIELDS]
        self._base_columns = [*field_columns, *columns, Base._meta.pk.column]
        self._base_tail = "\t" + "\t".join(texts) + "\t"
        history = BaseStatusChange(from_status="", to_status=BaseStatus.BUILDING, on=clock.today(),
                                   actor=self.actor, reason=self.reason)
        columns, texts = _constants(history, skip={"base_id"})
        self._history_columns = [BaseStatusChange._meta.get_field("base").column, *columns]
        self._history_tail = "\t" + "\t".join(texts) + "\n"

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, cleaned: list) -> None:
        values = list(cleaned)
        values[_COUNTY] = cleaned[_COUNTY].code
        if _SPECIAL.search("".join([v for v in values if type(v) is str])):
            line = "\t".join([_copy_text(v) for v in values])  # rare: a tab, a line break or a backslash
        else:
            line = "\t".join([("\\N" if v is None else str(v)) for v in values])
        self.lines.append(line + self._base_tail)

    def _reserve_ids(self, cursor, count: int):
        """`count` ids from the table's own sequence in one query. Usually they come out as one
        run and only the first and last travel; if another session drew ids at the same moment,
        the list itself is read."""
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [Base._meta.db_table, Base._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "WITH drawn AS (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s))"
            " SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL"
            " ELSE array_agg(id ORDER BY id) END FROM drawn", [sequence, count])
        first, last, ids = cursor.fetchone()
        return range(first, last + 1) if ids is None else ids

    def write(self, progress, stage: str) -> None:
        quote, total = connection.ops.quote_name, len(self.lines)
        bases = f"COPY {quote(Base._meta.db_table)} ({', '.join(map(quote, self._base_columns))}) FROM STDIN"
        history = (f"COPY {quote(BaseStatusChange._meta.db_table)} "
                   f"({', '.join(map(quote, self._history_columns))}) FROM STDIN")
        with connection.cursor() as cursor, connection.wrap_database_errors:
            ids = self._reserve_ids(cursor, total)
            raw = cursor.cursor  # psycopg's own cursor: Django has no COPY
            for start in range(0, total, BATCH):
                chunk = range(start, min(start + BATCH, total))
                with raw.copy(bases) as copy:
                    copy.write("".join([f"{self.lines[i]}{ids[i]}\n" for i in chunk]))
                with raw.copy(history) as copy:
                    copy.write("".join([f"{ids[i]}{self._history_tail}" for i in chunk]))
                progress(chunk.stop, total, stage)

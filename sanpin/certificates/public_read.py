"""The public verification answer of a number, read with two plain SQL statements.

Verification by number is, after the 合格证 scan, the busiest public lookup, and nearly every
lookup of a real day is a number nobody asked for in the last minutes, so it misses the cache.
Built through querysets and serializers, such a miss spent most of its time compiling SQL and
copying serializer fields. This module answers the same body (`verification_body` of
`selectors.verify_number`; a parity test compares both over every kind of term) from the term
in force with its holder, and the public history of the number. The pages keep the ORM path, and
so does SQLite (development and the default tests), whose raw rows carry text for dates and decimals.
"""

import datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from sanpin.catalog.models import Entity
from sanpin.core import replica

from .choices import EXPIRED, LAPSING, category_label
from .models import Certificate, StatusChange, quantity_text

NOT_FOUND = "not_found"

_CERTIFICATE = Certificate._meta.db_table
_CHANGE = StatusChange._meta.db_table
_ENTITY = Entity._meta.db_table

# The term in force on a day (selectors.term_on): the latest that has started, else the earliest.
TERM_SQL = (
    "SELECT e.name, t.scheme, t.category, t.product_name, t.trademark, t.approved_output, t.output_unit, "  # noqa: S608 - table names from the models
    "t.valid_from, t.valid_until, t.status "
    f"FROM {_CERTIFICATE} t JOIN {_ENTITY} e ON e.id = t.holder_id WHERE t.number = %s "
    "ORDER BY COALESCE(t.valid_from <= %s, FALSE) DESC, "
    "CASE WHEN t.valid_from <= %s THEN t.valid_from END DESC, CASE WHEN t.valid_from <= %s THEN t.id END DESC, "
    "t.valid_from, t.id LIMIT 1")
# Every change of every term of the number, oldest first: only the status and the day are public.
HISTORY_SQL = (
    f"SELECT s.to_status, s.at FROM {_CHANGE} s JOIN {_CERTIFICATE} c ON c.id = s.certificate_id "  # noqa: S608
    "WHERE c.number = %s ORDER BY s.at, s.id")


def _read(number: str, today: datetime.date) -> dict | None:
    with connections[replica.read_alias(Certificate)].cursor() as cursor:
        cursor.execute(TERM_SQL, [number, today, today, today])
        term = cursor.fetchone()
        if term is None:
            return None
        cursor.execute(HISTORY_SQL, [number])
        changes = cursor.fetchall()
    holder, scheme, category, product, trademark, output, unit, valid_from, valid_until, status = term
    if status in LAPSING and valid_until < today:
        status = EXPIRED
    return {"result": status, "number": number, "holder": holder, "product": product,
            "category": category_label(scheme, category), "trademark": trademark,
            "approved_output": quantity_text(output), "output_unit": unit,
            "valid_from": valid_from, "valid_until": valid_until,
            "status_history": [{"to_status": to_status, "on": timezone.localdate(at).isoformat()}
                               for to_status, at in changes]}


def verification_body(number: str, today: datetime.date, signature: str) -> dict:
    """The body `verification_body(verify_number(number, today, signature))` answers, read from
    the replica where that is safe (sanpin.core.replica)."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        from .api.serializers import verification_body as orm_body
        from .selectors import verify_number

        return orm_body(verify_number(number, today, signature, cached=False))
    body = replica.lookup(lambda: _read(number, today), keys=[(replica.CERTIFICATE, number)]) if number else None
    if body is None:
        return {"result": NOT_FOUND, "signature": signature, "number": number, "holder": None, "product": None,
                "category": None, "trademark": None, "approved_output": None, "output_unit": None,
                "valid_from": None, "valid_until": None, "status_history": []}
    return {"result": body.pop("result"), "signature": signature, **body}

"""The parts of a public scan answer read with plain SQL: what never changes for a code (the
certificate, its chain back to every source, the producers) and the status of the marks it names.

Most scans of a real day are of codes nobody scanned minutes before, so they miss the cache; built
through querysets and serializers, such a miss spent most of its time compiling SQL and copying
serializer fields. Here a miss costs one statement for the certificate (with whether it cites
sources), one recursive statement for the whole chain when it has one, and one or two for the
marks. The answers are those of the ORM path (`selectors.by_code` / `chain` / `mark_status` through
the API serializers), which parity tests compare over chains, merges, truncation and every mark
status; the pages keep that path, and so does SQLite (development and the default tests), whose
raw rows carry text for dates and decimals.
"""

import datetime
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections
from rest_framework import serializers

from sanpin.catalog.models import Entity
from sanpin.certificates.choices import EXPIRED, EXPIRED_LABEL, LAPSING, EffectiveStatus, Scheme
from sanpin.certificates.models import Certificate
from sanpin.core import replica

from . import codes, selectors
from .choices import COMMITMENT_TEXT
from .models import ComplianceCertificate, SourceLink

_CERT = ComplianceCertificate._meta.db_table
_LINK = SourceLink._meta.db_table
_ENTITY = Entity._meta.db_table
_TERM = Certificate._meta.db_table

# Reachable links beyond this are walked level by level (selectors.chain) instead.
MAX_LINKS = 5000

# Formatting exactly as the API serializers do.
_DATETIME = serializers.DateTimeField()
_QUANTITY = serializers.DecimalField(max_digits=14, decimal_places=3)

CERTIFICATE_SQL = (
    "SELECT c.id, c.code, c.issued_at, e.name, c.product_name, c.category, c.quantity, c.unit, c.origin, "  # noqa: S608 - table names from the models
    "c.contact_phone, c.basis, c.test_report_no, c.trace_code, c.is_reissue, c.scan_count, c.flagged, "
    f"c.mark_number, EXISTS (SELECT 1 FROM {_LINK} l WHERE l.certificate_id = c.id) "
    f"FROM {_CERT} c JOIN {_ENTITY} e ON e.id = c.issuer_id "
    "WHERE c.code = %s AND c.issued_at >= %s AND c.issued_at < %s LIMIT 1")

# Every link reachable from the root down to MAX_DEPTH, with each link's source as the public sees
# it. The walk follows the links of every source, re-issue or not (only the links table, on its
# index: a join to the partitioned 合格证 inside the recursion made PostgreSQL scan them); `_walk`
# then follows re-issues only, as `selectors.chain` does, so the extra links are never used.
CHAIN_SQL = (
    f"WITH RECURSIVE walk(link_id, certificate_id, source_id, source_issued_at, depth) AS ("  # noqa: S608
    f" SELECT l.id, l.certificate_id, l.source_id, l.source_issued_at, 1 FROM {_LINK} l WHERE l.certificate_id = %s"
    " UNION"
    " SELECT l.id, l.certificate_id, l.source_id, l.source_issued_at, w.depth + 1 FROM walk w"
    f" JOIN {_LINK} l ON l.certificate_id = w.source_id WHERE w.depth < %s)"
    " SELECT DISTINCT ON (w.link_id) w.link_id, w.certificate_id, c.id, c.code, c.issued_at, e.name, c.product_name,"
    " c.quantity, c.unit, c.origin, c.is_reissue, c.mark_number"
    f" FROM walk w JOIN {_CERT} c ON c.id = w.source_id AND c.issued_at = w.source_issued_at"
    f" JOIN {_ENTITY} e ON e.id = c.issuer_id ORDER BY w.link_id LIMIT %s")

# The term of each number in force on a day (certificates.selectors.term_on), with its holder.
MARKS_SQL = (
    "SELECT DISTINCT ON (t.number) t.number, t.scheme, t.status, t.valid_until, e.name, t.product_name "  # noqa: S608
    f"FROM {_TERM} t JOIN {_ENTITY} e ON e.id = t.holder_id WHERE t.number = ANY(%s) "
    "ORDER BY t.number, COALESCE(t.valid_from <= %s, FALSE) DESC, "
    "CASE WHEN t.valid_from <= %s THEN t.valid_from END DESC, CASE WHEN t.valid_from <= %s THEN t.id END DESC, "
    "t.valid_from, t.id")


def _postgresql() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def _display(field_name: str, value: str) -> str:
    choices = dict(ComplianceCertificate._meta.get_field(field_name).flatchoices)
    return str(choices.get(value, value))


# --- What never changes for a code ----------------------------------------------------------------

def static(code: str) -> dict | None:
    """The unchanging part of the scan answer of `code` and the mark numbers it names, as
    `compliance.api.public` caches it; None when no such certificate was issued."""
    if not _postgresql():
        return _static_orm(code)
    if not codes.well_formed(code):
        return None
    start, end = codes.month_range(code)
    with connections[replica.read_alias(ComplianceCertificate)].cursor() as cursor:
        cursor.execute(CERTIFICATE_SQL, [code, start, end])
        row = cursor.fetchone()
        if row is None:
            return None
        (pk, code, issued_at, producer, product, category, quantity, unit, origin, phone, basis, report, trace,
         is_reissue, scan_count, flagged, mark_number, cites) = row
        links = []
        if is_reissue or cites:
            cursor.execute(CHAIN_SQL, [pk, selectors.MAX_DEPTH, MAX_LINKS])
            links = cursor.fetchall()
    if len(links) >= MAX_LINKS:
        return _static_orm(code)
    sources, producers, truncated = _walk(pk, links)
    certificate = {
        "title": "承诺达标合格证", "code": code, "issued_at": _DATETIME.to_representation(issued_at),
        "producer": producer, "product_name": product, "category": category,
        "category_label": _display("category", category), "quantity": _QUANTITY.to_representation(quantity),
        "unit": unit, "origin": origin, "contact_phone": phone, "basis": basis,
        "basis_label": _display("basis", basis), "test_report_no": report, "commitment": str(COMMITMENT_TEXT),
        "trace_code": trace, "is_reissue": is_reissue, "scan_count": scan_count, "possible_copy": flagged}
    chain = [{"code": node[1], "issued_at": _DATETIME.to_representation(node[2]), "producer": node[3],
              "product_name": node[4], "quantity": _QUANTITY.to_representation(node[5]), "unit": node[6],
              "origin": node[7], "is_reissue": node[8], "depth": depth} for depth, node in sources]
    numbers = list(dict.fromkeys(n for n in [mark_number, *(node[9] for _, node in sources)] if n))
    return {"certificate": certificate, "chain": chain,
            "producers": producers if is_reissue else [producer], "chain_truncated": truncated,
            "mark_numbers": numbers}


def _walk(root: int, links: list) -> tuple[list, list, bool]:
    """selectors.chain over the reachable links: level by level in link order, each certificate
    once at its first depth, bounded by MAX_DEPTH and MAX_NODES. Returns the sources nearest first
    as (depth, node), the producers' names and whether the walk stopped at a bound."""
    by_certificate = defaultdict(list)
    nodes = {}
    for link_id, certificate_id, *node in links:
        by_certificate[certificate_id].append((link_id, certificate_id, node))
    depth, cited, truncated = {root: 0}, set(), False
    frontier, level = ([root] if links else []), 0
    while frontier:
        if level >= selectors.MAX_DEPTH:
            truncated = True
            break
        level += 1
        following = []
        for _, certificate_id, node in sorted(item for pk in frontier for item in by_certificate[pk]):
            cited.add(certificate_id)
            pk = node[0]
            if pk in depth:
                continue
            if len(depth) >= selectors.MAX_NODES:
                truncated = True
                continue
            depth[pk], nodes[pk] = level, node
            following.append(node)
        frontier = [node[0] for node in following if node[8]]
    sources = sorted(((depth[pk], node) for pk, node in nodes.items()), key=lambda item: (item[0], item[1][0]))
    producers = [node[3] for _, node in sources if node[0] not in cited]
    return sources, producers, truncated


def _static_orm(code: str) -> dict | None:
    from .api.public import public_body

    certificate = selectors.by_code(code)
    if certificate is None:
        return None
    graph = selectors.chain(certificate)
    body = public_body(selectors.PublicAnswer(selectors.VALID, code, certificate=certificate, chain=graph))
    return {key: body[key] for key in ("certificate", "chain", "producers", "chain_truncated")} | {
        "mark_numbers": selectors.mark_numbers(certificate, graph)}


# --- The marks ----------------------------------------------------------------------------------

MARK_FIELDS = ("number", "kind", "status", "label", "holder", "product", "warning")


def mark_body(status: selectors.MarkStatus) -> dict:
    return {name: str(getattr(status, name)) for name in MARK_FIELDS}


def marks(numbers: list[str], today: datetime.date) -> dict[str, dict]:
    """{number: the mark as a scan shows it} for each of `numbers` (selectors.mark_status)."""
    numbers = [n for n in dict.fromkeys(numbers) if n]
    if not _postgresql():
        return {n: mark_body(selectors.mark_status(n, today)) for n in numbers}
    found = {}
    with connections[replica.read_alias(Certificate)].cursor() as cursor:
        cursor.execute(MARKS_SQL, [numbers, today, today, today])
        for number, scheme, status, valid_until, holder, product in cursor.fetchall():
            if status in LAPSING and valid_until < today:
                status = EXPIRED
            label = EXPIRED_LABEL if status == EXPIRED else EffectiveStatus(status).label
            warning = selectors.MARK_WARNINGS.get(status, "")
            found[number] = mark_body(selectors.MarkStatus(number, str(Scheme(scheme).label), status, str(label),
                                                           holder, product, str(warning)))
    # GI registrations and unknown numbers: few, and answered as the page answers them.
    return {n: found.get(n) or mark_body(selectors.mark_status(n, today)) for n in numbers}

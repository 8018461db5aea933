"""The floor of the public-endpoint benchmark: a minimal WSGI app doing what the two public
endpoints must do, with nothing else (no Django, no middleware, no throttling, no cache).

- GET /api/v1/public/verify/?code=<number or signed scan URL>: the signature check (Ed25519), the
  term of the number in force today with its holder (one indexed query) and its public status
  history (one indexed query); the same JSON fields as sanpin's answer.
- GET /api/v1/public/compliance/<code>/?s=<signature>: the check digit and signature, the 合格证 by
  code within its month's partition with its issuer, the chain back to its sources (one recursive
  query, only for a re-issued one), the linked marks (one query when there are any), and the scan
  counted (one UPDATE); the same top-level JSON fields as sanpin's answer.

Served by gunicorn with deploy/gunicorn.conf.py, like sanpin (bench/http_public.py starts it).
Reads FLOOR_DSN (a libpq URL) and FLOOR_PUBLIC_KEYS (JSON: kid → base64 raw Ed25519 public key).
A helper, not a benchmark: it lives in bench/lib/ so that `make bench` does not run it.
"""

import base64
import binascii
import datetime
import decimal
import json
import os
import re
import zoneinfo
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
KEYS = {kid: Ed25519PublicKey.from_public_bytes(base64.b64decode(raw))
        for kid, raw in json.loads(os.environ.get("FLOOR_PUBLIC_KEYS", "{}")).items()}
VERIFY_PATH = re.compile(r"/v/(?P<number>[^/?#]+)/?$")
COMPLIANCE_PATH = re.compile(r"^/api/v1/public/compliance/(?P<code>[^/]+)/$")
LAPSING = {"valid", "in_rectification", "suspended"}
_connection = None


def db():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["FLOOR_DSN"], autocommit=True)
    return _connection


def check(domain: str, subject: str, token: str) -> str:
    if not token:
        return "missing"
    kid, _, sig = token.partition(".")
    key = KEYS.get(kid)
    if key is None or not sig:
        return "bad"
    try:
        key.verify(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)), (domain + subject).encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return "bad"
    return "valid"


def _json(value):
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.astimezone(ZONE).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value))


def verify(query: dict) -> dict:
    text = (query.get("code") or [""])[0].strip()
    signature = "missing"
    if "/" in text or "?" in text:
        parts = urlsplit(text if "://" in text else "http://x/" + text.lstrip("/"))
        match = VERIFY_PATH.search(parts.path)
        number = unquote(match.group("number")) if match else ""
        signature = check("sanpin:v1:", number, (parse_qs(parts.query).get("s") or [""])[0]) if match else "bad"
    else:
        number = text.upper()
    body = {"result": "forged", "signature": signature, "number": number, "holder": None, "product": None,
            "category": None, "trademark": None, "approved_output": None, "output_unit": None,
            "valid_from": None, "valid_until": None, "status_history": []}
    if signature == "bad":
        return body
    today = datetime.datetime.now(ZONE).date()
    with db().cursor() as cursor:
        cursor.execute(
            "SELECT e.name, c.product_name, c.category, c.trademark, c.approved_output, c.output_unit, "
            "c.valid_from, c.valid_until, c.status FROM certificates_certificate c "
            "JOIN catalog_entity e ON e.id = c.holder_id WHERE c.number = %s "
            "ORDER BY c.valid_from > %s, CASE WHEN c.valid_from <= %s THEN c.valid_from END DESC, c.valid_from, "
            "c.id DESC LIMIT 1", [number, today, today])
        row = cursor.fetchone()
        if row is None:
            body["result"] = "not_found"
            return body
        cursor.execute("SELECT s.to_status, s.at FROM certificates_statuschange s JOIN certificates_certificate c "
                       "ON c.id = s.certificate_id WHERE c.number = %s ORDER BY s.at, s.id", [number])
        history = [{"to_status": status, "on": at.astimezone(ZONE).date()} for status, at in cursor.fetchall()]
    holder, product, category, trademark, output, unit, valid_from, valid_until, status = row
    expired = status in LAPSING and valid_until < today
    body.update(result="expired" if expired else status, holder=holder, product=product, category=category,
                trademark=trademark, approved_output=output, output_unit=unit, valid_from=valid_from,
                valid_until=valid_until, status_history=history)
    return body


def luhn_ok(code: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(code[:-1])):
        value = int(char)
        if index % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str((10 - total % 10) % 10) == code[-1] and 1 <= int(code[2:4]) <= 12


CERTIFICATE = ("SELECT c.id, c.issued_at, e.name, c.product_name, c.category, c.quantity, c.unit, c.origin, "
               "c.contact_phone, c.basis, c.test_report_no, c.trace_code, c.is_reissue, c.scan_count, c.flagged, "
               "c.status, c.mark_number FROM compliance_compliancecertificate c "
               "JOIN catalog_entity e ON e.id = c.issuer_id "
               "WHERE c.code = %s AND c.issued_at >= %s AND c.issued_at < %s LIMIT 1")
CHAIN = ("WITH RECURSIVE walk(id, issued_at, depth) AS ("
         " SELECT l.source_id, l.source_issued_at, 1 FROM compliance_sourcelink l WHERE l.certificate_id = %s"
         " UNION SELECT l.source_id, l.source_issued_at, w.depth + 1 FROM walk w"
         " JOIN compliance_sourcelink l ON l.certificate_id = w.id WHERE w.depth < 12)"
         " SELECT DISTINCT ON (c.id) c.code, c.issued_at, e.name, c.product_name, c.quantity, c.unit, c.origin,"
         " c.is_reissue, w.depth, c.mark_number FROM walk w"
         " JOIN compliance_compliancecertificate c ON c.id = w.id AND c.issued_at = w.issued_at"
         " JOIN catalog_entity e ON e.id = c.issuer_id ORDER BY c.id, w.depth LIMIT 500")
MARKS = ("SELECT DISTINCT ON (c.number) c.number, c.scheme, c.status, c.valid_until, e.name, c.product_name"
         " FROM certificates_certificate c JOIN catalog_entity e ON e.id = c.holder_id"
         " WHERE c.number = ANY(%s) ORDER BY c.number, c.valid_from > %s, c.valid_from DESC")


def compliance(code: str, query: dict) -> dict:
    token = (query.get("s") or [""])[0]
    signature = check("sanpin:compliance:v1:", code, token)
    body = {"result": "forged", "code": code, "signature": signature, "certificate": None, "marks": [],
            "chain": [], "producers": [], "chain_truncated": False}
    if signature == "bad" or not (len(code) == 20 and code.isdigit() and luhn_ok(code)):
        return body
    year, month = 2000 + int(code[:2]), int(code[2:4])
    start = datetime.datetime(year, month, 1, tzinfo=ZONE)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=ZONE)
    today = datetime.datetime.now(ZONE).date()
    with db().cursor() as cursor:
        cursor.execute(CERTIFICATE, [code, start, end])
        row = cursor.fetchone()
        if row is None:
            body["result"] = "not_found"
            return body
        (pk, issued_at, issuer, product, category, quantity, unit, origin, phone, basis, report, trace,
         is_reissue, scans, flagged, status, mark) = row
        chain = []
        if is_reissue:
            cursor.execute(CHAIN, [pk])
            chain = sorted(cursor.fetchall(), key=lambda r: r[8])
        numbers = list(dict.fromkeys(n for n in [mark, *(r[9] for r in chain)] if n))
        marks = []
        if numbers:
            cursor.execute(MARKS, [numbers, today])
            for number, scheme, mark_status, valid_until, holder, mark_product in cursor.fetchall():
                lapsed = mark_status in LAPSING and valid_until < today
                marks.append({"number": number, "kind": scheme, "status": "expired" if lapsed else mark_status,
                              "label": "", "holder": holder, "product": mark_product, "warning": ""})
        cursor.execute("UPDATE compliance_compliancecertificate SET scan_count = scan_count + 1 "
                       "WHERE id = %s AND issued_at = %s", [pk, issued_at])
    body.update(result="voided" if status == "voided" else "valid", marks=marks, certificate={
        "title": "承诺达标合格证", "code": code, "issued_at": issued_at, "producer": issuer, "product_name": product,
        "category": category, "category_label": category, "quantity": quantity, "unit": unit, "origin": origin,
        "contact_phone": phone, "basis": basis, "basis_label": basis, "test_report_no": report,
        "commitment": "", "trace_code": trace, "is_reissue": is_reissue, "scan_count": scans + 1,
        "possible_copy": flagged})
    body["chain"] = [{"code": r[0], "issued_at": r[1], "producer": r[2], "product_name": r[3], "quantity": r[4],
                      "unit": r[5], "origin": r[6], "is_reissue": r[7], "depth": r[8]} for r in chain]
    body["producers"] = [r[2] for r in chain if not r[7]] if is_reissue else [issuer]
    return body


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/api/v1/public/verify/":
        body = verify(query)
    elif match := COMPLIANCE_PATH.match(path):
        body = compliance(unquote(match.group("code"))[:40], query)
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    data = json.dumps(body, ensure_ascii=False, default=_json).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]

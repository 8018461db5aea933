"""Counting scans of a 合格证 and flagging possible copies.

A scan must stay cheap at national volume: one `UPDATE … SET scan_count = scan_count + 1` on the
certificate's own partition (id and issued_at in the WHERE), plus a short list of recent scans in
the cache (Redis in production), never a row per scan. A certificate is flagged as a possible copy
(疑似复制), with the reason stored on it, when

- it is scanned from places far apart within a short time (two scans with coordinates more than
  FAR_KM apart within FAR_WINDOW; without coordinates, from more than MAX_NETWORKS distinct
  networks within an hour), or
- it is scanned far more often than its quantity allows (`allowed_scans`).

The flag is set once (the first reason is kept); staff see it on the certificate.
"""

import datetime
import decimal
import ipaddress
import json
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from sanpin.core import clock
from sanpin.core.cache_client import redis_client

from . import codes
from .models import ComplianceCertificate

RECENT = 20
RECENT_SECONDS = 6 * 3600
FAR_KM = 300
FAR_WINDOW = datetime.timedelta(hours=3)
NETWORK_WINDOW = datetime.timedelta(hours=1)
MAX_NETWORKS = 10
BASE_SCANS = 100
SCANS_PER_PACK = 5
# Retail packs one unit of quantity may become (a pack is scanned by its buyer, a market, an
# inspector): weight units by a 500 g pack, countable units one pack each.
PACKS_PER_UNIT = {
    "吨": 2000, "t": 2000, "公斤": 2, "千克": 2, "kg": 2, "斤": 1, "克": 0.002, "g": 0.002,
}


def allowed_scans(quantity, unit: str) -> int:
    packs = float(quantity) * PACKS_PER_UNIT.get((unit or "").strip().lower(), 1)
    return int(BASE_SCANS + SCANS_PER_PACK * math.ceil(packs))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


def parse_location(text: str) -> tuple[float, float] | None:
    """`lat,lng` as a phone sends it; None when absent or out of range."""
    try:
        lat, lng = (float(part) for part in (text or "").split(",", 1))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _network(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 16 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _reason(quantity, unit: str, count: int, recent: list, now: datetime.datetime) -> str:
    located = [(at, place) for at, place, _ in recent if place and now - at <= FAR_WINDOW]
    for i, (at_a, place_a) in enumerate(located):
        for at_b, place_b in located[i + 1:]:
            distance = _km(place_a, place_b)
            if distance > FAR_KM and abs(at_a - at_b) <= FAR_WINDOW:
                return _("%(hours)d 小时内在相距约 %(km)d 公里的两地被扫码") % {
                    "hours": FAR_WINDOW.total_seconds() // 3600, "km": distance}
    networks = {net for at, _, net in recent if net and now - at <= NETWORK_WINDOW}
    if len(networks) > MAX_NETWORKS:
        return _("1 小时内从 %(n)d 个不同网络被扫码") % {"n": len(networks)}
    allowed = allowed_scans(quantity, unit)
    if count > allowed:
        return _("已被扫码 %(count)d 次，远超数量 %(q)s%(unit)s 可支持的约 %(allowed)d 次") % {
            "count": count, "q": f"{quantity.normalize():f}", "unit": unit, "allowed": allowed}
    return ""


def _remember(pk: int, now: datetime.datetime, location, ip: str) -> list:
    """Add this scan to the certificate's recent scans and return them (oldest first, this one
    last). In Redis a list, appended and read in one round trip, so concurrent scans all count."""
    key = f"compliance:recent-scans:{pk}"
    entry = (now, location, _network(ip))
    client = redis_client()
    if client is None:
        recent = [*(cache.get(key) or []), entry][-RECENT:]
        cache.set(key, recent, RECENT_SECONDS)
    else:
        full_key = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.rpush(full_key, json.dumps([now.timestamp(), *(location or (None, None)), entry[2]]))
        pipe.ltrim(full_key, -RECENT, -1)
        pipe.expire(full_key, RECENT_SECONDS)
        pipe.lrange(full_key, 0, -1)
        recent = [_entry(raw) for raw in pipe.execute()[-1]]
    return [item for item in recent if now - item[0] <= datetime.timedelta(seconds=RECENT_SECONDS)]


def _entry(raw) -> tuple:
    at, lat, lng, network = json.loads(raw)
    return (datetime.datetime.fromtimestamp(at, datetime.UTC), None if lat is None else (lat, lng), network)


def _judge(rows, *, count: int, flagged: str, quantity, unit: str, recent: list, now) -> str:
    """The stored flag, or a new one set on `rows()` (the certificate, by its partition key; built
    only when needed, since building a queryset costs as much as a scan's round trip)."""
    if flagged:
        return flagged
    reason = _reason(quantity, unit, count, recent, now)[:200]
    if reason:
        rows().filter(flagged="").update(flagged=reason)
    return reason


def record_scan(certificate: ComplianceCertificate, *, location=None, ip: str = "") -> str:
    """Count one scan of a certificate already read; flag it when the scans look like a copied
    code. Returns the flag reason (the stored one, or the new one)."""
    now = clock.now()
    rows = ComplianceCertificate.objects.filter(pk=certificate.pk, issued_at=certificate.issued_at)
    rows.update(scan_count=F("scan_count") + 1)
    certificate.scan_count += 1
    recent = _remember(certificate.pk, now, location, ip)
    certificate.flagged = _judge(lambda: rows, count=certificate.scan_count, flagged=certificate.flagged,
                                 quantity=certificate.quantity, unit=certificate.unit, recent=recent, now=now)
    return certificate.flagged


@dataclass
class Counted:
    """What a counted scan returns of the certificate: what changes between scans."""
    id: int
    status: str
    scan_count: int
    flagged: str


def count_scan(code: str, *, location=None, ip: str = "") -> Counted | None:
    """Count one scan of the 合格证 with `code` without reading it first: one
    `UPDATE … RETURNING` on its month's partition, on the primary, so the status returned is never
    a replica's. None when no 合格证 has the code. Flags a possible copy like `record_scan`."""
    if not codes.well_formed(code):
        return None
    start, end = codes.month_range(code)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ComplianceCertificate._meta.db_table} SET scan_count = scan_count + 1 "  # noqa: S608 - the model's table
            "WHERE code = %s AND issued_at >= %s AND issued_at < %s "
            "RETURNING id, status, scan_count, flagged, quantity, unit", [code, adapt(start), adapt(end)])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, status, count, flagged, quantity, unit = row
    now = clock.now()
    flagged = _judge(lambda: ComplianceCertificate.objects.filter(pk=pk, issued_at__gte=start, issued_at__lt=end),
                     count=count, flagged=flagged, quantity=decimal.Decimal(str(quantity)), unit=unit,
                     recent=_remember(pk, now, location, ip), now=now)
    return Counted(pk, status, count, flagged)

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
import ipaddress
import math

from django.core.cache import cache
from django.db.models import F
from django.utils.translation import gettext as _

from sanpin.core import clock

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


def _reason(certificate, count: int, recent: list, now: datetime.datetime) -> str:
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
    allowed = allowed_scans(certificate.quantity, certificate.unit)
    if count > allowed:
        return _("已被扫码 %(count)d 次，远超数量 %(q)s%(unit)s 可支持的约 %(allowed)d 次") % {
            "count": count, "q": f"{certificate.quantity.normalize():f}", "unit": certificate.unit,
            "allowed": allowed}
    return ""


def record_scan(certificate: ComplianceCertificate, *, location=None, ip: str = "") -> str:
    """Count one scan; flag the certificate when the scans look like a copied code. Returns the
    flag reason (the stored one, or the new one)."""
    now = clock.now()
    rows = ComplianceCertificate.objects.filter(pk=certificate.pk, issued_at=certificate.issued_at)
    rows.update(scan_count=F("scan_count") + 1)
    count = certificate.scan_count + 1
    certificate.scan_count = count
    key = f"compliance:scans:{certificate.pk}"
    recent = [entry for entry in (cache.get(key) or []) if now - entry[0] <= datetime.timedelta(
        seconds=RECENT_SECONDS)]
    recent = [*recent, (now, location, _network(ip))][-RECENT:]
    cache.set(key, recent, RECENT_SECONDS)
    if certificate.flagged:
        return certificate.flagged
    reason = _reason(certificate, count, recent, now)
    if reason:
        rows.filter(flagged="").update(flagged=reason[:200])
        certificate.flagged = reason[:200]
    return certificate.flagged

"""合格证 codes and their signatures.

A code is 20 digits: the issue month YYMM (local time), the issuing county's 6-digit code, 9
digits that look random and a Luhn check digit. The issue service makes the 9 digits from the
county's monthly counter through a keyed permutation (sanpin.compliance.serials, `codes_for`), so
they are unique within the month by construction; `new_code` draws them from `secrets` for rows
made outside the service. The month prefix makes a code unique across the monthly partitions when
it is unique within its month, and lets a lookup by code touch one partition only (`month_range`).
The check digit catches a mistyped code before any query.

QR codes carry `SITE_URL/c/<code>/?s=<kid>.<signature>`: the Ed25519 keys of
sanpin.certificates.signing (same rotation, same published public keys) over the domain prefix
"sanpin:compliance:v1:", so that a certificate-number signature (prefix "sanpin:v1:") can never
pass as a 合格证 signature or the other way round.
"""

import base64
import binascii
import datetime
import re
import secrets
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone

from sanpin.certificates import signing

DOMAIN = "sanpin:compliance:v1:"
VALID, MISSING, BAD = signing.VALID, signing.MISSING, signing.BAD
RANDOM_DIGITS = 9
CODE = re.compile(r"^[0-9]{20}\Z")
SCAN_PATH = re.compile(r"/c/(?P<code>[^/?#]+)/?$")


def check_digit(digits: str) -> str:
    """The Luhn check digit to append to `digits`."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def month_prefix(issued_at: datetime.datetime) -> str:
    return timezone.localtime(issued_at).strftime("%y%m")


def new_code(region_code: str, issued_at: datetime.datetime) -> str:
    """A fresh code for a certificate issued at `issued_at` in county `region_code` (uniqueness
    within the month is checked by the caller)."""
    body = month_prefix(issued_at) + region_code + "".join(
        str(secrets.randbelow(10)) for _ in range(RANDOM_DIGITS))
    return body + check_digit(body)


def _double(digit: int) -> int:
    return digit * 2 - 9 if digit > 4 else digit * 2


# Luhn sums of a 3-digit group whose units digit is doubled (its place from the right is even) or not.
_GROUP_EVEN = tuple(_double(g % 10) + g // 10 % 10 + _double(g // 100) for g in range(1000))
_GROUP_ODD = tuple(g % 10 + _double(g // 10 % 10) + g // 100 for g in range(1000))


def codes_for(region_code: str, month: str, digits: list[int]) -> list[str]:
    """The codes of county `region_code`, month `month` (YYMM) with these 9-digit values: the
    batch form of `new_code`'s layout; the check digit from the shared prefix's Luhn sum plus
    table lookups for the 9 digits (which sit at places 0–8 from the right of the body)."""
    prefix = month + region_code
    base = int(check_digit(prefix + "000000000"))  # the prefix's contribution, as a check digit
    prefix_sum = (10 - base) % 10
    made = []
    for n in digits:
        total = prefix_sum + _GROUP_EVEN[n % 1000] + _GROUP_ODD[n // 1000 % 1000] + _GROUP_EVEN[n // 1_000_000]
        made.append(f"{prefix}{n:09d}{(10 - total % 10) % 10}")
    return made


def well_formed(code: str) -> bool:
    """20 digits with a correct check digit and a real month."""
    if not CODE.match(code or ""):
        return False
    if not 1 <= int(code[2:4]) <= 12:
        return False
    return check_digit(code[:-1]) == code[-1]


def month_range(code: str) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the issue month a well-formed code names, as aware local datetimes: the
    lookup bound that lets PostgreSQL prune every other partition."""
    year, month = 2000 + int(code[:2]), int(code[2:4])
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(code: str) -> str:
    """`kid.signature` for a 合格证 code."""
    kid, key = signing.keys()[0]
    return f"{kid}.{_b64url(key.sign((DOMAIN + code).encode()))}"


def check(code: str, token: str) -> str:
    """VALID, MISSING (no token) or BAD (unknown key, malformed, or not this code's)."""
    if not token:
        return MISSING
    kid, _, sig = token.partition(".")
    key = dict(signing.keys()).get(kid)
    if key is None or not sig:
        return BAD
    try:
        key.public_key().verify(_unb64url(sig), (DOMAIN + code).encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return BAD
    return VALID


def sign_many(many: list[str]) -> list[str]:
    """`sign` for each code, the key looked up once (a batch signs ten thousand)."""
    kid, key = signing.keys()[0]
    sign_bytes = key.sign
    return [f"{kid}.{_b64url(sign_bytes((DOMAIN + code).encode()))}" for code in many]


def scan_urls(many: list[str]) -> list[str]:
    """`scan_url` for each code."""
    site = settings.SITE_URL
    return [f"{site}/c/{code}/?s={token}" for code, token in zip(many, sign_many(many), strict=True)]


def scan_path(code: str) -> str:
    return f"/c/{code}/?s={sign(code)}"


def scan_url(code: str) -> str:
    """What the QR code of a 合格证 carries."""
    return settings.SITE_URL + scan_path(code)


def read_scan(text: str) -> tuple[str, str]:
    """A bare code or a scanned URL → (code, signature state). A URL whose path is not a 合格证
    scan path gives an empty code and BAD."""
    text = (text or "").strip()
    if "/" not in text and "?" not in text:
        return text, MISSING
    parts = urlsplit(text if "://" in text else "http://x/" + text.lstrip("/"))
    match = SCAN_PATH.search(parts.path)
    if match is None:
        return "", BAD
    code = unquote(match.group("code"))
    token = (parse_qs(parts.query).get("s") or [""])[0]
    return code, check(code, token)

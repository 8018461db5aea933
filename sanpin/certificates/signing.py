"""Signed QR codes: a URL to the public verify page carrying the number and a short Ed25519
signature, so a forged or altered code is detected online, and offline with the published keys.

Keys come from settings.SIGNING_KEYS ({kid: base64 raw 32-byte private key}); the first signs,
all verify (rotation keeps old codes valid). Without keys outside production a development key
is derived from SECRET_KEY (kid "dev"); see docs/decisions/0009-signed-qr-codes.md.
"""

import base64
import binascii
import functools
import re
from urllib.parse import parse_qs, unquote, urlsplit

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DOMAIN = "sanpin:v1:"
DEV_KID = "dev"
VALID, MISSING, BAD = "valid", "missing", "bad"
NUMBER_CHARS = re.compile(r"^[A-Za-z0-9-]{1,40}$")
# Bytes a version 8 QR code holds at level M: SITE_URL + "/v/" + number + "/?s=" + kid + "." + 86
# signature characters must stay within it (docs/decisions/0009-signed-qr-codes.md).
QR_URL_BUDGET = 152
SCAN_PATH = re.compile(r"/v/(?P<number>[^/?#]+)/?$")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dev_key() -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sanpin-qr-signing", info=b"dev-key").derive(
        settings.SECRET_KEY.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


@functools.cache
def _keys_for(config: tuple) -> tuple[tuple[str, Ed25519PrivateKey], ...]:
    keys = []
    for kid, secret in config:
        try:
            raw = base64.b64decode(secret)
            keys.append((kid, Ed25519PrivateKey.from_private_bytes(raw)))
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"SIGNING_KEYS[{kid!r}] is not a base64 32-byte Ed25519 key") from exc
    return tuple(keys)


def keys() -> tuple[tuple[str, Ed25519PrivateKey], ...]:
    """(kid, private key) pairs, the signing key first."""
    configured = tuple((settings.SIGNING_KEYS or {}).items())
    if configured:
        return _keys_for(configured)
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("SIGNING_KEYS must be set in production")
    return ((DEV_KID, _dev_key()),)


def public_keys() -> dict[str, str]:
    """kid → base64 raw public key, for offline verifiers."""
    return {
        kid: base64.b64encode(key.public_key().public_bytes(serialization.Encoding.Raw,
                                                            serialization.PublicFormat.Raw)).decode()
        for kid, key in keys()
    }


def sign(number: str) -> str:
    """`kid.signature` for `number`."""
    kid, key = keys()[0]
    return f"{kid}.{_b64url(key.sign((DOMAIN + number).encode()))}"


def check(number: str, token: str) -> str:
    """VALID, MISSING (no token) or BAD (unknown key, malformed, or not this number's)."""
    if not token:
        return MISSING
    kid, _, sig = token.partition(".")
    key = dict(keys()).get(kid)
    if key is None or not sig:
        return BAD
    try:
        key.public_key().verify(_unb64url(sig), (DOMAIN + number).encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return BAD
    return VALID


def signed_url(number: str) -> str:
    return f"{settings.SITE_URL}/v/{number}/?s={sign(number)}"


def verify_scan(text: str) -> tuple[str, str]:
    """Read what a scanner or a person typed: a bare number or the full signed URL.

    Returns (number, signature state). A URL with no signature is MISSING; a URL whose path is
    not a verify path gives an empty number.
    """
    text = (text or "").strip()
    if "/" not in text and "?" not in text:
        return text.upper(), MISSING
    parts = urlsplit(text if "://" in text else "http://x/" + text.lstrip("/"))
    match = SCAN_PATH.search(parts.path)
    if match is None:
        return "", BAD
    number = unquote(match.group("number"))
    token = (parse_qs(parts.query).get("s") or [""])[0]
    if not NUMBER_CHARS.match(number):
        return number, BAD
    return number, check(number, token)


def qr_svg(number: str, *, scale: int = 4) -> str:
    """The signed URL as an inline SVG QR code (error correction level M)."""
    qr = segno.make(signed_url(number), error="m", micro=False)
    return qr.svg_inline(scale=scale, border=2, dark="#000")

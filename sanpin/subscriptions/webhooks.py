"""Webhook plumbing: which URLs may receive pushes, how a body is signed, and one HTTP POST.

Signed content is `<timestamp>.<raw body>` (HMAC-SHA256 with the subscription's secret), so a
captured request cannot be replayed later with a fresh timestamp. Recipe: docs/webhooks.md.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
USER_AGENT = "sanpin-webhooks/1"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of `<timestamp>.<body>`."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def url_problem(url: str) -> str | None:
    """Why `url` may not receive webhooks, or None. Private, loopback and link-local addresses
    are refused unless WEBHOOK_ALLOW_PRIVATE (development and tests): a push must not reach
    into the network the server runs in."""
    try:
        parts = urlsplit(url or "")
        host, port = parts.hostname, parts.port
    except ValueError:
        return _("Webhook 地址无效")
    if parts.scheme not in ("http", "https") or not host:
        return _("Webhook 地址须以 http:// 或 https:// 开头并包含主机名")
    if parts.username or parts.password:
        return _("Webhook 地址不能包含用户名或密码")
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        return _("无法解析 Webhook 地址的主机名")
    if not addresses or not all(_is_public(a) for a in addresses):
        return _("Webhook 地址不能指向内网、本机或保留地址")
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as a failure: following it could lead to a refused address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """POST once; a 2xx answer is success, anything else (or no answer in time) a failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Outcome(False, None, "only http and https URLs receive webhooks")
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - scheme checked above
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": USER_AGENT, **headers})
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome(200 <= response.status < 300, response.status, "")
    except urllib.error.HTTPError as exc:
        return Outcome(False, exc.code, f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(False, None, f"{type(exc).__name__}: {reason}"[:2000])

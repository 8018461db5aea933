"""Webhook plumbing: which URLs may receive pushes, how a body is signed, and one HTTP POST.

Signed content is `<timestamp>.<raw body>` (HMAC-SHA256 with the subscription's secret), so a
captured request cannot be replayed later with a fresh timestamp. Recipe: docs/webhooks.md.
"""

import hashlib
import hmac
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from sanpin.core import outbound
from sanpin.core.outbound import Outcome, encode  # noqa: F401 - part of this module's interface

TIMEOUT_SECONDS = outbound.TIMEOUT_SECONDS
USER_AGENT = "sanpin-webhooks/1"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of `<timestamp>.<body>`."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


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


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """POST once (sanpin.core.outbound.post); a 2xx answer is success, anything else a failure."""
    return outbound.post(url, body, headers, user_agent=USER_AGENT, timeout=TIMEOUT_SECONDS)

"""The two hottest requests of the system, answered early: the public certificate verification
(GET /api/v1/public/verify/) and the 合格证 scan (GET /api/v1/public/compliance/<code>/).

Every scan of a QR code on a product lands here, so they are answered by a middleware that sits
right after SecurityMiddleware instead of passing the session, CSRF, authentication, second-factor,
message and login-lockout middlewares, URL resolution and DRF's dispatch, none of which an
anonymous JSON GET needs (docs/decisions/0044-public-lookup-path.md). The answer is built by the
same functions as the DRF views (`public_verify_body`, `scan_body`), counted by the same rate
limit, and rendered by the same JSON renderer, so the bytes are the views' bytes; tests compare
the two paths. Anything but the plain successful case (bad input, a NUL, a client over its rate)
falls through to the DRF view, which answers it with the usual error body.
"""

import re

from rest_framework.renderers import JSONRenderer

from sanpin.core import clock
from sanpin.core.middleware import _client_ip, client_ip_of

from .throttling import ScopedWindowThrottle

VERIFY_PATH = "/api/v1/public/verify/"
COMPLIANCE_PATH = re.compile(r"^/api/v1/public/compliance/(?P<code>[^/]+)/$")
MAX_CODE = 500  # VerifyQuerySerializer.code


class _Scope:
    throttle_scope = "public"


_SCOPE = _Scope()
_RENDERER = JSONRenderer()


def _allowed(request) -> bool:
    return ScopedWindowThrottle().allow_request(request, _SCOPE)


def _has_nul(request) -> bool:
    return "\x00" in request.META.get("QUERY_STRING", "") or any(
        "\x00" in value for values in request.GET.lists() for value in (values[0], *values[1]))


def _json(body: dict):
    from django.http import HttpResponse

    response = HttpResponse(_RENDERER.render(body), content_type="application/json")
    response["X-Frame-Options"] = "DENY"
    response["Vary"] = "Accept"
    return response


def _verify(request):
    from sanpin.certificates.api.views import public_verify_body

    code = request.GET.get("code", "").strip()
    if not code or len(code) > MAX_CODE or not _allowed(request):
        return None
    return _json(public_verify_body(code, clock.today()))


def _scan(request, code: str):
    from sanpin.compliance import scans
    from sanpin.compliance.api.public import scan_body

    if not _allowed(request):
        return None
    token = _client_ip.set(client_ip_of(request))  # as RequestContextMiddleware does, for anything audited
    try:
        return _json(scan_body(code[:40], request.GET.get("s", "")[:200], clock.today(),
                               location=scans.parse_location(request.GET.get("loc", "")),
                               ip=client_ip_of(request) or ""))
    finally:
        _client_ip.reset(token)


class PublicLookupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = None
        if request.method == "GET" and request.path_info.startswith("/api/v1/public/") and not _has_nul(request):
            if request.path_info == VERIFY_PATH:
                response = _verify(request)
            elif match := COMPLIANCE_PATH.match(request.path_info):
                response = _scan(request, match["code"])
        return response if response is not None else self.get_response(request)

"""Keeps the current request's client address where the audit trail can read it."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip():
    return _client_ip.get()


def client_ip_of(request):
    # Behind nginx (deploy/) the real address arrives in X-Real-IP; REMOTE_ADDR is the proxy.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)

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


class DomainErrorMiddleware:
    """Turns a domain error that escapes a page view into the matching HTTP answer: a role that
    may not act → 403, out of scope or missing → 404, wrong state → 409. (API views answer
    through sanpin.api.errors instead.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
        from django.http import Http404
        from django.shortcuts import render
        from django.views import defaults

        from .errors import Conflict, DomainError, NotFound, PermissionDenied

        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound):
            return defaults.page_not_found(request, Http404(exception.message))
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, DjangoPermissionDenied(exception.message))
        status = 409 if isinstance(exception, Conflict) else 400
        return render(request, "error.html", {"message": exception.message, "status": status}, status=status)

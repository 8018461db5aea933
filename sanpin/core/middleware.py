"""Keeps the current request's client address where the audit trail can read it."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip():
    return _client_ip.get()


def client_ip_of(request):
    """The client's address: behind nginx (deploy/) the real one arrives in X-Real-IP and
    REMOTE_ADDR is the proxy; without a proxy the header is client-supplied and ignored."""
    from django.conf import settings

    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR") or None


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


class RejectNulMiddleware:
    """Refuses a query string or form field containing a NUL character with 400: PostgreSQL cannot
    store or compare such strings, so letting one through would end in a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest, JsonResponse

        values = [*request.GET.lists()]
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data"):
            values += [*request.POST.lists()]
        if any("\x00" in key or any("\x00" in v for v in items) for key, items in values):
            message = "请求中含有不允许的字符（NUL）"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "fields": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

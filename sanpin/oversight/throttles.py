"""The public complaint form and endpoint are limited per client address with the project's
existing mechanism (DRF's cache-backed throttles, as on the other public endpoints), so the page
and the API share one budget. The rate is `DEFAULT_THROTTLE_RATES["complaint"]` when set, else
10 an hour."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from sanpin.core.middleware import client_ip_of

DEFAULT_RATE = "10/hour"


class ComplaintThrottle(SimpleRateThrottle):
    scope = "complaint"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or DEFAULT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip_of(request) or "unknown"}


def allow(request) -> tuple[bool, float | None]:
    """For page views: whether this submission is within the budget, and the wait if not."""
    throttle = ComplaintThrottle()
    if throttle.allow_request(request, None):
        return True, None
    return False, throttle.wait()

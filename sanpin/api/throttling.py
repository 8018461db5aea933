"""Rate limits as fixed-window counters: one round trip to Redis per request.

DRF's own throttles keep every request's timestamp of the window in one cache entry, read and
rewritten whole on each request: two round trips and a list as long as the rate allows (at a
public rate of thousands a minute, the hottest endpoints spent most of their time on it). A
counter per client and window costs one INCR; the price is that a client may send up to twice the
rate across a window's edge, which is what a rate limit against scraping and abuse needs (nginx's
limit_req in deploy/ smooths bursts in front of it).
"""

import time

from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from sanpin.core.cache_client import redis_client


def hit(key: str, seconds: int) -> int:
    """Count one request under `key` in a window of `seconds`; the count so far in the window."""
    client = redis_client()
    if client is None:
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds)
            return 1
    full_key = cache.make_and_validate_key(key)
    pipe = client.pipeline(transaction=False)
    pipe.incr(full_key)
    pipe.expire(full_key, seconds, nx=True)
    count, _ = pipe.execute()
    return count


class ScopedWindowThrottle(ScopedRateThrottle):
    """ScopedRateThrottle's rates and scopes (`throttle_scope`, DEFAULT_THROTTLE_RATES), counted
    per fixed window."""

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        self.now = now
        return hit(f"{self.key}:{window}", self.duration + 1) <= self.num_requests

    def get_cache_key(self, request, view):
        # A request answered before authentication (sanpin.api.public_lookups) has no user: anonymous.
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def wait(self):
        return max(0.0, self.window_end - self.now)

"""The Redis client behind Django's cache, for the few operations the cache API lacks in one round
trip (a counter with its expiry, a capped list)."""

from django.core.cache import cache


def redis_client():
    """The cache's Redis client (writable), or None for another backend (local memory in
    development and tests): callers then fall back to the plain cache API."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(write=True) if get_client else None

"""The Redis cache keeps one client per pool and still behaves as Django's cache."""

import os

import pytest

from sanpin.core.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def test_one_client_per_pool_and_the_cache_api_works():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "sanpin-test-redis-cache"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share the pool
    cache.set_many({"a": 1, "b": [1, 2]}, 30)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": [1, 2]}
    assert cache.incr("a") == 2
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None

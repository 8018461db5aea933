"""The fixed-window rate limit: one counter per client and window (Redis or local memory)."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from sanpin.api import throttling

pytestmark = pytest.mark.django_db


def test_a_window_counts_each_request_and_a_new_window_starts_again():
    assert [throttling.hit("t:client:1", 60) for _ in range(3)] == [1, 2, 3]
    assert throttling.hit("t:client:2", 60) == 1
    assert throttling.hit("t:other:1", 60) == 1


def test_the_limit_answers_429_with_retry_after_until_the_window_ends(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/hour"})

    answers = [api.get("/api/v1/public/keys/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert 0 < int(answers[-1]["Retry-After"]) <= 3600


def test_clients_are_counted_apart(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "1/hour"})

    first = api.get("/api/v1/public/keys/", REMOTE_ADDR="10.0.0.1")
    second = api.get("/api/v1/public/keys/", REMOTE_ADDR="10.0.0.2")
    again = api.get("/api/v1/public/keys/", REMOTE_ADDR="10.0.0.1")

    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)

"""Fixtures: the local receiver standing in for the platform (receiver.py), the endpoint
configured to it, and a clock the tests move by hand."""

import datetime

import pytest
from django.utils import timezone

from sanpin.core import clock

from .receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def platform(settings, receiver):
    """The endpoint configured to the local receiver, with a token."""
    settings.TRACEABILITY_ENDPOINT = receiver.url
    settings.TRACEABILITY_TOKEN = "test-token"
    return receiver


class Clock:
    def __init__(self, monkeypatch):
        self.moment = timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 0))
        monkeypatch.setattr(clock, "now", lambda: self.moment)
        monkeypatch.setattr(clock, "today", lambda: timezone.localdate(self.moment))

    def advance(self, seconds: float) -> None:
        self.moment += datetime.timedelta(seconds=seconds)


@pytest.fixture
def moving_clock(monkeypatch):
    return Clock(monkeypatch)

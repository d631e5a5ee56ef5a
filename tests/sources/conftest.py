"""Fixtures for source tests: a real HTTP server on 127.0.0.1 and fast HTTP options."""

from __future__ import annotations

import pytest
from support.http_server import http_server  # noqa: F401  (fixture)

from sources._http import HttpOptions
from sources.ratelimit import HostLimiter


class FakeTime:
    """A monotonic clock that only moves when something sleeps; records the sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    """Fake time for retry sleeps and the host limiter (tests never really wait)."""
    return FakeTime()


@pytest.fixture
def sleeps(fake_time: FakeTime) -> list[float]:
    """The sleeps a client asked for, in order."""
    return fake_time.sleeps


@pytest.fixture
def fast_http(fake_time: FakeTime) -> HttpOptions:
    """HTTP options with short timeouts, fake sleeps and a fresh per-test host limiter."""
    limiter = HostLimiter(clock=fake_time.clock, sleep=fake_time.sleep)
    return HttpOptions(
        connect_timeout=2.0, read_timeout=2.0, sleep=fake_time.sleep, limiter=limiter
    )

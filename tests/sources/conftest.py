"""Fixtures for source tests: a real HTTP server on 127.0.0.1 and fast HTTP options."""

from __future__ import annotations

import pytest
from support.http_server import http_server  # noqa: F401  (fixture)

from sources._http import HttpOptions


@pytest.fixture
def sleeps() -> list[float]:
    """Records the retry sleeps a client asked for (instead of sleeping)."""
    return []


@pytest.fixture
def fast_http(sleeps: list[float]) -> HttpOptions:
    """HTTP options with short timeouts and recorded (not real) retry sleeps."""
    return HttpOptions(connect_timeout=2.0, read_timeout=2.0, sleep=sleeps.append)

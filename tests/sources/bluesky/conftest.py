"""Bluesky tests start with an empty session cache (sessions are cached per process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sources.bluesky.client import clear_sessions


@pytest.fixture(autouse=True)
def _fresh_sessions() -> Iterator[None]:
    clear_sessions()
    yield
    clear_sessions()

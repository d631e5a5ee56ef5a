"""Retry-After and platform reset headers become seconds to wait."""

from __future__ import annotations

from datetime import UTC, datetime

from sources.retry_after import parse_reset_time, parse_retry_after

NOW = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("Tue, 24 Nov 2026 12:01:30 GMT", now=NOW) == 90.0
    assert parse_retry_after("Tue, 24 Nov 2026 11:00:00 GMT", now=NOW) == 0.0


def test_retry_after_unusable_values() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") == 0.0


def test_reset_time_epoch_and_iso() -> None:
    assert parse_reset_time(str(NOW.timestamp() + 30), now=NOW) == 30.0
    assert parse_reset_time("2026-11-24T12:05:00.000Z", now=NOW) == 300.0
    assert parse_reset_time("later", now=NOW) is None

"""Parse the "wait this long" signals platforms send, into seconds from now.

`Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); platforms add
their own reset headers (epoch seconds, ISO-8601 times), parsed here too so every source
turns them into `RateLimited(retry_after=...)` the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (seconds or HTTP date); None if absent/invalid."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return seconds_until(when, now=now)


def parse_reset_time(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds until a reset given as epoch seconds or an ISO-8601 time; None if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        when = datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return seconds_until(when, now=now)


def seconds_until(when: datetime, *, now: datetime | None = None) -> float:
    """Non-negative seconds from `now` (default: the current UTC time) until `when`."""
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())

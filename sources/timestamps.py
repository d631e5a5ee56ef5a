"""Reading the ISO-8601 / RFC 3339 times platforms send ('2026-08-01T13:55:55.867Z')."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_iso8601(value: Any) -> datetime | None:
    """An aware datetime (naive times are taken as UTC); None when the value is unusable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

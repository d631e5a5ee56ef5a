"""The Telegram source's cursor: the highest message id delivered, and the gaps left to read.

A busy channel can post more between two runs than `max_pages` pages hold. The messages
below the pages read are then a *gap*: `(floor, before)` means the ids strictly between
the two are not read yet. Later runs read what is new first, then spend the rest of their
page budget closing gaps, newest first, so nothing is skipped (unless more than
`MAX_GAPS` pile up, which is logged).

Written as the plain decimal id when there is no gap (the format older versions wrote and
still read), otherwise as JSON::

    {"v": 2, "high": 120, "gaps": [[50, 91]]}
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

CURSOR_VERSION = 2
MAX_GAPS = 10

Gap = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Cursor:
    """The highest id delivered and the unread gaps `(floor, before)`, newest first."""

    high: int = 0
    gaps: tuple[Gap, ...] = ()


def load_cursor(cursor: str | None) -> Cursor:
    """Decode a cursor; absent or unreadable means a first run (logged, never fatal)."""
    text = (cursor or "").strip()
    if not text:
        return Cursor()
    if text.isdigit():
        return Cursor(int(text))
    try:
        data = json.loads(text)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        gaps = tuple((int(floor), int(before)) for floor, before in data.get("gaps", []))
        return Cursor(int(data["high"]), tuple(g for g in gaps if g[1] - g[0] > 1))
    except (ValueError, TypeError, AttributeError, KeyError):
        logger.warning("ignoring an unreadable Telegram cursor; treating this fetch as the first")
        return Cursor()


def dump_cursor(cursor: Cursor, *, source: str) -> str | None:
    """Encode a cursor; gaps beyond `MAX_GAPS` (the oldest) are dropped with a warning."""
    gaps = [gap for gap in cursor.gaps if gap[1] - gap[0] > 1]
    for floor, before in gaps[MAX_GAPS:]:
        logger.warning(
            "telegram %s: too many unread gaps; messages %d-%d skipped",
            source,
            floor + 1,
            before - 1,
        )
    if not gaps:
        return str(cursor.high) if cursor.high else None
    data = {"v": CURSOR_VERSION, "high": cursor.high, "gaps": [list(g) for g in gaps[:MAX_GAPS]]}
    return json.dumps(data, separators=(",", ":"))

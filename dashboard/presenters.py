"""Turning attacker-controlled post data into safe pieces for templates.

Templates never mark post text `|safe`: highlighting yields plain (segment, is_match)
pairs that Jinja escapes, and links are offered only for http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from monitor.alert.schemas import MatchSpan

SEVERITY_ORDER = ("critical", "high", "medium", "low")
LABEL_NAMES = {
    "threat": "Threat",
    "incitement": "Incitement",
    "insult": "Insult",
    "identity_attack": "Identity attack",
    "sexual_harassment": "Sexual harassment",
}


def safe_href(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link; None for javascript:, data: and the rest."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def highlight(text: str, spans: Iterable[MatchSpan]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_match) pairs; overlapping spans are merged, clipped."""
    ranges = sorted((max(0, s.start), min(len(text), s.end)) for s in spans if s.start < len(text))
    merged: list[list[int]] = []
    for start, end in ranges:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            pieces.append((text[cursor:start], False))
        pieces.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def when(value: datetime | None) -> str:
    """A short, unambiguous UTC timestamp for tables."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def label_name(label: str) -> str:
    """A human name for a classifier label."""
    return LABEL_NAMES.get(label, label.replace("_", " ").capitalize())


def percent(score: float) -> str:
    """A score as a whole percentage."""
    return f"{round(score * 100)}%"


def top_scores(scores: dict[str, float], flagged: Sequence[str]) -> list[tuple[str, float, bool]]:
    """Scores highest first, each with whether the model flagged it."""
    return [(k, v, k in flagged) for k, v in sorted(scores.items(), key=lambda kv: -kv[1])]

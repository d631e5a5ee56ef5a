"""Making attacker-controlled text safe to store (not to render: templates escape it)."""

from __future__ import annotations

from typing import Any

#: Longest post text stored; longer text is cut and the cut recorded in `raw`.
MAX_TEXT_CHARS = 1_000_000


def storable_text(text: str) -> tuple[str, bool]:
    """Text both databases accept: no NUL, no lone surrogates; returns (text, was_truncated)."""
    cleaned = text.replace("\x00", "\ufffd")
    cleaned = cleaned.encode("utf-8", "replace").decode("utf-8")
    if len(cleaned) > MAX_TEXT_CHARS:
        return cleaned[:MAX_TEXT_CHARS], True
    return cleaned, False


def storable_json(value: Any, *, depth: int = 0) -> Any:
    """A JSON value PostgreSQL's jsonb accepts (no NUL, valid UTF-8), bounded in depth."""
    if depth > 20:
        return None
    if isinstance(value, str):
        return storable_text(value)[0]
    if isinstance(value, dict):
        return {str(storable_json(k)): storable_json(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_json(v, depth=depth + 1) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return storable_text(str(value))[0]

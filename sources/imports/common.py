"""Helpers every import format shares: stable ids, time zones and one-line errors."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sources.errors import ConfigError, MalformedResponse

MAX_IMPORT_BYTES = 256 * 1024 * 1024


class IdMaker:
    """Deterministic external ids: a hash of timestamp, author, text and a duplicate ordinal.

    The ordinal counts earlier messages with the same timestamp, author and text in the same
    file, so "ok" sent twice in one minute stays two posts, while re-importing the file (or a
    later export of the same chat with more messages appended) gives the same ids again.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._seen: Counter[tuple[str, str, str]] = Counter()

    def make(self, created_at: datetime | None, author: str | None, text: str) -> str:
        """The id for the next message with these fields."""
        key = (created_at.isoformat() if created_at else "", author or "", text)
        ordinal = self._seen[key]
        self._seen[key] += 1
        material = "\x1f".join((*key, str(ordinal))).encode("utf-8", "surrogatepass")
        return f"{self.prefix}:{hashlib.sha256(material).hexdigest()[:32]}"


def load_zone(name: str) -> tzinfo:
    """The IANA zone of exported local times (exports carry no offset); ConfigError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}") from None


def malformed(where: str, line: int | None, problem: str) -> MalformedResponse:
    """A one-line error naming the file (base name only) and line."""
    at = f"{where} line {line}" if line is not None else where
    return MalformedResponse(f"{at}: {problem}")


def read_text(data: bytes, where: str, *, fallback: str | None = None) -> str:
    """Decode an export as UTF-8 (BOM tolerated), else `fallback`; MalformedResponse if neither.

    `fallback` exists for CSV: Excel in Russian and Kazakh locales saves CSV as Windows-1251.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise malformed(where, None, f"file is larger than {MAX_IMPORT_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback is None:
            line = data[: exc.start].count(b"\n") + 1
            raise malformed(where, line, "not UTF-8 text") from None
        text = data.decode(fallback, errors="replace")
    if "\x00" in text:
        raise malformed(where, text[: text.index("\x00")].count("\n") + 1, "binary data")
    return text

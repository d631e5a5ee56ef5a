"""CSV and JSON Lines imports: whatever a team collected by hand, one message per row.

Column mapping (header names are case-insensitive; the first present alias wins):

========== ================================================ =========================
field      accepted columns / keys                          notes
========== ================================================ =========================
text       text, message, body, content                     required, non-empty rows only
author     author, from, sender, user, username             optional
created_at created_at, date, timestamp, time, datetime      ISO 8601 or Unix seconds;
                                                            no offset: the import's zone
url        url, link                                        optional
id         external_id, id, message_id                      optional; else a hash of
                                                            time+author+text+ordinal
lang       lang, language                                   optional
========== ================================================ =========================

Russian and Kazakh headers are accepted too (текст/сообщение/мәтін/хабарлама,
автор/отправитель, дата/күні, ссылка/сілтеме). CSV may be comma-, semicolon- or
tab-separated and UTF-8 or Windows-1251 (Excel in Russian locales writes `;` and cp1251).
Platform is "file". Errors name the line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from sources.imports.common import IdMaker, malformed
from sources.post import Post

PLATFORM = "file"
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "body", "content", "текст", "сообщение", "мәтін", "хабарлама"),
    "author": ("author", "from", "sender", "user", "username", "автор", "отправитель"),
    "created_at": ("created_at", "date", "timestamp", "time", "datetime", "дата", "күні"),
    "url": ("url", "link", "ссылка", "сілтеме"),
    "id": ("external_id", "id", "message_id"),
    "lang": ("lang", "language"),
}


def parse_csv(text: str, *, where: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse a CSV file with a header row (see the module docstring for the columns)."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fields = {name.strip().lower() for name in reader.fieldnames or []}
    if not fields & set(ALIASES["text"]):
        raise malformed(where, 1, "CSV header has no text column (text/message/body/content/…)")

    def rows() -> Iterator[tuple[int, Mapping[str, Any]]]:
        try:
            for row in reader:
                yield reader.line_num, {str(k).strip().lower(): v for k, v in row.items() if k}
        except csv.Error as exc:
            raise malformed(where, reader.line_num, f"invalid CSV ({exc})") from None

    return _posts(rows(), where=where, source_name=source_name, zone=zone)


def parse_jsonl(text: str, *, where: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse JSON Lines: one object per line, keys as in the module docstring."""

    def rows() -> Iterator[tuple[int, Mapping[str, Any]]]:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise malformed(where, number, f"invalid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise malformed(where, number, "expected a JSON object")
            yield number, {str(k).lower(): v for k, v in row.items()}

    return _posts(rows(), where=where, source_name=source_name, zone=zone)


def _posts(
    rows: Iterator[tuple[int, Mapping[str, Any]]], *, where: str, source_name: str, zone: tzinfo
) -> list[Post]:
    ids = IdMaker("file")
    posts = []
    for number, row in rows:
        text = _field(row, "text")
        if not text:
            continue
        author = _field(row, "author")
        created_at = _time(_field(row, "created_at"), zone, where, number)
        given_id = _field(row, "id")
        posts.append(
            Post(
                source=source_name,
                platform=PLATFORM,
                external_id=f"file:{given_id}" if given_id else ids.make(created_at, author, text),
                text=text,
                url=_field(row, "url"),
                author=author,
                created_at=created_at,
                lang=_field(row, "lang"),
                raw={"import": "file", "file": Path(where).name, "line": number},
            )
        )
    return posts


def _field(row: Mapping[str, Any], name: str) -> str | None:
    for alias in ALIASES[name]:
        value = row.get(alias)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _time(value: str | None, zone: tzinfo, where: str, line: int) -> datetime | None:
    if value is None:
        return None
    try:
        if value.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), tz=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise malformed(where, line, "created_at is not ISO 8601 or Unix seconds") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)

"""Feed bytes to feedparser structures, and one feedparser entry to one `Post`.

`post_from_entry` is the only place an RSS/Atom entry becomes a Post. Entry text is
attacker-controlled and sometimes huge or binary: it is converted to plain text, stripped
of control characters, and truncated to `MAX_TEXT_CHARS` (marked in `raw["truncated"]`).
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser

from sources.errors import MalformedResponse
from sources.post import Post
from sources.text import html_to_text, normalise_space

MAX_TEXT_CHARS = 100_000
_TAG = re.compile(r"<[A-Za-z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|[\ud800-\udfff]")


def parse_feed(content: bytes, *, where: str, content_type: str | None = None) -> Any:
    """Parse feed bytes (never a URL: feedparser must not fetch); MalformedResponse if unusable.

    `content_type` is the HTTP header: its charset decides the encoding of feeds without
    an XML declaration (windows-1251 Russian-language sites would otherwise be mojibake).
    """
    headers = {"content-type": content_type} if content_type else {}
    try:
        parsed = feedparser.parse(
            content, sanitize_html=False, resolve_relative_uris=False, response_headers=headers
        )
    except Exception as exc:  # feedparser on hostile bytes: never let it crash the job
        raise MalformedResponse(f"feed from {where} crashed the parser") from exc
    if parsed.get("bozo") and not parsed.entries:
        reason = type(parsed.get("bozo_exception")).__name__
        raise MalformedResponse(f"feed from {where} could not be parsed ({reason})")
    if not parsed.entries and not parsed.get("version"):
        raise MalformedResponse(f"response from {where} is not an RSS or Atom feed")
    return parsed


def post_from_entry(entry: Any, *, feed: Any, source: str, platform: str = "rss") -> Post:
    """Normalise one feedparser entry (with its feed's header) into a Post."""
    title = _detail_text(entry.get("title_detail"), entry.get("title", ""))
    body = _body_text(entry)
    text = title if not body or body == title else f"{title}\n\n{body}" if title else body
    text = _CONTROL.sub("", text)
    created_at = _timestamp(entry.get("published_parsed") or entry.get("updated_parsed"))
    raw = _raw_subset(entry, feed)
    if len(text) > MAX_TEXT_CHARS:
        text, raw["truncated"] = text[:MAX_TEXT_CHARS], True
    return Post(
        source=source,
        platform=platform,
        external_id=entry_id(entry),
        text=text,
        url=entry.get("link") or None,
        author=_author(entry, feed),
        created_at=created_at,
        lang=_language(entry, feed),
        raw=raw,
    )


def entry_id(entry: Any) -> str:
    """The entry's stable identity: id/guid, else link, else a hash of title and date."""
    for key in ("id", "link"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:500]
    basis = f"{entry.get('title', '')}\x1f{entry.get('published') or entry.get('updated', '')}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()


def _detail_text(detail: Any, fallback: str) -> str:
    value = detail.get("value", fallback) if detail else fallback
    kind = (detail.get("type") if detail else "") or "text/plain"
    if "html" not in kind:
        return value.strip()
    if not _TAG.search(value):  # "HTML" without tags (YouTube descriptions): keep newlines
        return normalise_space(html.unescape(value))
    return html_to_text(value)


def _body_text(entry: Any) -> str:
    """The entry's full content when present (content:encoded, Atom content), else its summary."""
    contents = [_detail_text(c, c.get("value", "")) for c in entry.get("content") or []]
    if any(contents):
        return max(contents, key=len)
    return _detail_text(entry.get("summary_detail"), entry.get("summary", ""))


def _timestamp(parsed: struct_time | None) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _author(entry: Any, feed: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    name = str(detail.get("name") or entry.get("author") or feed.get("author") or "").strip()
    return name[:500] or None


def _language(entry: Any, feed: Any) -> str | None:
    for detail in (entry.get("title_detail"), entry.get("summary_detail")):
        if detail and detail.get("language"):
            return _primary(detail["language"])
    value = entry.get("language") or feed.get("language")
    return _primary(value) if value else None


def _primary(tag: str) -> str | None:
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _raw_subset(entry: Any, feed: Any) -> dict[str, Any]:
    """The fields worth keeping as evidence, as plain JSON-serialisable values."""
    raw: dict[str, Any] = {}
    for key in ("id", "link", "title", "published", "updated", "author", "summary"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            raw[key] = value[:MAX_TEXT_CHARS]
    for key in ("yt_videoid", "yt_channelid"):
        if isinstance(entry.get(key), str):
            raw[key] = entry[key]
    tags = [t.get("term") for t in entry.get("tags") or [] if isinstance(t.get("term"), str)]
    if tags:
        raw["tags"] = tags[:50]
    views = (entry.get("media_statistics") or {}).get("views")
    if isinstance(views, str) and views.isdigit():
        raw["views"] = int(views)
    header = ("title", "link", "language")
    raw["feed"] = {k: feed[k] for k in header if isinstance(feed.get(k), str)}
    return raw

"""`RssSource`: a feed as a Source, whose cursor remembers validators and seen entries.

The cursor is a small JSON object (version 1)::

    {"v": 1, "etag": "\"abc\"" | null, "last_modified": "<HTTP date>" | null,
     "seen": [["<entry id>", "<8-hex digest of its text>"], ...]}   # newest first

`seen` always holds every entry of the last feed body plus older ids up to `MAX_SEEN`, so an
entry is reported once while it stays in the feed window; a changed digest reports it
again with `edited=True` (Atom `updated`, rewritten news items). Unknown or corrupt cursors
are treated as a first run rather than failing the source forever.

No `recheck`: a feed is a rolling window, so an entry missing from it is old, not deleted,
and a feed offers no lookup by id. Deletions are never inferred from RSS.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import field_validator

from sources._http import HttpClient, HttpOptions, host_of
from sources.base import Source, SourceOptions, check_http_url
from sources.post import FetchResult, Post
from sources.rss.client import FeedClient
from sources.rss.payloads import parse_feed, post_from_entry

logger = logging.getLogger(__name__)

MAX_SEEN = 500
CURSOR_VERSION = 1


class RssOptions(SourceOptions):
    """Options of an RSS/Atom source: the feed URL (its host may be overridden by base_url)."""

    url: str

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str) -> str:
        return check_http_url(value)

    def feed_url(self) -> str:
        """The URL actually fetched: `url`, with scheme and host from `base_url` when set."""
        if not self.base_url:
            return self.url
        base, feed = urlsplit(self.base_url), urlsplit(self.url)
        path = base.path.rstrip("/") + feed.path
        return urlunsplit((base.scheme, base.netloc, path, feed.query, ""))


class RssSource(Source):
    """Collects an RSS 2.0 or Atom feed with conditional GET; reports each entry once."""

    platform = "rss"

    def __init__(self, name: str, *, url: str, http: HttpClient) -> None:
        super().__init__(name)
        self.client = FeedClient(url, http=http)
        self.http = http

    @classmethod
    def from_options(cls, options: RssOptions, http_options: HttpOptions) -> RssSource:
        """Build from validated options; only the feed's host (and allowed_hosts) is reachable."""
        url = options.feed_url()
        hosts = [host_of(url), *options.allowed_hosts]
        http = HttpClient(allowed_hosts=hosts, options=http_options)
        return cls(options.name, url=url, http=http)

    def close(self) -> None:
        """Release the HTTP client."""
        self.http.close()

    def fetch(self, cursor: str | None) -> FetchResult:
        """Fetch the feed; return entries not seen before (oldest first) and the new cursor."""
        state = load_cursor(cursor)
        response = self.client.fetch(etag=state["etag"], last_modified=state["last_modified"])
        if response.not_modified or response.content is None:
            return FetchResult(posts=[], cursor=cursor, not_modified=True)
        parsed = parse_feed(
            response.content, where=response.url, content_type=response.content_type
        )
        seen = dict(state["seen"])
        fresh: list[Post] = []
        current: list[list[str]] = []
        for entry in parsed.entries:
            post = post_from_entry(entry, feed=parsed.feed, source=self.name)
            digest = text_digest(post.text)
            current.append([post.external_id, digest])
            known = seen.get(post.external_id)
            if known is None:
                fresh.append(post)
            elif known != digest:
                fresh.append(_edited(post))
        fresh = oldest_first(fresh)
        logger.debug("feed %s: %d entries, %d new", self.name, len(current), len(fresh))
        new_state = {
            "etag": response.etag,
            "last_modified": response.last_modified,
            "seen": merge_seen(current, state["seen"]),
        }
        return FetchResult(posts=fresh, cursor=dump_cursor(new_state))


def text_digest(text: str) -> str:
    """A short digest of a post's text, enough to notice an edit between two fetches."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def oldest_first(posts: list[Post]) -> list[Post]:
    """Order posts oldest first; undated ones keep reversed feed order (feeds list newest first)."""
    now = datetime.now(UTC)
    indexed = list(enumerate(reversed(posts)))
    indexed.sort(key=lambda pair: (pair[1].created_at or now, pair[0]))
    return [post for _, post in indexed]


def merge_seen(current: list[list[str]], previous: list[list[str]]) -> list[list[str]]:
    """Current entries first, then older remembered ones, bounded but never below the feed."""
    ids = {item[0] for item in current}
    merged = current + [item for item in previous if item[0] not in ids]
    return merged[: max(MAX_SEEN, len(current))]


def load_cursor(cursor: str | None) -> dict[str, Any]:
    """Decode a cursor; anything unreadable means a first run (logged, never fatal)."""
    empty: dict[str, Any] = {"etag": None, "last_modified": None, "seen": []}
    if not cursor:
        return empty
    try:
        data = json.loads(cursor)
        seen = [[str(i), str(d)] for i, d in data.get("seen", [])]
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
    except (ValueError, TypeError, AttributeError):
        logger.warning("ignoring an unreadable RSS cursor; treating this fetch as the first")
        return empty
    return {"etag": data.get("etag"), "last_modified": data.get("last_modified"), "seen": seen}


def dump_cursor(state: dict[str, Any]) -> str:
    """Encode the cursor as compact JSON."""
    return json.dumps({"v": CURSOR_VERSION, **state}, separators=(",", ":"), ensure_ascii=False)


def _edited(post: Post) -> Post:
    return replace(post, edited=True)

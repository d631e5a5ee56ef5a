"""`BlueskySource`: an author's feed (public AppView) or a name search (app-password session).

The cursor is a small JSON object (version 1)::

    {"v": 1, "mark": "<newest indexedAt seen>", "seen": ["at://…", ...]}   # newest first

Pages are read newest first until an item older than `mark` (or the end: `cursor` absent,
or `max_pages`); items at or after `mark` already in `seen` are skipped, so each post is
reported once. Search sends `since=<mark>` so the server does the cutting too.

`recheck` hydrates collected post URIs from the public AppView (`getPosts`, 25 at a time):
a URI the answer leaves out was deleted (or hidden by its author's account being removed).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from sources._http import HttpOptions, host_of
from sources.base import ApiSource, SourceOptions, check_http_url
from sources.bluesky.client import MAX_URIS_PER_LOOKUP, BlueskyClient
from sources.bluesky.payloads import REPOST, item_time, post_from_view
from sources.errors import MalformedResponse
from sources.post import FetchResult, Post
from sources.queries import names_only
from sources.recheck import RecheckResult, Verdicts, in_batches

logger = logging.getLogger(__name__)

APPVIEW = "https://public.api.bsky.app"
PDS = "https://bsky.social"
CURSOR_VERSION = 1
MAX_SEEN = 300
# Only DID-form post URIs are compared: the answer names posts by DID, never by handle.
_POST_URI = re.compile(
    r"^at://did:[a-z]+:[A-Za-z0-9._:%-]+/app\.bsky\.feed\.post/[A-Za-z0-9._~:-]+$"
)


class BlueskyOptions(SourceOptions):
    """Either `actor` (handle or DID; public) or `query` (names only; needs an app password)."""

    actor: str | None = None
    query: str | None = None
    identifier: str | None = None  # handle or e-mail of the account owning the app password
    app_password: SecretStr | None = None
    pds_url: str | None = None  # session + search host; default base_url, else bsky.social
    filter: Literal["posts_with_replies", "posts_no_replies", "posts_and_author_threads"] = (
        "posts_with_replies"
    )
    max_pages: int = Field(default=3, ge=1, le=20)
    page_size: int = Field(default=50, ge=1, le=100)

    @field_validator("query")
    @classmethod
    def _names_only(cls, value: str | None) -> str | None:
        return None if value is None else names_only(value)

    @field_validator("pds_url")
    @classmethod
    def _pds_is_http(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @model_validator(mode="after")
    def _one_target(self) -> BlueskyOptions:
        if (self.actor is None) == (self.query is None):
            raise ValueError("set exactly one of 'actor' or 'query'")
        if self.query is not None and not (self.identifier and self.app_password):
            raise ValueError("'query' needs 'identifier' and 'app_password' (search needs login)")
        return self


class BlueskySource(ApiSource[BlueskyOptions, BlueskyClient]):
    """Collects one Bluesky author feed or one search, reporting each post once."""

    platform = "bluesky"
    can_recheck = True

    @classmethod
    def from_options(cls, options: BlueskyOptions, http_options: HttpOptions) -> BlueskySource:
        """Build from validated options; only the AppView and PDS hosts are reachable."""
        appview = options.base_url or APPVIEW
        pds = options.pds_url or options.base_url or PDS
        password = options.app_password.get_secret_value() if options.app_password else None
        client = BlueskyClient(
            appview=appview,
            pds=pds,
            hosts=[host_of(appview), host_of(pds), *options.allowed_hosts],
            http_options=http_options,
            identifier=options.identifier,
            password=password,
        )
        return cls(options.name, options=options, client=client)

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read pages newest first down to the last mark; return new posts oldest first."""
        mark, seen = load_cursor(cursor)
        fresh: list[dict[str, Any]] = []
        taken = set(seen)
        page: str | None = None
        for _ in range(self.options.max_pages):
            data = self._page(page, mark)
            reached_mark = False
            for item in _items(data):
                when = item_time(item)
                if mark and _after(mark, when):
                    reached_mark = True
                    break
                if _key(item) not in taken:
                    taken.add(_key(item))
                    fresh.append(item)
            page = data.get("cursor") if isinstance(data.get("cursor"), str) else None
            if reached_mark or not page:
                break
        by_id: dict[str, Post] = {}  # a post and its repost in one batch: one Post
        for item in fresh:
            post = post_from_view(item["post"], source=self.name, reason=item.get("reason"))
            by_id.setdefault(post.external_id, post)
        posts = list(by_id.values())
        new_mark = max([mark or "", *(item_time(i) for i in fresh)], key=_parse_or_min)
        new_seen = [_key(i) for i in fresh] + [s for s in seen if s]
        logger.debug("bluesky %s: %d new posts", self.name, len(posts))
        return FetchResult(posts=posts[::-1], cursor=dump_cursor(new_mark, new_seen[:MAX_SEEN]))

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Hydrate the posts again, 25 per request; those left out of the answer are gone."""
        return in_batches(external_ids, size=MAX_URIS_PER_LOOKUP, check=self._posts_exist)

    def _posts_exist(self, uris: list[str]) -> Verdicts:
        asked = [uri for uri in uris if _POST_URI.match(uri)]
        if not asked:
            return {}
        views = self.client.get_posts(asked).get("posts")
        if not isinstance(views, list):
            raise MalformedResponse("Bluesky getPosts answer without a 'posts' list")
        found = {view.get("uri") for view in views if isinstance(view, dict)}
        return {uri: uri in found for uri in asked}

    def _page(self, page: str | None, mark: str | None) -> dict[str, Any]:
        size = self.options.page_size
        if self.options.actor is not None:
            return self.client.author_feed(
                self.options.actor, cursor=page, limit=size, filter=self.options.filter
            )
        assert self.options.query is not None
        return self.client.search(self.options.query, since=mark, cursor=page, limit=size)


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Feed items (`feed`) or search hits (`posts`) as `{"post", "reason"?}` dicts."""
    if isinstance(data.get("feed"), list):
        items = data["feed"]
    elif isinstance(data.get("posts"), list):
        items = [{"post": view} for view in data["posts"]]
    else:
        raise MalformedResponse("Bluesky response has neither 'feed' nor 'posts'")
    if not all(isinstance(i, dict) and isinstance(i.get("post"), dict) for i in items):
        raise MalformedResponse("Bluesky feed item without a post")
    return [i for i in items if (i.get("reason") or {}).get("$type") in (None, REPOST)]


def _key(item: dict[str, Any]) -> str:
    reason = item.get("reason") or {}
    uri = str(item["post"].get("uri"))
    return f"{uri}#repost:{(reason.get('by') or {}).get('did')}" if reason else uri


def _parse_or_min(value: str) -> datetime:
    """An ISO time as aware UTC; the earliest time for anything unparsable."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _after(mark: str, when: str) -> bool:
    """True when `when` is strictly older than `mark` (both ISO times)."""
    return _parse_or_min(when) < _parse_or_min(mark)


def load_cursor(cursor: str | None) -> tuple[str | None, list[str]]:
    """Decode the cursor; an unreadable one means a first run (logged, never fatal)."""
    if not cursor:
        return None, []
    try:
        data = json.loads(cursor)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        return (str(data["mark"]) or None), [str(s) for s in data.get("seen", [])]
    except (ValueError, TypeError, AttributeError, KeyError):
        logger.warning("ignoring an unreadable Bluesky cursor; treating this fetch as the first")
        return None, []


def dump_cursor(mark: str | None, seen: list[str]) -> str:
    """Encode the cursor as compact JSON."""
    return json.dumps(
        {"v": CURSOR_VERSION, "mark": mark or "", "seen": seen}, separators=(",", ":")
    )

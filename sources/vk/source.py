"""`VkSource`: `newsfeed.search` for a name, or `wall.get` of a user or community.

Off by default: a VK source refuses to fetch unless its config says `opt_in: true`, because
VK (a Russian platform) sees every query and every wall we watch. The cursor is JSON
(version 1)::

    {"v": 1, "mark": <newest post date seen, unix>, "seen": ["<owner>_<id>", ...]}

Pages are read newest first down to `mark` (search also sends `start_time=mark`); posts at
`mark` already in `seen` are skipped, so each post is reported once. Pinned wall posts are
old but come first, so they never end the paging.

`recheck` asks `wall.getById` for collected posts, 100 per call: a post missing from the
answer (or marked `is_deleted`) was deleted, or its wall is no longer public.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from sources._http import HttpOptions, host_of
from sources.base import ApiSource, SourceOptions
from sources.errors import ConfigError, MalformedResponse
from sources.post import FetchResult
from sources.queries import names_only
from sources.recheck import RecheckResult, Verdicts, in_batches
from sources.vk.client import VkClient
from sources.vk.payloads import author_index, post_from_item, post_key

logger = logging.getLogger(__name__)

API = "https://api.vk.ru"
CURSOR_VERSION = 1
MAX_SEEN = 500
POSTS_PER_LOOKUP = 100  # wall.getById takes at most 100 posts
_POST_KEY = re.compile(r"^-?\d{1,20}_\d{1,20}$")


class VkOptions(SourceOptions):
    """A service token and either `query` (a name; newsfeed.search) or `owner` (wall.get)."""

    opt_in: bool = False  # VK is off by default: a Russian platform sees the queries
    access_token: SecretStr
    query: str | None = None
    owner: str | None = None  # numeric id (negative: community) or screen name
    max_pages: int = Field(default=3, ge=1, le=10)

    @field_validator("query")
    @classmethod
    def _names_only(cls, value: str | None) -> str | None:
        return None if value is None else names_only(value)

    @model_validator(mode="after")
    def _one_target(self) -> VkOptions:
        if (self.query is None) == (self.owner is None):
            raise ValueError("set exactly one of 'query' or 'owner'")
        return self


class VkSource(ApiSource[VkOptions, VkClient]):
    """Collects one VK search or wall, reporting each post once."""

    platform = "vk"
    can_recheck = True

    @classmethod
    def from_options(cls, options: VkOptions, http_options: HttpOptions) -> VkSource:
        """Build from validated options; only the API host is reachable."""
        base = options.base_url or API
        client = VkClient(
            base_url=base,
            token=options.access_token.get_secret_value(),
            hosts=[host_of(base), *options.allowed_hosts],
            http_options=http_options,
        )
        return cls(options.name, options=options, client=client)

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read pages newest first down to the last mark; return new posts oldest first."""
        self._require_opt_in()
        mark, seen = load_cursor(cursor)
        fresh: list[Any] = []
        keys: set[str] = set(seen)
        paging: str | int | None = None
        for page in range(self.options.max_pages):
            response = self._page(page, paging, mark)
            items = response.get("items")
            if not isinstance(items, list):
                raise MalformedResponse("VK response without an 'items' list")
            authors = author_index(response)
            older = False
            for item in items:
                if not isinstance(item, dict):
                    raise MalformedResponse("VK item is not an object")
                if mark and int(item.get("date") or 0) < mark and not item.get("is_pinned"):
                    older = True
                    continue
                if post_key(item) not in keys:
                    keys.add(post_key(item))
                    fresh.append((item, authors))
            paging = self._next(response, page, len(items))
            if older or paging is None:
                break
        return self._result(fresh, mark, seen)

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Ask `wall.getById` for the posts again; those it leaves out are gone."""
        try:
            self._require_opt_in()
        except ConfigError as exc:
            return RecheckResult(error=exc)
        return in_batches(external_ids, size=POSTS_PER_LOOKUP, check=self._posts_exist)

    def _posts_exist(self, keys: list[str]) -> Verdicts:
        asked = [key for key in keys if _POST_KEY.match(key)]
        if not asked:
            return {}
        items = self.client.call("wall.getById", {"posts": ",".join(asked)}).get("items")
        if not isinstance(items, list):
            raise MalformedResponse("VK wall.getById answer without an 'items' list")
        live = {
            post_key(item)
            for item in items
            if isinstance(item, dict) and not item.get("is_deleted")
        }
        return {key: key in live for key in asked}

    def _require_opt_in(self) -> None:
        if not self.options.opt_in:
            raise ConfigError(f"VK source {self.name!r} is off by default; set opt_in: true")

    def _page(self, page: int, paging: str | int | None, mark: int | None) -> dict[str, Any]:
        if self.options.query is not None:
            params: dict[str, Any] = {"q": self.options.query, "extended": 1, "count": 200}
            if mark:
                params["start_time"] = mark
            if paging:
                params["start_from"] = paging
            return self.client.call("newsfeed.search", params)
        owner = self.options.owner or ""
        target = {"owner_id": owner} if owner.lstrip("-").isdigit() else {"domain": owner}
        params = {**target, "extended": 1, "count": 100, "offset": page * 100}
        return self.client.call("wall.get", params)

    def _next(self, response: dict[str, Any], page: int, size: int) -> str | int | None:
        if self.options.query is not None:
            value = response.get("next_from")
            return str(value) if value else None
        total = response.get("count")
        more = isinstance(total, int) and (page + 1) * 100 < total and size > 0
        return page + 1 if more else None

    def _result(self, fresh: list[Any], mark: int | None, seen: list[str]) -> FetchResult:
        posts = []
        for item, authors in fresh:
            post = post_from_item(item, authors=authors, source=self.name)
            if post is not None:
                posts.append(post)
        posts.sort(key=lambda p: p.created_at.timestamp() if p.created_at else 0)
        dates = [int(item.get("date") or 0) for item, _ in fresh]
        new_mark = max([mark or 0, *dates])
        new_seen = [post_key(item) for item, _ in fresh] + seen
        logger.debug("vk %s: %d new posts", self.name, len(posts))
        return FetchResult(posts=posts, cursor=dump_cursor(new_mark, new_seen[:MAX_SEEN]))


def load_cursor(cursor: str | None) -> tuple[int | None, list[str]]:
    """Decode the cursor; an unreadable one means a first run (logged, never fatal)."""
    if not cursor:
        return None, []
    try:
        data = json.loads(cursor)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        return int(data["mark"]) or None, [str(s) for s in data.get("seen", [])]
    except (ValueError, TypeError, AttributeError, KeyError):
        logger.warning("ignoring an unreadable VK cursor; treating this fetch as the first")
        return None, []


def dump_cursor(mark: int | None, seen: list[str]) -> str:
    """Encode the cursor as compact JSON."""
    return json.dumps({"v": CURSOR_VERSION, "mark": mark or 0, "seen": seen}, separators=(",", ":"))

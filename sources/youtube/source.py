"""`YoutubeSource`: comment threads of a video or channel, or a rationed name search.

Comment threads cost 1 quota unit a page; `search.list` has its own small bucket (100 calls
a day for a default project), so each search source spends at most `search_calls_per_day`
calls a Pacific day, counted in its cursor. The cursor is JSON (version 1)::

    {"v": 1, "mark": "<newest publishedAt seen>", "seen": ["<comment id>", ...],
     "day": "YYYY-MM-DD", "searches": <search.list calls that Pacific day>}

Pages are read newest first (`order=time` / `order=date`) down to `mark`; ids in `seen` are
skipped, so each comment is reported once.

`recheck` looks collected items up by id, 50 per call at 1 quota unit each:
`comments.list?id=` for comments, `videos.list?id=` for search hits. An id missing from the
answer was deleted (or, for a video, made private).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from sources._http import HttpOptions, host_of
from sources.base import ApiSource, SourceOptions
from sources.errors import RateLimited
from sources.post import FetchResult, Post
from sources.queries import names_only
from sources.recheck import RecheckResult, Verdicts, in_batches
from sources.timestamps import parse_iso8601
from sources.youtube.client import YoutubeClient, pacific_day, seconds_to_pacific_midnight
from sources.youtube.payloads import (
    VIDEO_PREFIX,
    comments_of_thread,
    post_from_comment,
    post_from_search_result,
)

logger = logging.getLogger(__name__)

API = "https://www.googleapis.com"
CURSOR_VERSION = 1
MAX_SEEN = 1000
IDS_PER_LOOKUP = 50  # comments.list and videos.list take at most 50 ids
_ITEM_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")  # comment ids hold dots, never commas


class YoutubeOptions(SourceOptions):
    """An API key and one of `video_id`, `channel_id` (comment threads) or `query` (search)."""

    api_key: SecretStr
    video_id: str | None = None
    channel_id: str | None = None  # allThreadsRelatedToChannelId: comments on all its videos
    query: str | None = None  # names only; uses the search.list bucket
    search_calls_per_day: int = Field(default=10, ge=1, le=100)
    region_code: str | None = None  # e.g. KZ, for search
    max_pages: int = Field(default=3, ge=1, le=20)

    @field_validator("query")
    @classmethod
    def _names_only(cls, value: str | None) -> str | None:
        return None if value is None else names_only(value)

    @model_validator(mode="after")
    def _one_target(self) -> YoutubeOptions:
        if sum(v is not None for v in (self.video_id, self.channel_id, self.query)) != 1:
            raise ValueError("set exactly one of 'video_id', 'channel_id' or 'query'")
        return self


class YoutubeSource(ApiSource[YoutubeOptions, YoutubeClient]):
    """Collects one video's or channel's comments, or one search, reporting each item once."""

    platform = "youtube"
    can_recheck = True

    @classmethod
    def from_options(cls, options: YoutubeOptions, http_options: HttpOptions) -> YoutubeSource:
        """Build from validated options; only the API host is reachable."""
        base = options.base_url or API
        client = YoutubeClient(
            base_url=base,
            key=options.api_key.get_secret_value(),
            hosts=[host_of(base), *options.allowed_hosts],
            http_options=http_options,
        )
        return cls(options.name, options=options, client=client)

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read pages newest first down to the last mark; return new items oldest first."""
        state = load_cursor(cursor)
        if state["day"] != pacific_day():
            state.update(day=pacific_day(), searches=0)
        mark = parse_iso8601(state["mark"])
        seen = set(state["seen"])
        fresh: list[Post] = []
        token: str | None = None
        for page in range(self.options.max_pages):
            if self._budget_spent(state):
                if page == 0:
                    raise RateLimited(
                        f"YouTube search budget of source {self.name!r} used up for today",
                        retry_after=seconds_to_pacific_midnight(),
                    )
                break
            data = self._page(token, state)
            older = False
            for post, when in self._posts(data):
                if mark and when and when < mark:
                    older = True
                elif post.external_id not in seen:
                    seen.add(post.external_id)
                    fresh.append(post)
            token = (
                data.get("nextPageToken") if isinstance(data.get("nextPageToken"), str) else None
            )
            if older or not token:
                break
        return self._result(fresh, state)

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Look comments, then videos (search hits), up by id; a missing id is gone."""
        videos = [i for i in external_ids if i.startswith(VIDEO_PREFIX)]
        comments = [i for i in external_ids if not i.startswith(VIDEO_PREFIX)]
        first = in_batches(comments, size=IDS_PER_LOOKUP, check=self._exist("comments"))
        if first.error is not None:
            return first
        return first.combined(in_batches(videos, size=IDS_PER_LOOKUP, check=self._exist("videos")))

    def _exist(self, resource: str) -> Callable[[list[str]], Verdicts]:
        """A batch check over `resource` (`comments` or `videos`) by id."""
        prefix = VIDEO_PREFIX if resource == "videos" else ""

        def check(external_ids: list[str]) -> Verdicts:
            ids = {e.removeprefix(prefix): e for e in external_ids}
            ids = {i: e for i, e in ids.items() if _ITEM_ID.match(i)}
            if not ids:
                return {}
            data = self.client.list(resource, {"part": "id", "id": ",".join(ids)})
            found = {item.get("id") for item in data.get("items", []) if isinstance(item, dict)}
            return {external: item_id in found for item_id, external in ids.items()}

        return check

    def _budget_spent(self, state: dict[str, Any]) -> bool:
        """True when this search source has spent its search.list calls for the Pacific day."""
        limit = self.options.search_calls_per_day
        return self.options.query is not None and state["searches"] >= limit

    def _page(self, token: str | None, state: dict[str, Any]) -> dict[str, Any]:
        options = self.options
        paging = {"pageToken": token} if token else {}
        if options.query is None:
            target = (
                {"videoId": options.video_id}
                if options.video_id
                else {"allThreadsRelatedToChannelId": options.channel_id}
            )
            params = {"part": "snippet,replies", "order": "time", "textFormat": "plainText"}
            return self.client.list(
                "commentThreads", {**params, **target, "maxResults": 100, **paging}
            )
        state["searches"] += 1
        params = {"part": "snippet", "q": options.query, "type": "video", "order": "date"}
        if state["mark"]:
            params["publishedAfter"] = state["mark"]
        if options.region_code:
            params["regionCode"] = options.region_code
        return self.client.list("search", {**params, "maxResults": 50, **paging})

    def _posts(self, data: dict[str, Any]) -> list[tuple[Post, datetime | None]]:
        """Posts of one page, each with the time that orders the page (thread or video time)."""
        out: list[tuple[Post, datetime | None]] = []
        for item in data.get("items", []):
            if self.options.query is not None:
                post = post_from_search_result(item, source=self.name)
                if post is not None:
                    out.append((post, post.created_at))
                continue
            comments = [post_from_comment(c, source=self.name) for c in comments_of_thread(item)]
            if comments:
                out.extend((c, comments[0].created_at) for c in comments)
        return out

    def _result(self, fresh: list[Post], state: dict[str, Any]) -> FetchResult:
        floor = datetime.min.replace(tzinfo=UTC)
        fresh.sort(key=lambda post: post.created_at or floor)
        times = [p.created_at for p in fresh if p.created_at]
        mark = parse_iso8601(state["mark"])
        newest = max([t for t in [mark, *times] if t], default=None)
        state["mark"] = newest.astimezone(UTC).isoformat().replace("+00:00", "Z") if newest else ""
        state["seen"] = ([p.external_id for p in reversed(fresh)] + state["seen"])[:MAX_SEEN]
        logger.debug("youtube %s: %d new items", self.name, len(fresh))
        return FetchResult(posts=fresh, cursor=dump_cursor(state))


def load_cursor(cursor: str | None) -> dict[str, Any]:
    """Decode the cursor; an unreadable one means a first run (logged, never fatal)."""
    empty: dict[str, Any] = {"mark": "", "seen": [], "day": "", "searches": 0}
    if not cursor:
        return empty
    try:
        data = json.loads(cursor)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        return {
            "mark": str(data.get("mark") or ""),
            "seen": [str(s) for s in data.get("seen", [])],
            "day": str(data.get("day") or ""),
            "searches": int(data.get("searches") or 0),
        }
    except (ValueError, TypeError, AttributeError):
        logger.warning("ignoring an unreadable YouTube cursor; treating this fetch as the first")
        return empty


def dump_cursor(state: dict[str, Any]) -> str:
    """Encode the cursor as compact JSON."""
    return json.dumps({"v": CURSOR_VERSION, **state}, separators=(",", ":"))

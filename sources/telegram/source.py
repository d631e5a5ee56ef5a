"""`TelegramSource`: a public channel's web preview, polled newest page first.

The cursor holds the highest message id delivered (see `sources.telegram.cursor`). A fetch
reads the newest page, then pages back with `?before=<id>` until it reaches that id. When
`max_pages` runs out first, the unread stretch below is kept in the cursor as a gap, and
later fetches close gaps with the pages left after reading what is new, so a burst of
posts is delivered late rather than skipped. Posts come back oldest first. With `query`
set, the same walks run over the channel's in-channel search (`?q=`). Queries reveal whom
we protect, so only names are accepted (`sources.queries.names_only`).

"No posts found" on a channel page is Telegram throttling us (RateLimited). On a search
it may also mean "no hit": the channel page is then read once to tell the two apart.

`recheck` finds deleted messages as holes in the channel's id sequence (see
`sources.telegram.recheck`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field, field_validator

from sources._http import HttpClient, HttpOptions, host_of
from sources.base import Source, SourceOptions
from sources.errors import NotFound, RateLimited
from sources.post import FetchResult, Post
from sources.queries import names_only
from sources.recheck import RecheckResult
from sources.telegram.client import THROTTLE_RETRY_SECONDS, PreviewClient
from sources.telegram.cursor import Cursor, dump_cursor, load_cursor
from sources.telegram.payloads import Page, parse_page
from sources.telegram.recheck import recheck_messages

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://t.me"
_CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class TelegramOptions(SourceOptions):
    """Options of a Telegram channel source (config keys: channel, query, max_pages)."""

    channel: str
    query: str | None = Field(default=None, min_length=2, max_length=200)
    max_pages: int = Field(default=5, ge=1, le=50)

    @field_validator("channel")
    @classmethod
    def _channel_is_a_username(cls, value: str) -> str:
        value = value.removeprefix("@")
        if not _CHANNEL.match(value):
            raise ValueError("must be a public channel username like 'example_channel'")
        return value

    @field_validator("query")
    @classmethod
    def _query_is_a_name(cls, value: str | None) -> str | None:
        return None if value is None else names_only(value)


class TelegramSource(Source):
    """Collects new messages of one public channel (optionally an in-channel search)."""

    platform = "telegram"
    can_recheck = True

    def __init__(
        self,
        name: str,
        *,
        client: PreviewClient,
        http: HttpClient,
        query: str | None = None,
        max_pages: int = 5,
    ) -> None:
        super().__init__(name)
        self.client, self.http = client, http
        self.query, self.max_pages = query, max_pages

    @classmethod
    def from_options(cls, options: TelegramOptions, http_options: HttpOptions) -> TelegramSource:
        """Build from validated options; only the preview host (and allowed_hosts) is reachable."""
        base = options.base_url or DEFAULT_BASE_URL
        http = HttpClient(
            allowed_hosts=[host_of(base), *options.allowed_hosts], options=http_options
        )
        client = PreviewClient(base, options.channel, http=http)
        return cls(
            options.name,
            client=client,
            http=http,
            query=options.query,
            max_pages=options.max_pages,
        )

    def close(self) -> None:
        """Release the HTTP client."""
        self.http.close()

    def fetch(self, cursor: str | None) -> FetchResult:
        """Return messages not delivered before (oldest first) and the cursor to resume from."""
        state = load_cursor(cursor)
        fresh: dict[int, Post] = {}
        newest = self._walk(fresh, before=None, floor=state.high, budget=self.max_pages)
        gaps = list(state.gaps)
        if newest.unread_before is not None and state.high:
            gaps.insert(0, (state.high, newest.unread_before))
        budget, left = self.max_pages - newest.pages, []
        for floor, before in gaps:
            if budget <= 0:
                left.append((floor, before))
                continue
            walk = self._walk(fresh, before=before, floor=floor, budget=budget)
            budget -= walk.pages
            if walk.unread_before is not None:
                left.append((floor, walk.unread_before))
        if left:
            logger.info("telegram %s: %d unread gap(s) left for the next run", self.name, len(left))
        new_state = Cursor(max(state.high, newest.highest), tuple(left))
        posts = [fresh[i] for i in sorted(fresh)]
        return FetchResult(posts=posts, cursor=dump_cursor(new_state, source=self.name))

    def _walk(self, fresh: dict[int, Post], *, before: int | None, floor: int, budget: int) -> Walk:
        """Page back from `before` (None: the newest page) towards `floor`, within `budget`.

        Messages strictly between `floor` and the starting `before` go into `fresh`. The
        walk ends when it reaches `floor`, the channel's first page, or a server that
        ignores `?before=`; if the budget ends it first, `unread_before` says where.
        """
        ceiling, highest = before, 0
        for number in range(budget):
            page = self._page(before)
            if not page.ids:
                return Walk(number + 1, highest, None)  # a search without (more) hits
            highest = max(highest, *page.ids)
            for post in page.posts:
                message_id = int(post.raw["id"])
                if floor < message_id and (ceiling is None or message_id < ceiling):
                    fresh.setdefault(message_id, post)
            if min(page.ids) <= floor + 1 or page.before is None:
                return Walk(number + 1, highest, None)
            if before is not None and page.before >= before:
                return Walk(number + 1, highest, None)  # ?before= ignored: no progress
            before = page.before
        return Walk(budget, highest, before)

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Read the channel pages spanning the asked ids; ids missing from them were deleted."""
        return recheck_messages(
            self.client, external_ids, source=self.name, max_pages=self.max_pages
        )

    def _page(self, before: int | None) -> Page:
        """Fetch and parse one page, turning throttling and missing channels into errors."""
        content = self.client.page(before=before, query=self.query)
        page = parse_page(content, source=self.name, where="t.me preview")
        if page.ids:
            return page
        if page.no_posts_found:
            if self.query and self._channel_has_messages():
                return page
            raise RateLimited(
                "Telegram answered 'No posts found' (throttled); retry later",
                retry_after=THROTTLE_RETRY_SECONDS,
            )
        if before is None and not page.has_channel_info:
            raise NotFound("Telegram channel not found (no channel info on its preview page)")
        return page

    def _channel_has_messages(self) -> bool:
        """True when the plain channel page lists messages (so the search really had no hit)."""
        page = parse_page(self.client.page(), source=self.name, where="t.me preview")
        return bool(page.ids)


@dataclass(frozen=True, slots=True)
class Walk:
    """One walk back through the pages: pages read, highest id seen, where reading stopped."""

    pages: int
    highest: int
    unread_before: int | None  # None: the walk reached its floor; else ids below are unread

"""`MastodonSource`: a hashtag timeline or an account's statuses on a Mastodon-API server.

The cursor is the newest status id seen (ids are opaque strings: compared by length, then
lexically, never cast). The first run reads the newest page; later runs walk forward with
`min_id=<cursor>` (each page is the statuses just after it) following `Link rel="prev"`,
up to `max_pages` pages; what is left is picked up next run, so nothing is skipped.

`recheck` looks each collected status up (`GET /api/v1/statuses/:id`): 404 or 410 means
it was deleted (or made non-public, which the API does not tell apart).

An empty `[]` from a hashtag timeline may mean "this server does not serve that feed to
anonymous clients" (4.5+ `timelines_access`): `/api/v2/instance` is then read once and a
restricted feed becomes an AuthError/ConfigError instead of silence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from pydantic import Field, field_validator, model_validator

from sources._http import HttpClient, HttpOptions, host_of
from sources.base import Source, SourceOptions
from sources.errors import AuthError, ConfigError, MalformedResponse, NotFound
from sources.mastodon.client import JsonPage, MastodonClient, reset_after
from sources.mastodon.payloads import post_from_status
from sources.post import FetchResult, Post
from sources.recheck import RecheckResult, Verdicts, in_batches

logger = logging.getLogger(__name__)

PAGE_LIMIT = 40
_TAG = re.compile(r"^\w{1,100}$")
_ACCT = re.compile(r"^[A-Za-z0-9_.-]{1,64}(@[A-Za-z0-9.-]+(:\d+)?)?$")
_STATUS_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # opaque, but never a path


class MastodonOptions(SourceOptions):
    """Options of a Mastodon source: base_url plus exactly one of hashtag or account."""

    hashtag: str | None = None
    account: str | None = None
    max_pages: int = Field(default=5, ge=1, le=50)

    @field_validator("hashtag")
    @classmethod
    def _tag_is_bare(cls, value: str | None) -> str | None:
        if value is not None and not _TAG.match(value.removeprefix("#")):
            raise ValueError("must be a hashtag without spaces, like 'example'")
        return None if value is None else value.removeprefix("#")

    @field_validator("account")
    @classmethod
    def _account_is_an_acct(cls, value: str | None) -> str | None:
        if value is not None and not _ACCT.match(value.removeprefix("@")):
            raise ValueError("must be an account like 'user' or 'user@host'")
        return None if value is None else value.removeprefix("@")

    @model_validator(mode="after")
    def _one_feed_and_a_server(self) -> MastodonOptions:
        if (self.hashtag is None) == (self.account is None):
            raise ValueError("give exactly one of 'hashtag' or 'account'")
        if not self.base_url:
            raise ValueError(
                "'base_url' (the Mastodon server, e.g. https://mastodon.example) is required"
            )
        return self


def id_key(status_id: str) -> tuple[int, str]:
    """Order for opaque Mastodon ids: by length, then lexically (snowflakes sort this way)."""
    return (len(status_id), status_id)


class MastodonSource(Source):
    """Collects new public statuses of one hashtag or one account, oldest first."""

    platform = "mastodon"
    can_recheck = True

    def __init__(
        self,
        name: str,
        *,
        client: MastodonClient,
        http: HttpClient,
        hashtag: str | None = None,
        account: str | None = None,
        max_pages: int = 5,
    ) -> None:
        super().__init__(name)
        self.client, self.http = client, http
        self.hashtag, self.account, self.max_pages = hashtag, account, max_pages
        self._instance_checked = False

    @classmethod
    def from_options(cls, options: MastodonOptions, http_options: HttpOptions) -> MastodonSource:
        """Build from validated options; only the server's host (and allowed_hosts) is reachable."""
        base = str(options.base_url)
        http = HttpClient(
            allowed_hosts=[host_of(base), *options.allowed_hosts],
            options=http_options,
            reset_after=reset_after,
        )
        return cls(
            options.name,
            client=MastodonClient(base, http=http),
            http=http,
            hashtag=options.hashtag,
            account=options.account,
            max_pages=options.max_pages,
        )

    def close(self) -> None:
        """Release the HTTP client."""
        self.http.close()

    def fetch(self, cursor: str | None) -> FetchResult:
        """Return statuses newer than `cursor` (oldest first) and the newest id seen."""
        path = self._timeline_path()
        newest = cursor or None
        fresh: dict[str, Post] = {}
        params: dict[str, str] = {"limit": str(PAGE_LIMIT)}
        if cursor:
            params["min_id"] = cursor
        for number in range(self.max_pages):
            page = self._get_timeline(path, params)
            statuses = _status_list(page.data)
            if not statuses:
                if number == 0 and self.hashtag:
                    self._check_feed_is_public()
                break
            for status in statuses:
                post = post_from_status(status, source=self.name)
                fresh.setdefault(post.external_id, post)
                if newest is None or id_key(status["id"]) > id_key(newest):
                    newest = status["id"]
            if not cursor or "min_id" not in page.links.get("prev", {}):
                break  # first run: the newest page is the backfill
            params = {"limit": str(PAGE_LIMIT), "min_id": page.links["prev"]["min_id"]}
        posts = sorted(fresh.values(), key=lambda p: id_key(p.raw.get("boost_id") or p.external_id))
        return FetchResult(posts=posts, cursor=newest)

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Look each status up again; one request each, paced by the shared host limiter."""
        return in_batches(external_ids, size=1, check=self._statuses_exist)

    def _statuses_exist(self, ids: list[str]) -> Verdicts:
        verdicts: dict[str, bool] = {}
        for status_id in ids:
            if not _STATUS_ID.match(status_id):
                continue  # not an id this server issued: leave it unchecked
            try:
                self.client.get(f"/api/v1/statuses/{quote(status_id, safe='')}")
            except NotFound:
                verdicts[status_id] = False
            else:
                verdicts[status_id] = True
        return verdicts

    def _get_timeline(self, path: str, params: dict[str, str]) -> JsonPage:
        """One timeline page; a 401/403 means the server keeps this feed from anonymous users."""
        try:
            return self.client.get(path, params)
        except AuthError as exc:
            raise AuthError(f"{exc}: the server does not show this feed without login") from exc

    def _timeline_path(self) -> str:
        """The statuses endpoint: the tag timeline, or the account's (looked up by acct)."""
        if self.hashtag:
            return f"/api/v1/timelines/tag/{quote(self.hashtag)}"
        try:
            account = self.client.get("/api/v1/accounts/lookup", {"acct": str(self.account)}).data
        except NotFound:
            raise NotFound("Mastodon account not found on this server") from None
        if not isinstance(account, dict) or not isinstance(account.get("id"), str):
            raise MalformedResponse("Mastodon account lookup without an id")
        return f"/api/v1/accounts/{quote(account['id'])}/statuses"

    def _check_feed_is_public(self) -> None:
        """Once per source: read /api/v2/instance and fail loudly if hashtag feeds are closed."""
        if self._instance_checked:
            return
        self._instance_checked = True
        try:
            instance = self.client.get("/api/v2/instance").data
        except (NotFound, MalformedResponse, AuthError):
            return  # an older or non-Mastodon server: [] is taken at its word
        access = _dig(instance, "configuration", "timelines_access", "hashtag_feeds")
        if not isinstance(access, dict):
            return
        modes = {str(access.get("local")), str(access.get("remote"))}
        if modes <= {"disabled"}:
            raise ConfigError("this server has disabled its hashtag timelines")
        if "public" not in modes:
            raise AuthError("this server shows hashtag timelines only to logged-in users")
        if modes != {"public"}:
            logger.info("mastodon %s: hashtag feed only partly public (%s)", self.name, access)


def _status_list(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(
        isinstance(s, dict) and isinstance(s.get("id"), str) for s in data
    ):
        raise MalformedResponse("Mastodon timeline is not a list of statuses")
    return data


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data

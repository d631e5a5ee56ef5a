"""MastodonSource against a real API server on 127.0.0.1: paging, cursor, limits, faults."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support.cassettes import load_vcr, replay
from support.http_server import RecordedRequest, Reply, TestHTTPServer

from sources._http import HttpOptions
from sources.base import Source
from sources.errors import (
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    TransientError,
)
from sources.mastodon.client import DEFAULT_RETRY_SECONDS
from sources.registry import build_source

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "mastodon"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared/fixtures/mastodon (real Mastodon 4.6.4 cassettes) is absent",
)
TAG = "/api/v1/timelines/tag/kalkandemo"
TEMPLATE = json.loads((DATA / "hashtag_page.json").read_text(encoding="utf-8"))[3]


def instance(name: str) -> Reply:
    return Reply.file(DATA / f"instance_{name}.json", content_type="application/json")


class LiveTimeline:
    """A tag timeline that grows; answers limit/min_id/max_id like Mastodon, with Link headers."""

    def __init__(self, base: str) -> None:
        self.base, self.ids = base, []  # type: list[int]

    def post(self, count: int) -> None:
        start = (self.ids[-1] if self.ids else 117200000000000000) + 1
        self.ids.extend(range(start, start + count))

    def status(self, status_id: int) -> dict[str, Any]:
        return {**TEMPLATE, "id": str(status_id), "content": f"<p>Post {status_id}</p>"}

    def __call__(self, request: RecordedRequest) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        limit = int(q.get("limit", 20))
        ids = [i for i in self.ids if i < int(q.get("max_id", 10**19))]
        after = [i for i in ids if i > int(q.get("min_id", 0))]
        ids = after[:limit] if "min_id" in q else ids[-limit:]  # min_id: just after it
        page = [self.status(i) for i in reversed(ids)]
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        if page:
            url = self.base + TAG
            headers["Link"] = (
                f'<{url}?max_id={ids[0]}>; rel="next", <{url}?min_id={ids[-1]}>; rel="prev"'
            )
        return Reply.json(page, headers=headers)


def make_source(server: TestHTTPServer, http: HttpOptions, **extra: object) -> Source:
    config = {
        "name": "masto",
        "platform": "mastodon",
        "base_url": server.url,
        "hashtag": "kalkandemo",
    }
    return build_source({**config, **extra}, http_options=http)


def test_second_fetch_returns_only_newer_posts_oldest_first(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = LiveTimeline(http_server.url)
    live.post(45)
    http_server.route(TAG, live)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        assert [int(p.external_id) for p in first.posts] == live.ids[-40:]  # newest page
        assert first.cursor == str(live.ids[-1])
        assert source.fetch(first.cursor).posts == []
        live.post(55)  # more than one page: walks forward with min_id
        second = source.fetch(first.cursor)
    assert [int(p.external_id) for p in second.posts] == live.ids[-55:]
    assert second.cursor == str(live.ids[-1]) and second.posts[0].text == f"Post {live.ids[-55]}"


def test_page_limit_leaves_the_rest_for_the_next_run_without_a_gap(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = LiveTimeline(http_server.url)
    live.post(3)
    http_server.route(TAG, live)
    with make_source(http_server, fast_http, max_pages=1) as source:
        cursor = source.fetch(None).cursor
        live.post(50)
        first = source.fetch(cursor)
        second = source.fetch(first.cursor)
    got = [int(p.external_id) for p in first.posts + second.posts]
    assert len(first.posts) == 40 and got == live.ids[-50:]


def test_429_uses_the_iso_reset_time(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    reset = (datetime.now(UTC) + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    http_server.route(TAG, Reply.json({"error": "Too many requests"}, status=429, headers=headers))
    with make_source(http_server, fast_http) as source, pytest.raises(RateLimited) as caught:
        source.fetch(None)
    assert 500 < (caught.value.retry_after or 0) <= 600


def test_429_without_any_reset_waits_the_default(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(TAG, Reply.json({"error": "Too many requests"}, status=429))
    with make_source(http_server, fast_http) as source, pytest.raises(RateLimited) as caught:
        source.fetch(None)
    assert caught.value.retry_after == DEFAULT_RETRY_SECONDS


def test_5xx_then_success(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    live = LiveTimeline(http_server.url)
    live.post(2)
    http_server.route(TAG, [Reply(status=502), live])
    with make_source(http_server, fast_http) as source:
        assert len(source.fetch(None).posts) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=b"[]", body_delay=5.0),
        Reply(body=b"[" + b'{"id": "1"},' * 200 + b"{}]", truncate_at=300),
    ],
    ids=["timeout", "truncated"],
)
def test_timeouts_and_truncated_bodies_are_transient(
    http_server: TestHTTPServer, fast_http: HttpOptions, reply: Reply
) -> None:
    http_server.route(TAG, reply)
    options = HttpOptions(
        read_timeout=0.3, retries=0, sleep=fast_http.sleep, limiter=fast_http.limiter
    )
    with make_source(http_server, options) as source, pytest.raises(TransientError):
        source.fetch(None)


@pytest.mark.parametrize(
    "body", [b'[{"id": ', b"<html>maintenance</html>", b'{"error": "odd"}', b'[{"no": "id"}]']
)
def test_malformed_bodies(http_server: TestHTTPServer, fast_http: HttpOptions, body: bytes) -> None:
    http_server.route(TAG, Reply(body=body, headers={"Content-Type": "application/json"}))
    with make_source(http_server, fast_http) as source, pytest.raises(MalformedResponse):
        source.fetch(None)


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [("disabled", ConfigError, "disabled"), ("restricted", AuthError, "logged-in")],
)
def test_empty_page_from_a_closed_feed_is_an_error_not_silence(
    http_server: TestHTTPServer, fast_http: HttpOptions, name: str, error: type, message: str
) -> None:
    http_server.route(TAG, Reply.json([]))
    http_server.route("/api/v2/instance", instance(name))
    with make_source(http_server, fast_http) as source, pytest.raises(error, match=message):
        source.fetch(None)


def test_empty_page_from_a_public_feed_is_empty_and_instance_read_once(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(TAG, Reply.json([]))
    http_server.route("/api/v2/instance", instance("public"))
    with make_source(http_server, fast_http) as source:
        assert source.fetch("117200000000000001").posts == []
        assert source.fetch("117200000000000001").cursor == "117200000000000001"
    assert len(http_server.requests_to("/api/v2/instance")) == 1


def test_account_statuses_are_looked_up_by_acct(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    account = json.loads((DATA / "account.json").read_text(encoding="utf-8"))
    http_server.route("/api/v1/accounts/lookup", Reply.json(account))
    statuses = f"/api/v1/accounts/{account['id']}/statuses"
    http_server.route(
        statuses, Reply.file(DATA / "hashtag_page.json", content_type="application/json")
    )
    with make_source(http_server, fast_http, hashtag=None, account="@fictional_ana") as source:
        result = source.fetch(None)
    assert [r.query["acct"] for r in http_server.requests_to("/api/v1/accounts/lookup")] == [
        ["fictional_ana"]
    ]
    assert [p.raw.get("boost_id") or p.external_id for p in result.posts] == [
        "117100000000000001",
        "117100000000000002",
        "117100000000000003",
        "117100000000000004",
    ]
    assert result.cursor == "117100000000000004"


def test_unknown_account_is_not_found(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route(
        "/api/v1/accounts/lookup", Reply.json({"error": "Record not found"}, status=404)
    )
    source = make_source(http_server, fast_http, hashtag=None, account="nobody")
    with source, pytest.raises(NotFound, match="account not found"):
        source.fetch(None)


def test_same_host_redirect_followed_other_host_refused(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect(TAG, "/api/v1/timelines/tag/moved", status=301)
    http_server.route(
        "/api/v1/timelines/tag/moved",
        Reply.file(DATA / "hashtag_page.json", content_type="application/json"),
    )
    with make_source(http_server, fast_http) as source:
        assert len(source.fetch(None).posts) == 4
    http_server.redirect(TAG, "https://elsewhere.example/api/v1/timelines/tag/kalkandemo")
    with (
        make_source(http_server, fast_http) as source,
        pytest.raises(NotFound, match="unconfigured host"),
    ):
        source.fetch(None)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"base_url": None}, "base_url"),
        ({"account": "x"}, "exactly one"),
        ({"hashtag": "two words"}, "hashtag"),
        ({"token": "secret"}, "unknown option"),
    ],
)
def test_bad_options_are_config_errors(extra: dict, message: str) -> None:
    config = {
        "name": "m",
        "platform": "mastodon",
        "base_url": "https://mastodon.example",
        "hashtag": "x",
    }
    config = {k: v for k, v in {**config, **extra}.items() if v is not None}
    with pytest.raises(ConfigError, match=message):
        build_source(config)


@needs_shared
def test_real_hashtag_timeline_replayed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    replay(http_server, load_vcr(SHARED / "test_hashtag_tl.yaml"))
    with make_source(http_server, fast_http, hashtag="hoot") as source:
        result = source.fetch(None)
    assert [p.external_id for p in result.posts] == ["117020593741189701"]
    assert result.cursor == "117020593741189701" and result.posts[0].lang == "ja"


@needs_shared
def test_real_account_lookup_and_statuses_replayed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    replay(
        http_server,
        load_vcr(SHARED / "test_account_lookup.yaml")
        + load_vcr(SHARED / "test_account_pinned.yaml"),
    )
    with make_source(http_server, fast_http, hashtag=None, account="mastodonpy_test") as source:
        result = source.fetch(None)
    assert [p.external_id for p in result.posts] == ["117020569296803689"]
    assert result.posts[0].author == "mastodonpy_test"


@needs_shared
def test_real_401_is_an_auth_error(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    [exchange] = [
        e for e in load_vcr(SHARED / "test_unauthed_home_tl_throws.yaml") if e.reply.status == 401
    ]
    http_server.route(TAG, exchange.reply)
    with make_source(http_server, fast_http) as source, pytest.raises(AuthError, match="login"):
        source.fetch(None)

"""BlueskySource against a real local XRPC server: paging, exactly-once, sessions, faults."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from support.http_server import RecordedRequest, Reply, TestHTTPServer

from sources._http import HttpOptions
from sources.errors import ConfigError, MalformedResponse, NotFound, RateLimited, TransientError
from sources.registry import build_source

DATA = Path(__file__).parent / "data"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
CREATE = "/xrpc/com.atproto.server.createSession"
REFRESH = "/xrpc/com.atproto.server.refreshSession"


def body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def feed_pages(request: RecordedRequest) -> Reply:
    name = "author_feed_page2.json" if request.query.get("cursor") else "author_feed_page1.json"
    return Reply(body=body(name), headers={"Content-Type": "application/json"})


def author_source(server: TestHTTPServer, http: HttpOptions, **extra: object):
    config = {"name": "bsky", "platform": "bluesky", "actor": "aigerim-n.bsky.social"}
    return build_source({**config, "base_url": server.url, **extra}, http_options=http)


def search_source(server: TestHTTPServer, http: HttpOptions):
    config = {
        "name": "s",
        "platform": "bluesky",
        "query": "Айгерим Нурланова",
        "identifier": "kalkan-monitor.bsky.social",
        "app_password": "abcd-efgh-ijkl-mnop",
    }
    return build_source({**config, "base_url": server.url}, http_options=http)


def test_author_feed_pages_to_the_end_then_reports_only_newer(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(FEED, feed_pages)
    with author_source(http_server, fast_http) as source:
        first = source.fetch(None)
        assert [p.external_id.rsplit("/", 1)[1] for p in first.posts] == [
            "3lbq1fictpost1",
            "3lbq2fictpost2",
            "3lbq5fictpost3",
            "3lbq7fictpost4",
        ]
        assert first.posts[-1].url == (
            "https://bsky.app/profile/aigerim-n.bsky.social/post/3lbq7fictpost4"
        )
        assert len(http_server.requests_to(FEED)) == 2
        http_server.route(FEED, Reply(body=body("author_feed_newer.json")))
        second = source.fetch(first.cursor)
    assert [p.text for p in second.posts] == ["Ещё одна новость"]
    [req, *_] = http_server.requests_to(FEED)
    assert req.query["actor"] == ["aigerim-n.bsky.social"]
    assert "authorization" not in req.headers


def test_rate_limit_reset_epoch_seconds(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    reset = int(time.time()) + 120
    headers = {
        "RateLimit-Limit": "3000",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": str(reset),
        "RateLimit-Policy": "3000;w=300",
    }
    http_server.route(
        FEED,
        Reply.json(
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            status=429,
            headers=headers,
        ),
    )
    with author_source(http_server, fast_http) as source, pytest.raises(RateLimited) as caught:
        source.fetch(None)
    assert caught.value.retry_after is not None and 100 < caught.value.retry_after <= 121


def test_5xx_then_success(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route(FEED, [Reply(status=502), feed_pages])
    with author_source(http_server, fast_http) as source:
        assert len(source.fetch(None).posts) == 4


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(body=body("author_feed_page1.json"), truncate_at=200), TransientError),
        (
            Reply(body=b'{"feed": [', headers={"Content-Type": "application/json"}),
            MalformedResponse,
        ),
        (Reply.json({"cursor": "x"}), MalformedResponse),
        (
            Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, status=400),
            Exception,
        ),
        (Reply.json({"error": "BlockedActor", "message": "x"}, status=400), NotFound),
        (Reply(body=b"late", delay=1.0), TransientError),
    ],
)
def test_faults(http_server: TestHTTPServer, reply: Reply, error: type[Exception]) -> None:
    http_server.route(FEED, reply)
    http = HttpOptions(read_timeout=0.3, connect_timeout=0.3, retries=0)
    with author_source(http_server, http) as source, pytest.raises(error):
        source.fetch(None)


def test_search_creates_one_session_for_many_runs(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(CREATE, Reply(body=body("create_session.json")), method="POST")
    http_server.route(SEARCH, Reply(body=body("search_page.json")))
    for _ in range(2):
        with search_source(http_server, fast_http) as source:
            posts = source.fetch(None).posts
    assert [p.author for p in posts] == ["steppe-truth.bsky.social"] * 2
    [create] = http_server.requests_to(CREATE)
    assert json.loads(create.body) == {
        "identifier": "kalkan-monitor.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    for req in http_server.requests_to(SEARCH):
        assert req.headers["authorization"].endswith(".access-one.sig")
        assert req.query["q"] == ["Айгерим Нурланова"] and req.query["sort"] == ["latest"]


def expired_then_ok(request: RecordedRequest) -> Reply:
    if request.headers.get("authorization", "").endswith("access-two.sig"):
        return Reply(body=body("search_page.json"))
    return Reply.json({"error": "ExpiredToken", "message": "Token has expired"}, status=400)


def test_expired_token_is_refreshed_once(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    session = json.loads(body("create_session.json"))
    refreshed = session | {"accessJwt": "a.access-two.sig", "refreshJwt": "r.refresh-two.sig"}
    http_server.route(CREATE, Reply.json(session), method="POST")
    http_server.route(REFRESH, Reply.json(refreshed), method="POST")
    http_server.route(SEARCH, expired_then_ok)
    with search_source(http_server, fast_http) as source:
        assert len(source.fetch(None).posts) == 2
    [refresh] = http_server.requests_to(REFRESH)
    assert refresh.headers["authorization"].endswith("refresh-one.sig")
    assert len(http_server.requests_to(CREATE)) == 1


def test_dead_refresh_token_recreates_the_session(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    session = json.loads(body("create_session.json"))
    second = session | {"accessJwt": "a.access-two.sig"}
    http_server.route(CREATE, [Reply.json(session), Reply.json(second)], method="POST")
    http_server.route(REFRESH, Reply.json({"error": "ExpiredToken", "message": "x"}, status=400))
    http_server.route(SEARCH, expired_then_ok)
    with search_source(http_server, fast_http) as source:
        assert len(source.fetch(None).posts) == 2
    assert len(http_server.requests_to(CREATE)) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"query": "+7 701 555 23 47"}, "phone"),
        ({"query": "aigerim@example.org"}, "e-mail"),
        ({"query": "Айгерим"}, "app_password"),
        ({}, "exactly one"),
    ],
)
def test_config_is_checked_before_any_request(extra: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        build_source({"name": "s", "platform": "bluesky", **extra})
    assert "555" not in str(caught.value)


def test_app_password_never_appears_in_errors(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(
        CREATE,
        Reply.json(
            {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            status=401,
        ),
    )
    with search_source(http_server, fast_http) as source, pytest.raises(Exception) as caught:
        source.fetch(None)
    assert "abcd-efgh" not in str(caught.value)


def test_a_post_and_its_repost_in_one_batch_give_one_post(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = json.loads(body("author_feed_page1.json"))["feed"]
    original = {"post": feed[1]["post"]}
    http_server.route(FEED, Reply.json({"feed": [feed[1], original]}))
    with author_source(http_server, fast_http) as source:
        posts = source.fetch(None).posts
    assert [p.external_id for p in posts] == [feed[1]["post"]["uri"]]

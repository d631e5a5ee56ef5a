"""TelegramSource against a real preview server on 127.0.0.1: paging, cursor, faults, OPSEC."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.http_server import Reply, TestHTTPServer
from support.platforms import TelegramChannel

from sources._http import HttpOptions
from sources.base import Source
from sources.errors import (
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    TransientError,
)
from sources.registry import build_source

DATA = Path(__file__).parent / "data"
THROTTLED = (DATA / "no_posts_found.html").read_bytes()
HTML = "text/html; charset=utf-8"


def make_source(server: TestHTTPServer, http: HttpOptions, **extra: object) -> Source:
    config = {
        "name": "tg",
        "platform": "telegram",
        "channel": "kalkan_demo",
        "base_url": server.url,
    }
    return build_source({**config, **extra}, http_options=http)


def ids_of(source_posts: list) -> list[int]:
    return [int(p.external_id.split("/")[1]) for p in source_posts]


def test_second_fetch_returns_only_newer_posts_oldest_first(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = TelegramChannel()
    live.post(1, 30)
    http_server.route("/s/kalkan_demo", live)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        assert ids_of(first.posts) == list(range(1, 31)) and first.cursor == "30"
        assert first.posts[0].text == "Message number 1\nsecond line & more"
        assert first.posts[0].reach == 1500 and first.posts[0].platform == "telegram"
        assert source.fetch(first.cursor).posts == []
        live.post(31, 55)  # 25 new: more than one page, so the source pages back
        second = source.fetch(first.cursor)
    assert ids_of(second.posts) == list(range(31, 56)) and second.cursor == "55"
    befores = [r.query.get("before") for r in http_server.requests_to("/s/kalkan_demo")]
    assert befores[-2:] == [None, ["36"]]  # newest page, then one page back, then stop
    assert http_server.requests[0].headers["accept-language"] == "en"  # English markers


def test_page_limit_leaves_a_gap_that_later_runs_close(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = TelegramChannel(per_page=5)
    live.post(1, 100)
    http_server.route("/s/kalkan_demo", live)
    with make_source(http_server, fast_http, max_pages=2) as source:
        first = source.fetch("50")
        assert ids_of(first.posts) == list(range(91, 101))
        assert len(http_server.requests_to("/s/kalkan_demo")) == 2  # the budget holds
        delivered, cursor = ids_of(first.posts), first.cursor
        live.post(101, 103)  # the channel goes on while the gap is being read
        runs = 0
        while cursor is None or not cursor.isdigit():
            result = source.fetch(cursor)
            delivered, cursor, runs = delivered + ids_of(result.posts), result.cursor, runs + 1
    assert sorted(delivered) == list(range(51, 104))  # nothing skipped ...
    assert len(delivered) == len(set(delivered))  # ... nothing twice
    assert cursor == "103" and runs == 8  # one page of news, one of gap, per run


def test_service_messages_are_skipped_but_advance_the_cursor(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/s/kalkan_demo", Reply.file(DATA / "channel_page.html", content_type=HTML))
    with make_source(http_server, fast_http) as source:
        result = source.fetch("39")
    assert [p.external_id for p in result.posts] == [
        "kalkan_demo/41",
        "kalkan_demo/42",
        "kalkan_demo/43",
    ]
    assert result.cursor == "43"
    assert result.posts[0].edited and "forwarded_from" in result.posts[1].raw


SHARED_THROTTLE = (
    Path(__file__).resolve().parents[3].parent
    / "shared/fixtures/telegram/parse_no_posts_found.html"
)
THROTTLE_BODIES = [THROTTLED] + (
    [SHARED_THROTTLE.read_bytes()] if SHARED_THROTTLE.is_file() else []
)


@pytest.mark.parametrize("body", THROTTLE_BODIES)
def test_throttle_page_is_rate_limited_never_empty(
    http_server: TestHTTPServer, fast_http: HttpOptions, body: bytes
) -> None:
    http_server.route("/s/kalkan_demo", Reply(body=body, headers={"Content-Type": HTML}))
    with make_source(http_server, fast_http) as source, pytest.raises(RateLimited) as caught:
        source.fetch("10")
    assert caught.value.retry_after and caught.value.retry_after > 0


def test_throttle_page_while_paging_back_fails_the_whole_fetch(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = TelegramChannel(per_page=5)
    live.post(1, 20)
    http_server.route(
        "/s/kalkan_demo",
        lambda r: Reply(body=THROTTLED) if "before" in r.query else live(r),
    )
    with make_source(http_server, fast_http) as source, pytest.raises(RateLimited):
        source.fetch("3")  # the cursor is not advanced: nothing between 3 and 15 is lost


def test_redirect_away_from_preview_means_no_public_preview(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/s/kalkan_demo", "/kalkan_demo", status=302)
    with (
        make_source(http_server, fast_http) as source,
        pytest.raises(NotFound, match="no public preview"),
    ):
        source.fetch(None)


def test_redirect_within_preview_is_followed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/s/kalkan_demo", "/s/Kalkan_Demo", status=301)
    http_server.route("/s/Kalkan_Demo", Reply.file(DATA / "channel_page.html", content_type=HTML))
    with make_source(http_server, fast_http) as source:
        assert source.fetch(None).cursor == "43"


def test_missing_channel_page_is_not_found(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    page = b"<html><body><div class='tgme_page'><div class='tgme_page_title'>Telegram</div>"
    http_server.route("/s/kalkan_demo", Reply(body=page, headers={"Content-Type": HTML}))
    with make_source(http_server, fast_http) as source, pytest.raises(NotFound):
        source.fetch(None)


def test_429_is_rate_limited_with_retry_after(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/s/kalkan_demo", Reply(status=429, headers={"Retry-After": "120"}))
    with make_source(http_server, fast_http) as source, pytest.raises(RateLimited) as caught:
        source.fetch(None)
    assert caught.value.retry_after == 120


def test_5xx_then_success_is_retried(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    page = Reply.file(DATA / "channel_page.html", content_type=HTML)
    http_server.route("/s/kalkan_demo", [Reply(status=502), Reply(status=503), page])
    with make_source(http_server, fast_http) as source:
        assert source.fetch("42").cursor == "43"
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=b"late", body_delay=5.0),  # read timeout mid-response
        Reply(body=(DATA / "channel_page.html").read_bytes(), truncate_at=900),  # cut connection
    ],
    ids=["timeout", "truncated"],
)
def test_timeouts_and_truncated_bodies_are_transient(
    http_server: TestHTTPServer, fast_http: HttpOptions, reply: Reply
) -> None:
    http_server.route("/s/kalkan_demo", reply)
    options = HttpOptions(
        read_timeout=0.3, retries=0, sleep=fast_http.sleep, limiter=fast_http.limiter
    )
    with make_source(http_server, options) as source, pytest.raises(TransientError):
        source.fetch(None)


def test_malformed_html_is_reported(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/s/kalkan_demo", Reply(body=b"\x89PNG\r\n\x1a\n\x00\x00binary"))
    with make_source(http_server, fast_http) as source, pytest.raises(MalformedResponse):
        source.fetch(None)


def test_search_sends_the_name_and_a_genuine_no_hit_is_empty(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    live = TelegramChannel()
    live.post(1, 3)
    http_server.route(
        "/s/kalkan_demo", lambda r: Reply(body=THROTTLED) if "q" in r.query else live(r)
    )
    with make_source(http_server, fast_http, query="Dana Example") as source:
        result = source.fetch("2")
    assert result.posts == [] and result.cursor == "2"
    queries = [r.query.get("q") for r in http_server.requests_to("/s/kalkan_demo")]
    assert queries == [["Dana Example"], None]  # the plain page ruled out throttling


def test_search_throttled_when_channel_page_is_throttled_too(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/s/kalkan_demo", Reply(body=THROTTLED))
    with (
        make_source(http_server, fast_http, query="Dana Example") as source,
        pytest.raises(RateLimited),
    ):
        source.fetch(None)


def test_search_hits_are_collected(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    live = TelegramChannel()
    live.post(1, 9)
    http_server.route(
        "/s/kalkan_demo",
        lambda r: Reply(body=live.page(None, [2, 7])) if "q" in r.query else live(r),
    )
    with make_source(http_server, fast_http, query="Dana") as source:
        assert ids_of(source.fetch(None).posts) == [2, 7]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"query": "+7 701 555 23 47"}, "phone number"),
        ({"query": "a.n@example.org"}, "e-mail"),
        ({"channel": "bad/name"}, "channel"),
        ({"colour": "red"}, "unknown option"),
        ({"max_pages": 0}, "max_pages"),
    ],
)
def test_bad_options_are_config_errors(extra: dict, message: str) -> None:
    config = {"name": "tg", "platform": "telegram", "channel": "kalkan_demo", **extra}
    with pytest.raises(ConfigError, match=message):
        build_source(config)


def test_requests_never_leave_the_configured_host(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/s/kalkan_demo", "http://elsewhere.example/s/kalkan_demo")
    with make_source(http_server, fast_http) as source, pytest.raises((NotFound, ConfigError)):
        source.fetch(None)

"""RssSource against a real feed server: conditional GET, only-newer, faults, cursor."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from support.http_server import RecordedRequest, Reply, TestHTTPServer

from sources._http import HttpOptions
from sources.base import Source
from sources.errors import MalformedResponse, NotFound, RateLimited, TransientError
from sources.registry import build_source

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class LiveFeed:
    """A feed whose items can grow or change, served with ETag/Last-Modified and 304s."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, datetime]] = []

    def add(self, guid: str, title: str, minutes: int) -> None:
        self.items.append((guid, title, START + timedelta(minutes=minutes)))

    def body(self) -> bytes:
        entries = "".join(
            f"<item><title>{title}</title><guid isPermaLink='false'>{guid}</guid>"
            f"<link>https://news.example/{guid}</link>"
            f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate></item>"
            for guid, title, when in sorted(self.items, key=lambda i: i[2], reverse=True)
        )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Live</title><language>ru</language>{entries}</channel></rss>"
        ).encode()

    def __call__(self, request: RecordedRequest) -> Reply:
        body = self.body()
        etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
        modified = "Mon, 23 Nov 2026 08:00:00 GMT"
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag:
            return Reply(status=304, headers=headers)
        return Reply(body=body, headers={**headers, "Content-Type": "application/rss+xml"})


def make_source(server: TestHTTPServer, options: HttpOptions, path: str = "/feed.xml") -> Source:
    config = {"name": "news", "platform": "rss", "url": server.url_for(path), "interval": 60}
    return build_source(config, http_options=options)


def test_second_fetch_returns_only_newer_posts_oldest_first(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    feed.add("b", "second", 5)
    http_server.route("/feed.xml", feed)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        feed.add("c", "third", 10)
        feed.add("d", "fourth", 7)
        second = source.fetch(first.cursor)
    assert [p.external_id for p in first.posts] == ["a", "b"]
    assert [p.external_id for p in second.posts] == ["d", "c"]
    assert second.posts[0].text == "fourth" and second.posts[0].lang == "ru"
    assert not second.not_modified


def test_unchanged_feed_answers_304_and_keeps_the_cursor(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/feed.xml", feed)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        again = source.fetch(first.cursor)
    assert again.not_modified and again.posts == [] and again.cursor == first.cursor
    initial, conditional = http_server.requests_to("/feed.xml")
    assert "if-none-match" not in initial.headers
    assert conditional.headers["if-none-match"] == json.loads(first.cursor or "")["etag"]
    assert conditional.headers["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT"


def test_server_ignoring_validators_still_yields_nothing_new(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/feed.xml", Reply(body=feed.body()))
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        second = source.fetch(first.cursor)
    assert len(first.posts) == 1 and second.posts == [] and not second.not_modified


def test_an_edited_entry_is_reported_again_as_edited(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "original words", 0)
    http_server.route("/feed.xml", feed)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        feed.items[0] = ("a", "rewritten words", START)
        second = source.fetch(first.cursor)
    [edited] = second.posts
    assert edited.external_id == "a" and edited.edited and edited.text == "rewritten words"
    assert not first.posts[0].edited


def test_seen_ids_are_bounded_but_cover_the_whole_feed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    for i in range(700):
        feed.add(f"id{i}", f"post {i}", i)
    http_server.route("/feed.xml", feed)
    with make_source(http_server, fast_http) as source:
        first = source.fetch(None)
        second = source.fetch(first.cursor.replace('"etag"', '"stale"') if first.cursor else None)
    assert len(first.posts) == 700
    assert second.posts == []
    assert len(json.loads(first.cursor or "")["seen"]) == 700


def test_unreadable_cursor_means_a_first_run(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/feed.xml", feed)
    with make_source(http_server, fast_http) as source:
        for bad in ("not json", '{"v": 99}', "[1, 2]", '{"v": 1, "seen": 5}'):
            assert [p.external_id for p in source.fetch(bad).posts] == ["a"]


def test_malformed_and_binary_bodies(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/bad.xml", Reply(body=b"<?xml version='1.0'?><rss><chan<<>>"))
    http_server.route("/bin.xml", Reply(body=bytes(range(256)) * 64))
    with (
        make_source(http_server, fast_http, "/bad.xml") as source,
        pytest.raises(MalformedResponse, match="could not be parsed"),
    ):
        source.fetch(None)
    with (
        make_source(http_server, fast_http, "/bin.xml") as source,
        pytest.raises(MalformedResponse),
    ):
        source.fetch(None)


def test_huge_body_is_refused(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/huge.xml", Reply(body=b"<rss>" + b" " * (10 * 1024 * 1024 + 10)))
    with (
        make_source(http_server, fast_http, "/huge.xml") as source,
        pytest.raises(MalformedResponse, match="larger than"),
    ):
        source.fetch(None)


def test_500_then_success_and_429(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/feed.xml", [Reply(status=500), feed])
    http_server.route("/limited.xml", Reply(status=429, headers={"Retry-After": "300"}))
    with make_source(http_server, fast_http) as source:
        assert [p.external_id for p in source.fetch(None).posts] == ["a"]
    with (
        make_source(http_server, fast_http, "/limited.xml") as source,
        pytest.raises(RateLimited) as caught,
    ):
        source.fetch(None)
    assert caught.value.retry_after == 300.0 and len(sleeps) == 1


def test_timeout_truncation_and_redirects(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/slow.xml", Reply(body=feed.body(), delay=10))
    http_server.route("/cut.xml", Reply(body=feed.body(), truncate_at=60))
    http_server.route("/feed.xml", feed)
    http_server.redirect("/moved.xml", "/feed.xml", status=301)
    http_server.redirect("/away.xml", "http://localhost:9/feed.xml")
    options = replace(fast_http, read_timeout=0.3, retries=0)
    with (
        make_source(http_server, options, "/slow.xml") as source,
        pytest.raises(TransientError, match="timeout"),
    ):
        source.fetch(None)
    with make_source(http_server, options, "/cut.xml") as source, pytest.raises(TransientError):
        source.fetch(None)
    with make_source(http_server, options, "/moved.xml") as source:
        assert [p.external_id for p in source.fetch(None).posts] == ["a"]
    with (
        make_source(http_server, options, "/away.xml") as source,
        pytest.raises(NotFound, match="unconfigured host localhost"),
    ):
        source.fetch(None)


def test_base_url_overrides_the_feed_host(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    feed = LiveFeed()
    feed.add("a", "first", 0)
    http_server.route("/rss/feed.xml", feed)
    config = {
        "name": "news",
        "platform": "rss",
        "url": "https://news.example.kz/feed.xml?lang=ru",
        "base_url": http_server.url_for("/rss"),
    }
    with build_source(config, http_options=fast_http) as source:
        assert len(source.fetch(None).posts) == 1
    [request] = http_server.requests_to("/rss/feed.xml")
    assert request.query == {"lang": ["ru"]}


def test_windows_1251_feed_decoded_from_the_http_charset(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    body = (
        "<rss version='2.0'><channel><title>Новости</title><item><title>Привет, мир</title>"
        "<guid>1</guid></item></channel></rss>"
    ).encode("cp1251")
    content_type = "application/rss+xml; charset=windows-1251"
    http_server.route("/feed.xml", Reply(body=body, headers={"Content-Type": content_type}))
    with make_source(http_server, fast_http) as source:
        [post] = source.fetch(None).posts
    assert post.text == "Привет, мир"


def test_gzip_bomb_is_capped_after_decompression(fast_http: HttpOptions) -> None:
    bomb = gzip.compress(b" " * (11 * 1024 * 1024))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})

    options = replace(fast_http, transport=httpx.MockTransport(handler))
    config = {"name": "n", "platform": "rss", "url": "https://feeds.example/bomb.xml"}
    with (
        build_source(config, http_options=options) as source,
        pytest.raises(MalformedResponse, match="larger than"),
    ):
        source.fetch(None)

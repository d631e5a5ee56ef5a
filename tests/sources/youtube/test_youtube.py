"""YouTube Data API v3 against a local server: comment threads, search budget, quota errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.http_server import RecordedRequest, Reply, TestHTTPServer

from sources._http import HttpOptions
from sources.errors import (
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    TransientError,
)
from sources.registry import build_source
from sources.youtube.client import seconds_to_pacific_midnight

DATA = Path(__file__).parent / "data"
THREADS = "/youtube/v3/commentThreads"
SEARCH = "/youtube/v3/search"
KEY = "AIzaSyFictionalKeyForTests000000000000"


def reply(name: str, status: int = 200) -> Reply:
    return Reply(
        body=(DATA / name).read_bytes(),
        status=status,
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )


def pages(request: RecordedRequest) -> Reply:
    second = request.query.get("pageToken") == ["QURTSl9pMkJMeWZpY3Rpb25hbA"]
    return reply("commentThreads_page2.json" if second else "commentThreads_page1.json")


def yt_source(server: TestHTTPServer, http: HttpOptions, **extra: object):
    config = {"name": "yt", "platform": "youtube", "api_key": KEY, "base_url": server.url}
    return build_source({**config, **extra}, http_options=http)


def test_channel_comment_threads_page_then_only_newer(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(THREADS, pages)
    with yt_source(http_server, fast_http, channel_id="UCfict1onalKalkanChan01") as source:
        first = source.fetch(None)
        assert [p.external_id for p in first.posts] == [
            "UgzFict3",
            "UgzFict2",
            "UgzFict1",
            "UgzFict1.AAA1",
        ]
        edited = first.posts[2]
        assert edited.edited and edited.reach == 12 and edited.author == "@steppe_truth"
        assert edited.url == "https://www.youtube.com/watch?v=dQfict10nA1&lc=UgzFict1"
        assert first.posts[1].text == "Thank you for this report & for your courage!"
        assert first.posts[3].raw["parent_id"] == "UgzFict1"
        http_server.route(THREADS, reply("commentThreads_newer.json"))
        second = source.fetch(first.cursor)
    assert [p.text for p in second.posts] == ["Последнее предупреждение."]
    req = http_server.requests_to(THREADS)[0]
    assert req.query["allThreadsRelatedToChannelId"] == ["UCfict1onalKalkanChan01"]
    assert req.query["textFormat"] == ["plainText"] and req.query["order"] == ["time"]


def test_quota_exceeded_waits_until_pacific_midnight(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    http_server.route(THREADS, reply("error_403_quotaExceeded.json", 403))
    source = yt_source(http_server, fast_http, video_id="dQfict10nA1")
    with source, pytest.raises(RateLimited) as caught:
        source.fetch(None)
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 25 * 3600
    assert KEY not in str(caught.value) and sleeps == []
    assert len(http_server.requests_to(THREADS)) == 1
    # 2026-11-24 20:00 UTC is 12:00 in Los Angeles (PST): twelve hours to go.
    assert seconds_to_pacific_midnight(datetime(2026, 11, 24, 20, tzinfo=UTC)) == 12 * 3600


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (reply("error_403_commentsDisabled.json", 403), NotFound),
        (reply("error_400_keyInvalid.json", 400), AuthError),
        (
            Reply.json(
                {"error": {"code": 404, "message": "x", "errors": [{"reason": "videoNotFound"}]}},
                status=404,
            ),
            NotFound,
        ),
        (
            Reply(body=b'{"items": [', headers={"Content-Type": "application/json"}),
            MalformedResponse,
        ),
        (Reply.json({"items": [{"kind": "youtube#commentThread"}]}), MalformedResponse),
        (
            Reply(body=(DATA / "commentThreads_page1.json").read_bytes(), truncate_at=300),
            TransientError,
        ),
        (Reply(status=503), TransientError),
    ],
)
def test_faults(
    http_server: TestHTTPServer, fast_http: HttpOptions, answer: Reply, error: type[Exception]
) -> None:
    http_server.route(THREADS, answer)
    with (
        yt_source(http_server, fast_http, video_id="dQfict10nA1") as source,
        pytest.raises(error) as caught,
    ):
        source.fetch(None)
    assert KEY not in str(caught.value)


def test_5xx_then_success(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route(THREADS, [Reply(status=500), reply("commentThreads_page2.json")])
    with yt_source(http_server, fast_http, video_id="dQfict10nA1") as source:
        assert [p.external_id for p in source.fetch(None).posts] == ["UgzFict3"]


def test_timeout(http_server: TestHTTPServer) -> None:
    http_server.route(THREADS, Reply(body=b"{}", delay=1.0))
    http = HttpOptions(read_timeout=0.3, connect_timeout=0.3, retries=0)
    with yt_source(http_server, http, video_id="v") as source, pytest.raises(TransientError):
        source.fetch(None)


def test_search_is_rationed_per_pacific_day(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(SEARCH, reply("search_page.json"))
    with yt_source(
        http_server, fast_http, query="Айгерим Нурланова", search_calls_per_day=2, region_code="KZ"
    ) as source:
        first = source.fetch(None)
        assert [p.external_id for p in first.posts] == ["video:vidFict0002"]
        assert first.posts[0].text == (
            'Вся правда об Айгерим Нурлановой\n\nКто на самом деле финансирует "правозащитников"'
        )
        assert len(http_server.requests_to(SEARCH)) == 2  # stopped by the budget, not an error
        with pytest.raises(RateLimited) as caught:
            source.fetch(first.cursor)
    assert caught.value.retry_after and caught.value.retry_after > 0
    assert len(http_server.requests_to(SEARCH)) == 2
    req = http_server.requests_to(SEARCH)[0]
    assert req.query["q"] == ["Айгерим Нурланова"] and req.query["regionCode"] == ["KZ"]
    assert req.query["key"] == [KEY]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"query": "aigerim.n@example.org"}, "e-mail"),
        ({"query": "87015552347"}, "phone"),
        ({"video_id": "a", "channel_id": "b"}, "exactly one"),
        ({"video_id": "a", "api_key": None}, "api_key"),
    ],
)
def test_config(extra: dict, message: str) -> None:
    config = {"name": "yt", "platform": "youtube", "api_key": KEY, **extra}
    with pytest.raises(ConfigError, match=message) as caught:
        build_source(config)
    assert KEY not in str(caught.value) and "5552347" not in str(caught.value)

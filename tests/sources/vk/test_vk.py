"""VK: real and project-written bodies through a local server; error envelopes; pacing; cursor."""

from __future__ import annotations

import json
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
from sources.vk.client import MIN_INTERVAL, VkClient, seconds_to_daily_reset
from sources.vk.payloads import author_index, post_from_item

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "vk"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/fixtures/vk is absent")
SEARCH = "/method/newsfeed.search"
WALL = "/method/wall.get"
TOKEN = "vk1.a.service-token-for-tests"


def load(name: str) -> dict:
    path = SHARED / name if (SHARED / name).exists() and not (DATA / name).exists() else DATA / name
    return json.loads(path.read_text(encoding="utf-8"))


def vk_source(server: TestHTTPServer, http: HttpOptions, **extra: object):
    config = {"name": "vk", "platform": "vk", "opt_in": True, "access_token": TOKEN}
    return build_source({**config, "base_url": server.url, **extra}, http_options=http)


@needs_shared
def test_real_search_page_maps_authors_entities_and_urls() -> None:
    response = load("newsfeed.search_next_from.json")["response"]
    authors = author_index(response)
    posts = [post_from_item(i, authors=authors, source="vk") for i in response["items"]]
    first = posts[0]
    assert first is not None and first.text.startswith("❗Принимаю заказы до 23.00")
    assert first.url == "https://vk.com/wall388444282_11454"
    assert first.author == "Элина Стайл (elinastayl)"
    assert first.created_at == datetime.fromtimestamp(1564779900, tz=UTC)
    assert posts[1] is not None and posts[1].author.startswith("Аниме картинки")


@needs_shared
def test_search_pages_with_next_from_then_only_newer(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    def pages(request: RecordedRequest) -> Reply:
        if request.query.get("start_from") == ["3/-184898883_177"]:
            return Reply.json(load("newsfeed.search_last_page.json"))
        return Reply.json(load("newsfeed.search_next_from.json"))

    http_server.route(SEARCH, pages)
    with vk_source(http_server, fast_http, query="Айгерим Нурланова") as source:
        first = source.fetch(None)
        assert [p.external_id for p in first.posts] == [
            "-220000002_902",
            "-184898883_177",
            "-31130529_49163",
            "388444282_11454",
        ]
        assert 'остановить "по-хорошему"' in first.posts[0].text
        http_server.route(SEARCH, Reply.json(load("newsfeed.search_newer.json")))
        second = source.fetch(first.cursor)
    assert [p.external_id for p in second.posts] == ["510000001_950"]
    last = http_server.requests_to(SEARCH)[-1]
    assert last.query["start_time"] == ["1564779900"] and last.query["v"] == ["5.199"]
    assert last.query["q"] == ["Айгерим Нурланова"]


def test_wall_reposts_pinned_and_photo_only(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(WALL, Reply.json(load("wall.get_page.json")))
    with vk_source(http_server, fast_http, owner="erzhan_fake") as source:
        first = source.fetch(None)
        second = source.fetch(first.cursor)
    texts = [p.text for p in first.posts]
    assert texts == [
        "Закреплённое: правила группы",
        "Согласен, гнать их\n\nЭти «правозащитницы» — иностранные агенты.",
    ]
    repost = first.posts[1]
    assert repost.edited and repost.raw["copy_of"] == ["-220000002_77"]
    assert repost.author == "Ержан Фейков (erzhan_fake)" and repost.reach == 845
    assert second.posts == []
    assert http_server.requests_to(WALL)[0].query["domain"] == ["erzhan_fake"]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("error_5_auth_failed.json", AuthError),
        ("error_15_access_denied.json", NotFound),
        ("error_18_deleted.json", NotFound),
        ("error_30_private.json", NotFound),
    ],
)
def test_error_envelopes_arrive_as_http_200(
    http_server: TestHTTPServer, fast_http: HttpOptions, name: str, error: type[Exception]
) -> None:
    if not (DATA / name).exists() and not SHARED.is_dir():
        pytest.skip("../shared/fixtures/vk is absent")
    http_server.route(WALL, Reply.json(load(name)))
    with (
        vk_source(http_server, fast_http, owner="-220000002") as source,
        pytest.raises(error) as caught,
    ):
        source.fetch(None)
    assert TOKEN not in str(caught.value)
    assert http_server.requests_to(WALL)[0].query["owner_id"] == ["-220000002"]


def test_too_many_per_second_is_retried_once_after_a_second(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    http_server.route(
        WALL, [Reply.json(load("error_6_too_many.json")), Reply.json(load("wall.get_page.json"))]
    )
    with vk_source(http_server, fast_http, owner="1") as source:
        assert len(source.fetch(None).posts) == 2
    assert 1.0 in sleeps
    http_server.route(WALL, Reply.json(load("error_6_too_many.json")))
    with (
        vk_source(http_server, fast_http, owner="1") as source,
        pytest.raises(RateLimited) as caught,
    ):
        source.fetch(None)
    assert caught.value.retry_after == 1.0


def test_daily_cap_waits_until_moscow_midnight(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(SEARCH, Reply.json(load("error_29_rate_limit.json")))
    with (
        vk_source(http_server, fast_http, query="Айгерим") as source,
        pytest.raises(RateLimited) as caught,
    ):
        source.fetch(None)
    assert caught.value.retry_after is not None and 60 <= caught.value.retry_after <= 86400
    noon_utc = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
    assert seconds_to_daily_reset(noon_utc) == 9 * 3600


def test_three_requests_per_second_per_token(
    http_server: TestHTTPServer, sleeps: list[float]
) -> None:
    http_server.route(WALL, Reply.json(load("wall.get_page.json")))
    http = HttpOptions(sleep=sleeps.append)
    client = VkClient(
        base_url=http_server.url,
        token="pacing-token",
        hosts=["127.0.0.1"],
        http_options=http,
        clock=lambda: 5000.0,
    )
    with client.http:
        for _ in range(3):
            client.call("wall.get", {"owner_id": 1})
    assert sleeps == pytest.approx([MIN_INTERVAL, 2 * MIN_INTERVAL])


def test_malformed_and_truncated(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route(WALL, Reply(body=b'{"response": {"items": ['))
    with vk_source(http_server, fast_http, owner="1") as source, pytest.raises(MalformedResponse):
        source.fetch(None)
    http_server.route(WALL, Reply.json({"response": {"count": 1}}))
    with vk_source(http_server, fast_http, owner="1") as source, pytest.raises(MalformedResponse):
        source.fetch(None)
    body = json.dumps(load("wall.get_page.json")).encode()
    http_server.route(WALL, Reply(body=body, truncate_at=100))
    with vk_source(http_server, fast_http, owner="1") as source, pytest.raises(TransientError):
        source.fetch(None)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"query": "Айгерим"}, "off by default"),
        ({"query": "+7 (701) 555-23-47", "opt_in": True}, "phone"),
        ({"opt_in": True}, "exactly one"),
    ],
)
def test_config(http_server: TestHTTPServer, config: dict, message: str) -> None:
    base = {"name": "vk", "platform": "vk", "access_token": TOKEN, "base_url": http_server.url}
    with pytest.raises(ConfigError, match=message) as caught, build_source({**base, **config}) as s:
        s.fetch(None)
    assert TOKEN not in str(caught.value)
    assert http_server.requests_to(SEARCH) == []

"""`Source.recheck`: each platform's lookup by id, against fake platforms on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cassettes import load_vcr, replay
from support.http_server import Reply, TestHTTPServer
from support.platforms import (
    FAKES,
    BlueskyFake,
    MastodonFake,
    TelegramFake,
    VkFake,
    YoutubeFake,
)

from sources._http import HttpOptions
from sources.base import Source
from sources.errors import ConfigError, MalformedResponse, NotFound, RateLimited, TransientError
from sources.recheck import RecheckResult, in_batches
from sources.registry import build_source, recheck_platforms

TESTS = Path(__file__).resolve().parents[1]
SHARED_MISSING = TESTS.parents[1] / "shared/fixtures/mastodon/test_status_missing.yaml"


def test_batches_stop_at_the_first_error_and_keep_what_was_learned() -> None:
    calls: list[list[str]] = []

    def check(batch: list[str]) -> dict[str, bool]:
        calls.append(batch)
        if "e" in batch:
            raise RateLimited("slow down", retry_after=30)
        return {i: i != "b" for i in batch if i != "c"}

    result = in_batches(["a", "b", "c", "a", "d", "e", "f", "g"], size=2, check=check)
    assert calls == [["a", "b"], ["c", "d"], ["e", "f"]]  # duplicates asked once; g never
    assert result.gone == {"b"} and result.present == {"a", "d"}
    assert isinstance(result.error, RateLimited)
    assert result.unchecked(["a", "b", "c", "e", "g"]) == ["c", "e", "g"]


def test_platforms_with_a_lookup_by_id_and_rss_without() -> None:
    assert recheck_platforms() == {"telegram", "mastodon", "bluesky", "youtube", "vk"}
    rss = build_source({"name": "feed", "platform": "rss", "url": "https://news.example/f"})
    assert not rss.can_recheck
    assert rss.recheck(["https://news.example/1"]) == RecheckResult()  # nothing checked


@pytest.mark.parametrize("platform", sorted(FAKES))
def test_deleted_posts_are_gone_and_the_rest_present(
    platform: str, http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = FAKES[platform](http_server)
    ids = [fake.publish(n) for n in range(1, 8)]
    fake.delete(ids[1])
    fake.delete(ids[6])  # the newest: for Telegram no later message shows the hole
    with build_source(fake.config("src"), http_options=fast_http) as source:
        assert source.can_recheck
        result = source.recheck(ids)
    assert result.gone == {ids[1], ids[6]}
    assert result.present == set(ids) - {ids[1], ids[6]}
    assert result.error is None


def source_for(fake: object, http: HttpOptions, **extra: object) -> Source:
    config = {**fake.config("src"), **extra}  # type: ignore[attr-defined]
    return build_source(config, http_options=http)


@pytest.mark.skipif(not SHARED_MISSING.is_file(), reason="../shared fixtures absent")
def test_mastodon_recorded_404_means_deleted(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    replay(http_server, load_vcr(SHARED_MISSING))  # GET /api/v1/statuses/0 -> 404, 4.6.4
    config = {"name": "m", "platform": "mastodon", "base_url": http_server.url, "hashtag": "x"}
    with build_source(config, http_options=fast_http) as source:
        assert source.recheck(["0"]).gone == {"0"}


def test_mastodon_throttling_stops_the_recheck_and_keeps_earlier_answers(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = MastodonFake(http_server)
    ids = [fake.publish(n) for n in range(1, 5)]
    throttled = Reply.json(
        {"error": "Too many requests"},
        status=429,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2099-01-01T00:00:00Z"},
    )
    http_server.route(f"/api/v1/statuses/{ids[1]}", throttled)
    with source_for(fake, fast_http) as source:
        result = source.recheck(["../../admin", *ids])
    assert result.present == {ids[0]} and not result.gone
    assert isinstance(result.error, RateLimited) and result.error.retry_after
    assert http_server.requests_to(f"/api/v1/statuses/{ids[2]}") == []  # no more asking
    assert all(r.path.startswith("/api/v1/statuses/1171") for r in http_server.requests)


def test_bluesky_asks_25_uris_a_call_and_only_did_uris(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = BlueskyFake(http_server)
    ids = [fake.publish(n) for n in range(30)]
    by_handle = "at://aigerim-n.bsky.social/app.bsky.feed.post/3lbqfict00001"
    with source_for(fake, fast_http) as source:
        result = source.recheck([*ids, by_handle])
    assert result.present == set(ids) and by_handle in result.unchecked([by_handle])
    calls = [r.query["uris"] for r in http_server.requests_to("/xrpc/app.bsky.feed.getPosts")]
    assert [len(c) for c in calls] == [25, 5] and by_handle not in calls[1]


def test_bluesky_outage_leaves_everything_unchecked(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = BlueskyFake(http_server)
    ids = [fake.publish(n) for n in range(3)]
    http_server.route("/xrpc/app.bsky.feed.getPosts", Reply(status=503))
    with source_for(fake, fast_http) as source:
        result = source.recheck(ids)
    assert isinstance(result.error, TransientError)
    assert result.unchecked(ids) == ids


def test_youtube_looks_up_comments_and_videos_by_id(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = YoutubeFake(http_server)
    comments = [fake.publish(n) for n in range(3)]
    videos = [fake.publish_video(n) for n in range(2)]
    fake.delete(comments[0])
    fake.delete(videos[1])
    with source_for(fake, fast_http) as source:
        result = source.recheck([*comments, *videos, "bad,id"])
    assert result.gone == {comments[0], videos[1]}
    assert result.present == {comments[1], comments[2], videos[0]}
    [asked] = http_server.requests_to("/youtube/v3/comments")
    assert asked.query["id"] == [",".join(comments)] and asked.query["part"] == ["id"]
    [asked] = http_server.requests_to("/youtube/v3/videos")
    assert asked.query["id"] == ["dQfictV0000,dQfictV0001"]


def test_youtube_spent_quota_is_a_rate_limit_and_decides_nothing(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = YoutubeFake(http_server)
    ids = [fake.publish(n) for n in range(2)]
    body = (TESTS / "sources/youtube/data/error_403_quotaExceeded.json").read_bytes()
    http_server.route("/youtube/v3/comments", Reply(status=403, body=body))
    with source_for(fake, fast_http) as source:
        result = source.recheck(ids)
    assert isinstance(result.error, RateLimited) and result.error.retry_after
    assert result.unchecked(ids) == ids


def test_vk_asks_wall_get_by_id_and_needs_the_opt_in(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = VkFake(http_server)
    ids = [fake.publish(n) for n in (31, 32)]
    fake.delete(ids[0])
    with source_for(fake, fast_http) as source:
        result = source.recheck([*ids, "wall-1_2"])
    assert result.gone == {ids[0]} and result.present == {ids[1]}
    [asked] = http_server.requests_to("/method/wall.getById")
    assert asked.query["posts"] == [",".join(ids)]
    with source_for(fake, fast_http, opt_in=False) as source:
        refused = source.recheck(ids)
    assert isinstance(refused.error, ConfigError) and len(http_server.requests) == 1


def test_vk_daily_cap_stops_the_recheck(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = VkFake(http_server)
    ids = [fake.publish(1)]
    body = (TESTS / "sources/vk/data/error_29_rate_limit.json").read_bytes()
    http_server.route("/method/wall.getById", Reply(body=body))
    with source_for(fake, fast_http) as source:
        result = source.recheck(ids)
    assert isinstance(result.error, RateLimited) and result.unchecked(ids) == ids


def test_telegram_one_page_settles_every_id_it_spans(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = TelegramFake(http_server)
    for n in range(1, 61):
        fake.publish(n)
    for n in (12, 40, 41):
        fake.delete(f"kalkan_demo/{n}")
    asked = [f"kalkan_demo/{n}" for n in (5, 12, 30, 40, 41, 50)] + ["other_chan/3"]
    with source_for(fake, fast_http) as source:
        result = source.recheck(asked)
    assert result.gone == {"kalkan_demo/12", "kalkan_demo/40", "kalkan_demo/41"}
    assert result.present == {"kalkan_demo/5", "kalkan_demo/30", "kalkan_demo/50"}
    assert result.unchecked(asked) == ["other_chan/3"]
    # The page below 51 lists 29..50 without 40 and 41 (20 messages): it settles 30..50.
    # The page below 13 lists 1..11: the hole at 12 is a deletion, 5 is there.
    befores = [r.query["before"] for r in http_server.requests_to("/s/kalkan_demo")]
    assert befores == [["51"], ["13"]]
    assert all("q" not in r.query for r in http_server.requests)


def test_telegram_page_budget_and_throttling(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = TelegramFake(http_server)
    for n in range(1, 101):
        fake.publish(n)
    asked = [f"kalkan_demo/{n}" for n in (10, 50, 90)]
    with source_for(fake, fast_http, max_pages=1) as source:
        budget = source.recheck(asked)
    assert budget.present == {"kalkan_demo/90"} and budget.error is None
    throttle = (TESTS / "sources/telegram/data/no_posts_found.html").read_bytes()
    http_server.route("/s/kalkan_demo", Reply(body=throttle))
    with source_for(fake, fast_http) as source:
        throttled = source.recheck(asked)
    assert isinstance(throttled.error, RateLimited) and throttled.unchecked(asked) == asked


def test_telegram_page_that_ignores_before_decides_nothing(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = TelegramFake(http_server)
    for n in range(1, 30):
        fake.publish(n)
    http_server.route("/s/kalkan_demo", lambda r: Reply(body=fake.channel.page(None)))
    with source_for(fake, fast_http) as source:
        result = source.recheck(["kalkan_demo/3"])
    assert isinstance(result.error, MalformedResponse) and not result.gone


def test_telegram_channel_without_preview_is_reported(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    fake = TelegramFake(http_server)
    http_server.redirect("/s/kalkan_demo", "/kalkan_demo")
    with source_for(fake, fast_http) as source:
        result = source.recheck(["kalkan_demo/3"])
    assert isinstance(result.error, NotFound) and not result.gone

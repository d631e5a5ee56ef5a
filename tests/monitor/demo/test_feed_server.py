"""The demo's fictional feed: scripted timing, endless variations, conditional GET."""

from __future__ import annotations

import httpx
import pytest

from monitor.demo.feed_server import BURST_AT, DemoFeed, DemoFeedServer, release_offsets
from monitor.demo.stream import BURST, OPENING, SCRIPT


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_opening_posts_are_there_at_once_and_the_burst_comes_later() -> None:
    clock = Clock()
    feed = DemoFeed(clock=clock)
    assert len(feed.items()) == 4
    clock.now = BURST_AT + 0.1
    texts = [item.post.text for item in feed.items()]
    assert all(post.text in texts for post in OPENING)
    assert BURST[0].text in texts and BURST[-1].text not in texts


def test_the_script_fits_in_a_minute_and_then_keeps_going() -> None:
    assert max(release_offsets(SCRIPT)) < 60
    clock = Clock()
    feed = DemoFeed(clock=clock)
    clock.now = 600.0
    items = feed.items()
    assert len(items) == 100, "the feed keeps the newest hundred"
    assert len({item.guid for item in items}) == 100, "every variation has its own id"


@pytest.fixture
def server() -> DemoFeedServer:
    feed_server = DemoFeedServer().start()
    yield feed_server
    feed_server.stop()


def test_the_server_answers_unchanged_feeds_with_304(server: DemoFeedServer) -> None:
    first = httpx.get(server.url)
    assert first.status_code == 200 and b"<rss" in first.content
    again = httpx.get(server.url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304

"""A local RSS server that keeps publishing the fictional stream while the demo runs."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from monitor.demo.stream import BURST, OPENING, SCRIPT, ScriptedPost

#: Seconds after start at which each scripted post appears.
OPENING_EVERY, BURST_AT, BURST_EVERY, AFTER_EVERY, LOOP_EVERY = 3.0, 24.0, 1.5, 5.0, 6.0
FEED_SIZE = 100


@dataclass(frozen=True, slots=True)
class FeedItem:
    """A published post with its stable id and publication time."""

    guid: str
    post: ScriptedPost
    published: datetime


def release_offsets(script: Sequence[ScriptedPost]) -> list[float]:
    """When each scripted post is published: opening, then a burst, then the rest."""
    offsets, opening, burst = [], len(OPENING), len(BURST)
    for index in range(len(script)):
        if index < opening:
            offsets.append(max(0.0, (index - 3) * OPENING_EVERY))
        elif index < opening + burst:
            offsets.append(BURST_AT + (index - opening) * BURST_EVERY)
        else:
            after = index - opening - burst
            offsets.append(BURST_AT + burst * BURST_EVERY + (after + 1) * AFTER_EVERY)
    return offsets


class DemoFeed:
    """The stream as a function of elapsed time: scripted first, then endless variations."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._wall_start = datetime.now(UTC)
        self._offsets = release_offsets(SCRIPT)

    def items(self) -> list[FeedItem]:
        """Every item published so far, newest first, at most FEED_SIZE."""
        elapsed = self._clock() - self._started
        released = [
            self._item(index, SCRIPT[index], offset)
            for index, offset in enumerate(self._offsets)
            if offset <= elapsed
        ]
        script_end = self._offsets[-1]
        loops = int(max(0.0, elapsed - script_end) // LOOP_EVERY)
        for n in range(max(0, loops - FEED_SIZE), loops):
            post = SCRIPT[n % len(SCRIPT)]
            released.append(self._item(len(SCRIPT) + n, post, script_end + (n + 1) * LOOP_EVERY))
        return list(reversed(released))[:FEED_SIZE]

    def _item(self, index: int, post: ScriptedPost, offset: float) -> FeedItem:
        published = datetime.fromtimestamp(self._wall_start.timestamp() + offset, UTC)
        return FeedItem(f"demo-{index}", post, published)


def render_rss(items: Sequence[FeedItem], *, base_url: str) -> bytes:
    """RSS 2.0 in the shape social-media RSS bridges use (no title, text in description)."""
    entries = "".join(
        f'<item><guid isPermaLink="false">{item.guid}</guid>'
        f"<link>{escape(base_url)}/posts/{item.guid}</link>"
        f"<author>{escape(item.post.author)}</author>"
        f"<pubDate>{format_datetime(item.published)}</pubDate>"
        f"<description>{escape(item.post.text)}</description></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Kalkan demo stream (fictional)</title><link>{escape(base_url)}</link>"
        f"<description>Fictional posts for the Kalkan demo</description>{entries}"
        "</channel></rss>"
    ).encode()


class DemoFeedServer:
    """Serves `/feed.xml` (with ETag and 304) on 127.0.0.1 in a background thread."""

    def __init__(self, feed: DemoFeed | None = None, *, port: int = 0) -> None:
        self.feed = feed or DemoFeed()
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The feed's URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/feed.xml"

    def start(self) -> DemoFeedServer:
        """Start serving in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


def _handler_for(owner: DemoFeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/feed.xml":
                self.send_error(404)
                return
            base = owner.url.rsplit("/", 1)[0]
            body = render_rss(owner.feed.items(), base_url=base)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler

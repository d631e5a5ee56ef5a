"""Fake platforms on a TestHTTPServer: posts that exist until a test deletes them.

Each fake serves the lookup a platform offers, in that platform's wire format, built from
the project-written fixtures under tests/sources/<platform>/data (themselves modelled on
real recordings in ../shared/fixtures):

- Telegram: the channel preview `/s/<channel>?before=N` (a deleted message leaves a hole);
- Mastodon: `GET /api/v1/statuses/:id` (404 `{"error": "Not Found"}` once deleted, with the
  rate-limit headers Mastodon 4.6.4 sent in `test_status_missing.yaml`);
- Bluesky: `app.bsky.feed.getPosts?uris=` (deleted posts are left out of `posts`);
- YouTube: `comments.list?id=` and `videos.list?id=` (deleted items are left out);
- VK: `wall.getById?posts=` (deleted posts are left out of `items`).

    live = MastodonFake(server)
    ids = [live.publish(n) for n in range(3)]
    live.delete(ids[0])
    live.fail_next(Reply(status=503), times=3)     # the next 3 lookups fail, then it recovers
    build_source(live.config("masto"), http_options=...).recheck(ids)
"""

from __future__ import annotations

import copy
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from support.http_server import RecordedRequest, Reply, TestHTTPServer

DATA = Path(__file__).resolve().parents[1] / "sources"
HTML = "text/html; charset=utf-8"


def _data(platform: str, name: str) -> Any:
    return json.loads((DATA / platform / "data" / name).read_text(encoding="utf-8"))


class FakePlatform(ABC):
    """Posts published on a fake platform, its lookup routes, and a source config for it."""

    platform: str

    def __init__(self, server: TestHTTPServer) -> None:
        self.server = server
        self.live: set[str] = set()
        self.faults: list[Reply] = []
        self.route()

    def fail_next(self, reply: Reply, *, times: int = 1) -> None:
        """Answer the next `times` lookups with `reply` (an outage, a rate limit)."""
        self.faults.extend([reply] * times)

    def fault(self) -> Reply | None:
        """The programmed failure for this lookup, if any (handlers call it first)."""
        return self.faults.pop(0) if self.faults else None

    @abstractmethod
    def route(self) -> None:
        """Register the platform's lookup endpoints on the server."""

    @abstractmethod
    def external_id(self, number: int) -> str:
        """The external id the collector gives post `number`."""

    @abstractmethod
    def options(self) -> dict[str, Any]:
        """The platform options of a source reading this fake."""

    def publish(self, number: int) -> str:
        """Make post `number` exist; return its external id."""
        external_id = self.external_id(number)
        self.live.add(external_id)
        return external_id

    def delete(self, external_id: str) -> None:
        """Delete a post on the platform."""
        self.live.discard(external_id)

    def config(self, name: str) -> dict[str, Any]:
        """A registry config for a source named `name` on this fake."""
        return {
            "name": name,
            "platform": self.platform,
            "base_url": self.server.url,
            **self.options(),
        }


class TelegramChannel:
    """A channel preview that grows: serves the newest messages before `?before=`."""

    def __init__(self, channel: str = "kalkan_demo", per_page: int = 20) -> None:
        self.channel, self.per_page = channel, per_page
        self.texts: dict[int, str] = {}
        self.message = (DATA / "telegram/data/message.html").read_text(encoding="utf-8")

    def post(self, first: int, last: int) -> None:
        """Publish messages `first` to `last`."""
        for message_id in range(first, last + 1):
            self.texts[message_id] = f"Message number {message_id}<br/>second line &amp; more"

    def page(self, before: int | None, ids: list[int] | None = None) -> bytes:
        """The page below `before` (the newest page when None), or of exactly `ids`."""
        shown = (
            ids if ids is not None else sorted(i for i in self.texts if not before or i < before)
        )
        shown = shown[-self.per_page :]
        blocks = "".join(
            self.message.format(
                channel=self.channel,
                id=i,
                text=self.texts[i],
                views="1.5K",
                datetime=f"2026-11-20T10:{i % 60:02d}:00+00:00",
            )
            for i in shown
        )
        prev = (
            f'<link rel="prev" href="/s/{self.channel}?before={shown[0]}">'
            if shown and shown[0] > 1
            else ""
        )
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'>{prev}</head><body>"
            "<main class='tgme_main'><div class='tgme_channel_info'>Kalkan demo news</div>"
            f"<section class='tgme_channel_history js-message_history'>{blocks}</section>"
            "</main></body></html>"
        ).encode()

    def __call__(self, request: RecordedRequest) -> Reply:
        before = request.query.get("before", [None])[0]
        return Reply(
            body=self.page(int(before) if before else None), headers={"Content-Type": HTML}
        )


class TelegramFake(FakePlatform):
    """A public channel whose preview pages show holes where messages were deleted."""

    platform = "telegram"

    def route(self) -> None:
        self.channel = TelegramChannel()
        self.server.route("/s/kalkan_demo", lambda request: self.fault() or self.channel(request))

    def external_id(self, number: int) -> str:
        return f"kalkan_demo/{number}"

    def publish(self, number: int) -> str:
        self.channel.post(number, number)
        return super().publish(number)

    def delete(self, external_id: str) -> None:
        self.channel.texts.pop(int(external_id.rsplit("/", 1)[1]), None)
        super().delete(external_id)

    def options(self) -> dict[str, Any]:
        return {"channel": "kalkan_demo"}


class MastodonFake(FakePlatform):
    """A Mastodon server answering `GET /api/v1/statuses/:id`."""

    platform = "mastodon"
    NOT_FOUND_HEADERS: ClassVar[dict[str, str]] = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "299",
        "X-RateLimit-Reset": "2026-08-01T13:55:00.348080Z",
    }

    def route(self) -> None:
        self.status = _data("mastodon", "hashtag_page.json")[-1]

    def external_id(self, number: int) -> str:
        return f"1171000000000{number:05d}"

    def publish(self, number: int) -> str:
        external_id = super().publish(number)
        self.server.route(f"/api/v1/statuses/{external_id}", self._status(external_id))
        return external_id

    def _status(self, status_id: str) -> Any:
        def answer(request: RecordedRequest) -> Reply:
            if fault := self.fault():
                return fault
            if status_id not in self.live:
                return Reply.json(
                    {"error": "Not Found"}, status=404, headers=self.NOT_FOUND_HEADERS
                )
            return Reply.json({**copy.deepcopy(self.status), "id": status_id})

        return answer

    def options(self) -> dict[str, Any]:
        return {"hashtag": "kalkandemo"}


class BlueskyFake(FakePlatform):
    """The public AppView's `app.bsky.feed.getPosts`: deleted posts are left out."""

    platform = "bluesky"
    DID = "did:plc:7x2kq4nfictionala1"

    def route(self) -> None:
        self.view = _data("bluesky", "author_feed_page1.json")["feed"][0]["post"]
        self.server.route("/xrpc/app.bsky.feed.getPosts", self._get_posts)

    def _get_posts(self, request: RecordedRequest) -> Reply:
        if fault := self.fault():
            return fault
        uris = request.query.get("uris", [])
        posts = [{**copy.deepcopy(self.view), "uri": u} for u in uris if u in self.live]
        return Reply.json({"posts": posts})

    def external_id(self, number: int) -> str:
        return f"at://{self.DID}/app.bsky.feed.post/3lbqfict{number:05d}"

    def options(self) -> dict[str, Any]:
        return {"actor": "aigerim-n.bsky.social"}


class YoutubeFake(FakePlatform):
    """`comments.list?id=` and `videos.list?id=` with `part=id`: deleted items are left out."""

    platform = "youtube"

    def route(self) -> None:
        self.server.route("/youtube/v3/comments", self._lister("comment", ""))
        self.server.route("/youtube/v3/videos", self._lister("video", "video:"))

    def _lister(self, kind: str, prefix: str) -> Any:
        def answer(request: RecordedRequest) -> Reply:
            if fault := self.fault():
                return fault
            ids = request.query.get("id", [""])[0].split(",")
            items = [
                {"kind": f"youtube#{kind}", "etag": f"etag-{i}", "id": i}
                for i in ids
                if prefix + i in self.live
            ]
            return Reply.json({"kind": f"youtube#{kind}ListResponse", "etag": "e", "items": items})

        return answer

    def external_id(self, number: int) -> str:
        return f"UgzFictRecheck{number}"

    def publish_video(self, number: int) -> str:
        """Publish a video (a search hit); return its external id."""
        external_id = f"video:dQfictV{number:04d}"
        self.live.add(external_id)
        return external_id

    def options(self) -> dict[str, Any]:
        return {"api_key": "fictional-key", "video_id": "dQfict10nA1"}


class VkFake(FakePlatform):
    """`wall.getById?posts=`: deleted posts are left out of `items` (API 5.199 shape)."""

    platform = "vk"
    OWNER = 510000001

    def route(self) -> None:
        self.item = _data("vk", "wall.get_page.json")["response"]["items"][1]
        self.server.route("/method/wall.getById", self._get_by_id)

    def _get_by_id(self, request: RecordedRequest) -> Reply:
        if fault := self.fault():
            return fault
        keys = request.query.get("posts", [""])[0].split(",")
        items = []
        for key in keys:
            if key in self.live:
                owner, number = key.split("_")
                items.append(
                    {**copy.deepcopy(self.item), "owner_id": int(owner), "id": int(number)}
                )
        return Reply.json({"response": {"items": items}})

    def external_id(self, number: int) -> str:
        return f"{self.OWNER}_{number}"

    def options(self) -> dict[str, Any]:
        return {"access_token": "fictional-token", "owner": str(self.OWNER), "opt_in": True}


FAKES: dict[str, type[FakePlatform]] = {
    fake.platform: fake for fake in (TelegramFake, MastodonFake, BlueskyFake, YoutubeFake, VkFake)
}
"""Every fake, by platform name."""

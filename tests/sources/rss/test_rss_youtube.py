"""Real YouTube channel and playlist feeds (../shared/fixtures/rss), replayed over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.http_server import Reply, TestHTTPServer

from sources._http import HttpOptions
from sources.registry import build_source

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "rss"
CHANNEL = FIXTURES / "youtube_channel_UCVooVnzQxPSTXTMzSi1s6uw.xml"
PLAYLIST = FIXTURES / "youtube_playlist_PLw-vK1_d04zZCal3yMX_T23h5nDJ2toTk.xml"

pytestmark = pytest.mark.skipif(
    not CHANNEL.exists(),
    reason=f"shared fixtures not found at {FIXTURES} (needs ../shared beside the repo)",
)


def fetch(server: TestHTTPServer, path: Path, options: HttpOptions) -> list:
    server.route("/feeds/videos.xml", Reply.file(path, content_type="text/xml; charset=UTF-8"))
    config = {
        "name": "yt",
        "platform": "rss",
        "url": "https://www.youtube.com/feeds/videos.xml?channel_id=UCVooVnzQxPSTXTMzSi1s6uw",
        "base_url": server.url,
    }
    with build_source(config, http_options=options) as source:
        return source.fetch(None).posts


def test_youtube_channel_feed(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    posts = fetch(http_server, CHANNEL, fast_http)
    assert len(posts) == 15
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)
    newest = posts[-1]
    assert newest.external_id == "yt:video:dfxLY1EayNA"
    assert newest.url == "https://www.youtube.com/watch?v=dfxLY1EayNA"
    assert newest.author == "Jonny Giger"
    assert newest.created_at is not None and newest.created_at.isoformat() == (
        "2024-04-27T18:00:27+00:00"
    )
    assert newest.text.startswith("IMPOSSIBLE TRICKS OF DAEWON SONG\n\nMY PANTS:\nSwiss: ")
    assert newest.raw["yt_videoid"] == "dfxLY1EayNA"
    assert newest.raw["yt_channelid"] == "UCVooVnzQxPSTXTMzSi1s6uw"
    assert newest.raw["views"] == 99914
    for post in posts:
        json.dumps(post.raw)
        assert post.raw["yt_channelid"].startswith("UC")


def test_youtube_playlist_feed(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    posts = fetch(http_server, PLAYLIST, fast_http)
    assert posts, "the playlist feed has entries"
    assert all(p.external_id.startswith("yt:video:") for p in posts)
    assert len({p.external_id for p in posts}) == len(posts)
    assert all(p.created_at is not None and p.created_at.tzinfo is not None for p in posts)

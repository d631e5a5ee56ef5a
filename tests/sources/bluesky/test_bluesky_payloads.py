"""Bluesky postViews become Posts: the real recorded view and project-written feed items."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.bluesky.payloads import post_from_view, web_url
from sources.errors import MalformedResponse

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "bluesky"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/fixtures/bluesky is not present")
def test_real_recorded_post_view() -> None:
    thread = json.loads((SHARED / "thread_view_post_with_embed_media.json").read_text("utf-8"))
    post = post_from_view(thread["thread"]["post"], source="bsky")
    assert (
        post.external_id == "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22"
    )
    assert post.url == "https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22"
    assert post.author == "test.marshal.dev" and post.lang == "en"
    assert post.created_at == datetime(2023, 9, 28, 12, 49, 36, 735000, tzinfo=UTC)
    assert post.platform == "bluesky" and not post.edited


def test_link_facets_and_external_embeds_add_full_targets() -> None:
    page = json.loads((DATA / "author_feed_page1.json").read_text("utf-8"))
    post = post_from_view(page["feed"][0]["post"], source="bsky")
    assert post.text == (
        "Отчёт о кампании травли: example.org/report-20…\nhttps://example.org/report-2026-11-kalkan"
    )
    assert post.reach == 39
    last = json.loads((DATA / "author_feed_page2.json").read_text("utf-8"))["feed"][0]["post"]
    assert post_from_view(last, source="b").text.endswith(
        "\nhttps://blog.example.org/2026/11/zapis"
    )


def test_repost_and_reply_are_recorded() -> None:
    feed = json.loads((DATA / "author_feed_page1.json").read_text("utf-8"))["feed"]
    repost = post_from_view(feed[1]["post"], source="b", reason=feed[1]["reason"])
    assert repost.author == "steppe-truth.bsky.social"
    assert repost.raw["reposted_by"] == "aigerim-n.bsky.social"
    reply = post_from_view(feed[2]["post"], source="b")
    assert reply.raw["reply_to"] == feed[1]["post"]["uri"]


def test_invalid_handle_falls_back_to_did_and_bad_views_raise() -> None:
    assert web_url("at://did:plc:x/app.bsky.feed.post/abc", None) == (
        "https://bsky.app/profile/did:plc:x/post/abc"
    )
    assert web_url("at://did:plc:x/app.bsky.feed.like/abc", "h") is None
    with pytest.raises(MalformedResponse):
        post_from_view({"uri": "at://x"}, source="b")

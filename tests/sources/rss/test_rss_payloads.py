"""RSS 2.0 and Atom entries become Posts: ids, text, authors, times, languages, raw evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.errors import MalformedResponse
from sources.post import Post
from sources.rss.payloads import MAX_TEXT_CHARS, parse_feed, post_from_entry

DATA = Path(__file__).parent / "data"


def posts_of(content: bytes) -> list[Post]:
    parsed = parse_feed(content, where="test")
    return [post_from_entry(e, feed=parsed.feed, source="news") for e in parsed.entries]


def rss_item(body: str, *, title: str = "t", guid: str = "g1") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>f</title>'
        f"<item><title>{title}</title><guid>{guid}</guid>"
        "<pubDate>Mon, 23 Nov 2026 09:15:00 GMT</pubDate>"
        f"<description>{body}</description></item></channel></rss>"
    ).encode()


def test_rss2_news_feed() -> None:
    lecture, cartoons, anonymous = posts_of((DATA / "news_rss2.xml").read_bytes())
    assert lecture.external_id == "news-example-10452"
    assert lecture.text == (
        "Правозащитницы провели лекцию в Алматы\n\n"
        "Лекция о правах женщин прошла спокойно.\n\n"
        "Организаторы «Феминита» поблагодарили гостей.\nСледующая встреча — в декабре."
    )
    assert lecture.author == "Сауле Ахметова"
    assert lecture.created_at == datetime(2026, 11, 23, 4, 15, tzinfo=UTC)
    assert lecture.lang == "ru"
    assert lecture.url == "https://news.example.kz/2026/11/23/lecture"
    assert lecture.platform == "rss" and lecture.source == "news"
    assert lecture.raw["tags"] == ["Общество"]
    assert cartoons.external_id == "https://news.example.kz/2026/11/22/cartoons"
    assert cartoons.text.startswith("Tom & Jerry: a cartoon retrospective\n\n")
    assert cartoons.author == "Редакция", "the e-mail part of <author> is not kept as the name"
    assert anonymous.external_id.startswith("sha256:") and anonymous.url is None


def test_atom_blog_feed_keeps_script_text_inert_and_strips_tags() -> None:
    newer, older = posts_of((DATA / "blog_atom.xml").read_bytes())
    assert newer.text == (
        'Ескерту: <script>alert("x")</script>\n\nБірінші жол\nекінші жол\nsteal()\n<b> is literal'
    )
    assert newer.created_at == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert newer.author == "Айдана Серікқызы" and newer.lang == "kk"
    assert older.text == "Older post\n\nXHTML summary"
    assert older.lang == "en" and older.author == "Blog Team"
    assert older.created_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_raw_is_json_serialisable_evidence() -> None:
    for post in posts_of((DATA / "news_rss2.xml").read_bytes()):
        decoded = json.loads(json.dumps(post.raw))
        assert decoded["feed"]["title"].startswith("Дала")
        assert "truncated" not in decoded


def test_one_megabyte_entry_is_kept_but_truncated() -> None:
    [post] = posts_of(rss_item("угроза " * 150_000))
    assert len(post.text) == MAX_TEXT_CHARS
    assert post.text.startswith("t\n\nугроза угроза")
    assert post.raw["truncated"] is True


def test_binary_garbage_in_entry_text_is_cleaned() -> None:
    garbage = bytes(range(1, 32)).decode("latin-1").replace("<", "").replace("&", "")
    content = rss_item("ok" + "".join(f"&#{i};" for i in (1, 2, 27)) + "end", title="x\x01y")
    [post] = posts_of(content.replace(b"x\x01y", ("x" + garbage + "y").encode()))
    assert "\x00" not in post.text and "\x01" not in post.text and "\x1b" not in post.text
    assert post.text.startswith("x") and "okend" in post.text


def test_unparseable_bodies_are_malformed() -> None:
    where = "https://x.example/feed"
    with pytest.raises(MalformedResponse, match="could not be parsed"):
        parse_feed(b"<?xml version='1.0'?><rss><chan<<>>", where=where)
    with pytest.raises(MalformedResponse, match="could not be parsed"):
        parse_feed(bytes(range(256)) * 100, where=where)
    with pytest.raises(MalformedResponse, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><h1>502 Bad Gateway</h1></body></html>", where=where)
    with pytest.raises(MalformedResponse):
        parse_feed(b"", where=where)


def test_a_valid_empty_feed_is_not_an_error() -> None:
    assert posts_of(b"<rss version='2.0'><channel><title>quiet</title></channel></rss>") == []


def test_entries_parsed_despite_bozo_are_kept() -> None:
    parsed = parse_feed(rss_item("fine &nbsp; entity undefined in XML"), where="test")
    assert parsed.bozo and len(parsed.entries) == 1
    cut = parse_feed(rss_item("whole")[:-40], where="test")  # body cut mid-document
    assert cut.bozo and [e.title for e in cut.entries] == ["t"]

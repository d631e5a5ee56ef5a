"""Parsing t.me/s preview markup: tchan's real fragments (../shared) and project-written pages."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from sources.errors import MalformedResponse
from sources.telegram.payloads import parse_page, parse_views

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "telegram"
needs_shared = pytest.mark.skipif(
    not (SHARED / "manifest.json").is_file(),
    reason="../shared/fixtures/telegram (real recorded t.me/s fragments) is not present",
)


def _manifest() -> list[dict[str, Any]]:
    if not (SHARED / "manifest.json").is_file():
        return []
    return json.loads((SHARED / "manifest.json").read_text(encoding="utf-8"))


def _expected(entry: dict[str, Any]) -> dict[str, Any]:
    """tchan's expected object (Python source in the manifest) as a plain dict."""
    namespace = {"ChannelMessage": dict, "ChannelInfo": dict, "datetime": datetime}
    return eval(entry["tchan_expected_python"], namespace)  # trusted fixture


def _flat(text: str | None) -> str:
    return "".join((text or "").split())  # tchan spaces some emoji differently


MESSAGES = [
    e for e in _manifest() if e["file"].startswith("parse_") and "no_posts" not in e["file"]
]


@needs_shared
@pytest.mark.parametrize("entry", MESSAGES, ids=lambda e: e["file"])
def test_every_real_fragment_parses_as_tchan_expects(entry: dict[str, Any]) -> None:
    expected = _expected(entry)
    page = parse_page((SHARED / entry["file"]).read_bytes(), source="tg")
    assert page.ids == [expected["id"]]
    if expected["type"] == "service":
        assert page.posts == []  # service messages are skipped, their id still counts
        return
    [post] = page.posts
    assert post.external_id == f"{expected['channel']}/{expected['id']}"
    assert post.url == f"https://t.me/{expected['channel']}/{expected['id']}"
    assert post.created_at == expected["created_at"]
    assert post.edited is expected["edited"]
    assert post.reach == expected["views"]
    assert post.author == (expected["author"] or expected["channel"])
    assert post.raw["signed_by"] == expected["author"]
    assert _flat(post.text) == _flat(expected["text"])
    if "forwarded_author" in expected:
        assert post.raw["forwarded_from"] == {
            "name": expected["forwarded_author"],
            "url": expected["forwarded_author_url"],
        }
    else:
        assert "forwarded_from" not in post.raw
    assert post.raw.get("reply_to") == expected.get("reply_to_id")


@needs_shared
def test_real_multiline_fragment_keeps_line_breaks() -> None:
    [post] = parse_page(
        (SHARED / "parse_text_message_multiline.html").read_bytes(), source="t"
    ).posts
    assert post.text == "Bigger\ntext\nmessage\nnumber\n34"


@needs_shared
def test_real_no_posts_found_block_is_flagged() -> None:
    page = parse_page((SHARED / "parse_no_posts_found.html").read_bytes(), source="t")
    assert page.no_posts_found and page.ids == [] and page.posts == []


def test_project_page_parses_service_edited_forwarded_and_reply() -> None:
    page = parse_page((DATA / "channel_page.html").read_bytes(), source="tg-demo")
    assert page.ids == [40, 41, 42, 43] and page.before == 40 and page.has_channel_info
    signed, forwarded, reply = page.posts  # 40 is a service message: skipped
    assert signed.external_id == "kalkan_demo/41" and signed.source == "tg-demo"
    assert (
        signed.text == "Встреча в субботу!\nАдрес: ул. Вымышленная 1 & кафе «Тест»\n\nПриходите 👍"
    )
    assert signed.edited and signed.author == "Dana Example" and signed.reach == 57
    assert signed.created_at == datetime.datetime(2026, 11, 20, 10, 15, tzinfo=datetime.UTC)
    assert forwarded.raw["forwarded_from"]["name"] == "Fictional Source"
    assert forwarded.text == "A forwarded note <not a tag>" and not forwarded.edited
    assert reply.text == "Reply with details" and reply.raw["reply_to"] == 41
    assert reply.reach == 1200 and reply.url == "https://t.me/kalkan_demo/43"


def test_project_throttle_page_is_flagged_not_empty() -> None:
    page = parse_page((DATA / "no_posts_found.html").read_bytes(), source="t")
    assert page.no_posts_found and not page.ids


@pytest.mark.parametrize(
    "body", [b"", b'{"ok": true}', b"\x00\xff\xfe garbage", b"<html>hi</html>"]
)
def test_non_preview_bodies_are_malformed(body: bytes) -> None:
    with pytest.raises(MalformedResponse):
        parse_page(body, source="t")


@pytest.mark.parametrize(
    ("raw", "views"), [("2", 2), ("436.6K", 436_600), ("3.1M", 3_100_000), ("", None), ("x", None)]
)
def test_views_are_expanded(raw: str, views: int | None) -> None:
    assert parse_views(raw) == views

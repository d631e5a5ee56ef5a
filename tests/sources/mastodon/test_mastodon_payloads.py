"""Status JSON to Post: project-written bodies and the real 4.6.4 statuses in ../shared."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from sources.errors import MalformedResponse
from sources.mastodon.client import parse_links
from sources.mastodon.payloads import post_from_status

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "mastodon"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared/fixtures/mastodon (real Mastodon 4.6.4 cassettes) is absent",
)


def page() -> list[dict]:
    return json.loads((DATA / "hashtag_page.json").read_text(encoding="utf-8"))


def test_html_content_becomes_plain_text_with_breaks_and_link_text() -> None:
    post = post_from_status(page()[3], source="masto")
    assert post.text == (
        "Встреча в субботу & кафе «Тест»\nПриходите!\n\n"
        "Второй абзац #kalkandemo https://news.example/a/very/long/path"
    )
    assert post.external_id == "117100000000000001" and post.platform == "mastodon"
    assert post.author == "fictional_ana" and post.reach == 1234 and post.lang == "ru"
    assert post.url == "https://mastodon.example/@fictional_ana/117100000000000001"
    assert post.created_at == datetime(2026, 11, 20, 10, 41, tzinfo=UTC)
    assert not post.edited and post.raw["tags"] == ["kalkandemo"]


def test_content_warning_is_prepended_and_edit_recognised() -> None:
    post = post_from_status(page()[2], source="masto")
    assert post.text == "CW: insults\n\nТекст под предупреждением"
    assert post.edited and post.lang == "kk" and post.raw["sensitive"]


def test_boost_is_the_original_with_the_booster_recorded() -> None:
    post = post_from_status(page()[1], source="masto")
    assert post.external_id == "117099999999999990" and post.text == "Original post by Ana"
    assert post.author == "fictional_ana" and post.raw["boosted_by"] == "demo_bob"
    assert post.raw["boost_id"] == "117100000000000003"


def test_quote_is_kept_apart_from_the_authors_text() -> None:
    post = post_from_status(page()[0], source="masto")
    assert post.text == "Look at this <quote>"
    assert post.raw["quote"] == {
        "state": "accepted",
        "id": "117099999999999980",
        "url": "https://mastodon.example/@fictional_ana/117099999999999980",
        "author": "fictional_ana",
        "text": "The quoted words",
    }


def test_deleted_status_text_field_is_used_when_content_is_absent() -> None:
    status = {**page()[3], "text": "plain source"}
    del status["content"]
    assert post_from_status(status, source="m").text == "plain source"


@pytest.mark.parametrize("bad", [{}, {"id": 5}, [], "x"])
def test_status_without_id_is_malformed(bad: object) -> None:
    with pytest.raises(MalformedResponse):
        post_from_status(bad, source="m")


def test_link_header_relations() -> None:
    header = (
        '<http://h/api/v1/timelines/tag/x?max_id=11>; rel="next", '
        '<http://h/api/v1/timelines/tag/x?min_id=22>; rel="prev"'
    )
    assert parse_links(header) == {"next": {"max_id": "11"}, "prev": {"min_id": "22"}}
    assert parse_links(None) == {}


def _cassette_bodies(name: str, path_part: str) -> list:
    data = yaml.safe_load((SHARED / name).read_text(encoding="utf-8"))
    return [
        json.loads(i["response"]["body"]["string"])
        for i in data["interactions"]
        if path_part in i["request"]["uri"] and i["request"]["method"] == "GET"
    ]


@needs_shared
def test_real_hashtag_status_maps() -> None:
    [statuses] = _cassette_bodies("test_hashtag_tl.yaml", "/timelines/tag/")
    post = post_from_status(statuses[0], source="m")
    assert post.external_id == "117020593741189701" and post.lang == "ja"
    assert post.text == "#hoot (hashtag toot)" and post.author == "mastodonpy_test_2"
    assert post.reach == 0 and not post.edited


@needs_shared
def test_real_edited_status_maps_as_edited() -> None:
    bodies = _cassette_bodies("test_status_edit.yaml", "/api/v1/statuses/117020586180926938")
    status = next(b for b in bodies if isinstance(b, dict) and "content" in b)
    post = post_from_status(status, source="m")
    assert post.edited and "Kate" in post.text


@needs_shared
def test_every_real_public_timeline_status_maps() -> None:
    [statuses] = _cassette_bodies("test_public_tl_anonymous.yaml", "/timelines/public")
    posts = [post_from_status(s, source="m") for s in statuses]
    assert posts and all(p.created_at and p.url and "<" not in p.text for p in posts)

"""The `import` platform ingests a drop folder exactly once, and survives a bad file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sources.errors import ConfigError, MalformedResponse, NotFound
from sources.registry import build_source, validate_config

DATA = Path(__file__).parent / "data"


def source_for(path: Path, **extra: object):
    return build_source({"name": "drop", "platform": "import", "path": str(path), **extra})


def test_drop_folder_reports_each_file_once(tmp_path: Path) -> None:
    shutil.copy(DATA / "whatsapp_android_ru.txt", tmp_path)
    shutil.copy(DATA / "telegram_result.json", tmp_path)
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "copying.txt.part").write_text("x", encoding="utf-8")
    with source_for(tmp_path, timezone="Asia/Almaty") as source:
        first = source.fetch(None)
        assert len(first.posts) == 6
        times = [p.created_at for p in first.posts]
        assert times == sorted(times)  # type: ignore[type-var]
        assert source.fetch(first.cursor).posts == []
        shutil.copy(DATA / "whatsapp_ios_ru.txt", tmp_path)
        third = source.fetch(first.cursor)
    assert {p.platform for p in third.posts} == {"whatsapp"} and len(third.posts) == 4
    assert json.loads(third.cursor or "")["files"].keys() == {
        "telegram_result.json",
        "whatsapp_android_ru.txt",
        "whatsapp_ios_ru.txt",
    }


def test_changed_file_is_reread_with_the_same_ids(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    shutil.copy(DATA / "whatsapp_ios_ru.txt", chat)
    with source_for(tmp_path) as source:
        first = source.fetch(None)
        with chat.open("a", encoding="utf-8") as handle:
            handle.write("[26.05.21, 09:00:00] Аноним: Ещё одно.\n")
        second = source.fetch(first.cursor)
    old_ids = {p.external_id for p in first.posts}
    assert old_ids < {p.external_id for p in second.posts}
    assert second.posts[-1].text == "Ещё одно."


def test_bad_file_in_folder_is_skipped_and_remembered(tmp_path: Path) -> None:
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    shutil.copy(DATA / "messages.jsonl", tmp_path)
    with source_for(tmp_path) as source:
        result = source.fetch(None)
    assert len(result.posts) == 2
    assert "broken.jsonl" in json.loads(result.cursor or "")["files"]


def test_single_bad_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with source_for(bad) as source, pytest.raises(MalformedResponse, match=r"broken\.jsonl line 1"):
        source.fetch(None)


def test_missing_path_and_bad_options(tmp_path: Path) -> None:
    with source_for(tmp_path / "nope") as source, pytest.raises(NotFound):
        source.fetch(None)
    with pytest.raises(ConfigError, match="timezone"):
        validate_config({"name": "x", "platform": "import", "path": "/x", "timezone": "Nowhere/X"})
    with pytest.raises(ConfigError, match="kind"):
        validate_config({"name": "x", "platform": "import", "path": "/x", "kind": "viber"})


def test_corrupt_cursor_means_first_run(tmp_path: Path) -> None:
    shutil.copy(DATA / "messages.jsonl", tmp_path)
    with source_for(tmp_path) as source:
        assert len(source.fetch("garbage").posts) == 2


def test_unzipped_export_folder_with_media(tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat - Волонтёры"
    chat.mkdir()
    shutil.copy(DATA / "whatsapp_android_en.txt", chat / "WhatsApp Chat - Волонтёры.txt")
    (chat / "IMG-20210524-WA0001.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (chat / "PTT-20210524-WA0002.opus").write_bytes(b"OggS")
    with source_for(tmp_path) as source:
        result = source.fetch(None)
    assert len(result.posts) == 3
    assert list(json.loads(result.cursor or "")["files"]) == [
        "WhatsApp Chat - Волонтёры/WhatsApp Chat - Волонтёры.txt"
    ]


def test_telegram_html_export_folders_in_a_drop_folder(tmp_path: Path) -> None:
    html = DATA / "telegram_html"
    shutil.copytree(html / "ChatExport_2025-03-16", tmp_path / "ChatExport_2025-03-16")
    export = tmp_path / "ChatExport_2025-03-16"
    (export / "files").mkdir()
    (export / "files" / "list.csv").write_text("text\nnot a post\n", encoding="utf-8")
    (export / "files" / "notes.txt").write_text("24.05.21, 14:03 - A: x\n", encoding="utf-8")
    (tmp_path / "export_results.html").write_text("<html></html>", encoding="utf-8")
    with source_for(tmp_path) as source:
        first = source.fetch(None)
        assert len(first.posts) == 10
        assert source.fetch(first.cursor).posts == []
        shutil.copytree(html / "ChatExport_2021-05-24", tmp_path / "ChatExport_2021-05-24")
        second = source.fetch(first.cursor)
    assert [p.raw["message_id"] for p in second.posts] == [48213, 48214, 48215]
    assert list(json.loads(second.cursor or "")["files"]) == [
        "ChatExport_2025-03-16/messages.html",
        "ChatExport_2025-03-16/messages2.html",
        "ChatExport_2021-05-24/messages.html",
    ]


def test_import_source_pointed_at_one_html_export(tmp_path: Path) -> None:
    export = DATA / "telegram_html" / "ChatExport_2021-05-24"
    with source_for(export, timezone="Asia/Almaty", kind="telegram_html") as source:
        result = source.fetch(None)
    assert [p.author for p in result.posts] == [
        "Гульнара Сейтказы",
        "Марат Ержанов",
        "Марат Ержанов",
    ]

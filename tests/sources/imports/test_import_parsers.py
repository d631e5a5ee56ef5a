"""Exported chats become Posts: formats, dates, multi-line messages, system lines, stable ids."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sources.errors import ConfigError, MalformedResponse
from sources.imports import detect_kind, parse_import

DATA = Path(__file__).parent / "data"
ALMATY = timezone(timedelta(hours=6))  # Kazakhstan's UTC+6 until March 2024


def test_whatsapp_android_russian() -> None:
    posts = parse_import(DATA / "whatsapp_android_ru.txt", source_name="wa", timezone="Asia/Almaty")
    assert [p.author for p in posts] == [
        "Гульнара Сейтказы",
        "+7 700 000 00 01",
        "Гульнара Сейтказы",
        "Марат Ержанов",
    ]
    threat = posts[1]
    assert threat.text == (
        "Мы знаем, где ты живёшь, Айгерим Нурланова.\n"
        "Лучше удали свой канал, пока не поздно.\nИ подруге своей передай."
    )
    assert threat.platform == "whatsapp" and threat.source == "wa"
    assert threat.created_at == datetime(2021, 5, 24, 14, 5, tzinfo=ALMATY)
    assert threat.raw == {"import": "whatsapp", "file": "whatsapp_android_ru.txt", "line": 4}
    assert posts[3].created_at.month == 6 and posts[3].created_at.day == 13  # type: ignore[union-attr]


def test_whatsapp_android_us_english_with_pm_and_edits() -> None:
    posts = parse_import(DATA / "whatsapp_android_en.txt", source_name="wa")
    assert [p.text for p in posts] == [
        "Got another message from that account",
        "Shut up or we will make you shut up, Dana.",
        "Reported it. Thanks all",
    ]
    assert posts[1].edited and not posts[0].edited
    assert posts[1].created_at == datetime(2021, 5, 24, 14, 4, tzinfo=UTC)
    assert posts[2].created_at == datetime(2021, 5, 25, 10, 30, tzinfo=UTC)


def test_whatsapp_ios_marks_duplicates_and_multiline() -> None:
    posts = parse_import(DATA / "whatsapp_ios_ru.txt", source_name="wa")
    assert [p.text for p in posts] == [
        "Смотрите, что мне прислали",
        "Тебе здесь не место.",
        "Тебе здесь не место.",
        "Спасибо, что поддержали\nвсех обнимаю",
    ]
    assert posts[1].external_id != posts[2].external_id  # same minute, text, author: two posts
    assert posts[1].created_at == datetime(2021, 5, 24, 14, 3, 40, tzinfo=UTC)


def test_reimport_gives_the_same_ids_even_with_more_messages_appended(tmp_path: Path) -> None:
    first = parse_import(DATA / "whatsapp_ios_ru.txt", source_name="wa")
    longer = tmp_path / "chat.txt"
    original = (DATA / "whatsapp_ios_ru.txt").read_text(encoding="utf-8")
    longer.write_text(original + "[26.05.21, 09:00:00] Аноним: Тебе здесь не место.\n", "utf-8")
    second = parse_import(longer, source_name="wa")
    assert [p.external_id for p in second[:4]] == [p.external_id for p in first]
    assert second[4].external_id not in {p.external_id for p in first}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("24/05/2021, 14:03 - A: x", datetime(2021, 5, 24, 14, 3, tzinfo=UTC)),
        ("05/06/2021, 14:03 - A: x", datetime(2021, 6, 5, 14, 3, tzinfo=UTC)),
        ("05/06/21, 2:03 p.m. - A: x", datetime(2021, 5, 6, 14, 3, tzinfo=UTC)),
        ("12/13/21, 12:03 AM - A: x", datetime(2021, 12, 13, 0, 3, tzinfo=UTC)),
        ("2021-05-24, 14:03 - A: x", datetime(2021, 5, 24, 14, 3, tzinfo=UTC)),
        ("[5/24/21, 2:03:11 PM] A: x", datetime(2021, 5, 24, 14, 3, 11, tzinfo=UTC)),
    ],
)
def test_date_styles(tmp_path: Path, line: str, expected: datetime) -> None:
    (tmp_path / "c.txt").write_text(line + "\n", encoding="utf-8")
    [post] = parse_import(tmp_path / "c.txt", source_name="wa")
    assert post.created_at == expected


def test_whatsapp_zip_as_shared_by_the_phone(tmp_path: Path) -> None:
    archive = tmp_path / "WhatsApp Chat - Волонтёры.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(DATA / "whatsapp_android_ru.txt", "_chat.txt")
        z.writestr("IMG-20210524-WA0001.jpg", b"\xff\xd8\xff")
    assert len(parse_import(archive, source_name="wa")) == 4


def test_telegram_desktop_export() -> None:
    posts = parse_import(DATA / "telegram_result.json", source_name="tg")
    assert [p.external_id for p in posts] == ["tg:1234567890:102", "tg:1234567890:103"]
    threat = posts[1]
    assert threat.text == "Жанна, мы найдём тебя. Смотри https://example.invalid/post/7 и молчи."
    assert threat.edited and not posts[0].edited
    assert threat.created_at == datetime(2021, 5, 24, 14, 5, 40, tzinfo=ALMATY)  # date_unixtime
    assert threat.platform == "telegram_export"
    assert threat.raw["forwarded_from"] == "Тёмный Канал"


def test_telegram_all_data_export(tmp_path: Path) -> None:
    chat = json.loads((DATA / "telegram_result.json").read_text(encoding="utf-8"))
    for message in chat["messages"]:
        message.pop("date_unixtime")
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": [chat, chat | {"id": 7}]}}), encoding="utf-8")
    posts = parse_import(path, source_name="tg", timezone="Asia/Almaty")
    assert len(posts) == 4 and posts[2].external_id == "tg:7:102"
    assert posts[0].created_at == datetime(2021, 5, 24, 14, 3, 11, tzinfo=ALMATY)


def test_csv_semicolon_with_quoted_multiline() -> None:
    posts = parse_import(DATA / "messages.csv", source_name="f")
    assert [p.external_id for p in posts] == ["file:1", "file:2"]
    assert posts[0].text == "Айгуль, закрой рот; иначе пожалеешь"
    assert posts[0].url == "https://example.invalid/c/1"
    assert posts[1].text == "Multi-line\nabuse" and posts[1].created_at == datetime(
        2021, 5, 24, 10, tzinfo=UTC
    )
    assert posts[0].platform == "file"


def test_jsonl_with_aliases() -> None:
    first, second = parse_import(DATA / "messages.jsonl", source_name="f")
    assert first.created_at == datetime(2021, 5, 24, 14, 3, 31, tzinfo=UTC)
    assert second.author == "user_882" and second.lang == "en"
    assert first.external_id.startswith("file:") and len(first.external_id) == 37


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("chat.txt", "hello there\n24.05.21, 14:03 - A: x\n", "chat.txt line 1"),
        ("chat.txt", "24.05.21, 14:03 - A: x\n31.02.21, 14:03 - A: y\n", "chat.txt line 2"),
        ("a.jsonl", '{"text": "a"}\n{"text": \n', "a.jsonl line 2"),
        ("a.jsonl", '{"text": "a"}\n[1]\n', "a.jsonl line 2: expected a JSON object"),
        ("a.csv", "who,when\nx,y\n", "a.csv line 1"),
        ("a.csv", "text,date\nx,yesterday\n", "a.csv line 2"),
        ("result.json", '{"messages": [\n{"id": 1,}\n]}', "result.json line 2"),
        ("data.bin", "\x00\x01", "data.bin line 1: binary data"),
        ("notes.md", "# hello", "unrecognised export format"),
    ],
)
def test_malformed_files_name_the_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(MalformedResponse, match=message):
        parse_import(
            tmp_path / name,
            source_name="x",
            kind="telegram_export" if name == "result.json" else None,
        )


def test_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown import kind"):
        parse_import(DATA / "messages.csv", kind="viber", source_name="x")
    with pytest.raises(ConfigError, match="time zone"):
        parse_import(DATA / "messages.csv", source_name="x", timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match=r"cannot read import missing\.txt"):
        parse_import(tmp_path / "missing.txt", source_name="x")


def test_detect_kind() -> None:
    assert detect_kind("x.txt", "[24.05.21, 14:03:11] A: b") == "whatsapp"
    assert detect_kind("result.json", '{"messages": []}') == "telegram_export"
    assert detect_kind("x.json", '{"text": "a"}\n{"text": "b"}') == "jsonl"
    assert detect_kind("x.tsv", "") == "csv"


def test_excel_csv_in_windows_1251(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("Сообщение;Автор\r\nТы пожалеешь, Айгуль;Аноним\r\n".encode("cp1251"))
    [post] = parse_import(path, source_name="f")
    assert post.text == "Ты пожалеешь, Айгуль" and post.author == "Аноним"


def test_non_utf8_chat_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(b"24.05.21, 14:03 - A: x\n" + "привет".encode("cp1251"))
    with pytest.raises(MalformedResponse, match=r"chat\.txt line 2: not UTF-8"):
        parse_import(path, source_name="wa")

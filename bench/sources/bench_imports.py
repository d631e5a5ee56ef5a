"""Parse throughput of generated 100,000-message chat exports: WhatsApp and Telegram HTML.

Run: `.venv/bin/python bench/sources/bench_imports.py [MESSAGES]`. The exports are
fictional: a few authors cycling through template lines. WhatsApp (Android, Russian locale):
one in ten messages spanning two lines, with system and media-omitted lines mixed in, as in
real group exports. Telegram Desktop HTML: a folder of 1,000-message pages in its layout,
with date separators, "joined" follow-ups, forwards, replies, links, `<br>` and media-only
messages mixed in.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sources.imports import parse_import

AUTHORS = ("Гульнара Сейтказы", "+7 700 000 00 01", "Марат Ержанов", "Dana Kemel")
LINES = (
    "Мы знаем, где ты живёшь.",
    "Сен жалғыз емессің, біз бірге боламыз.",
    "Shut up or we will make you shut up.",
    "Скриншоты сохранила, отправлю юристу 👍",
    "<Без медиафайлов>",
)


def generate(count: int) -> str:
    """A WhatsApp Android export with `count` message headers."""
    start = datetime(2021, 5, 24, 14, 0)
    out = ["24.05.21, 14:00 - Сообщения и звонки защищены сквозным шифрованием."]
    for i in range(count):
        when = start + timedelta(minutes=i // 3)
        text = LINES[i % len(LINES)]
        if not text.startswith("<"):
            text += f"\nпродолжение {i}" if i % 10 == 0 else f" #{i}"
        out.append(f"{when:%d.%m.%y, %H:%M} - {AUTHORS[i % len(AUTHORS)]}: {text}")
    return "\n".join(out) + "\n"


def telegram_page(blocks: list[str], *, index: int, last: bool) -> str:
    """One messagesN.html page around its message blocks, with its pagination links."""
    head = (
        '<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n'
        "<title>Exported Data</title>\n </head>\n\n"
        ' <body onload="CheckLocation();">\n\n  <div class="page_wrap">\n\n'
        '   <div class="page_header">\n\n    <div class="content">\n\n'
        '     <div class="text bold">\nВолонтёры Алматы \n     </div>\n\n'
        "    </div>\n\n   </div>\n\n"
        '   <div class="page_body chat_page">\n\n    <div class="history">\n'
    )
    if index > 1:
        previous = "messages.html" if index == 2 else f"messages{index - 1}.html"
        head += (
            f'\n     <a class="pagination block_link" href="{previous}">\n'
            "Previous messages\n     </a>\n"
        )
    tail = (
        ""
        if last
        else (
            f'\n     <a class="pagination block_link" href="messages{index + 1}.html">\n'
            "Next messages\n     </a>\n"
        )
    )
    return (
        head
        + "".join(blocks)
        + tail
        + "\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n\n</html>\n"
    )


def telegram_message(i: int, when: datetime) -> str:
    """One `div.message.default` block: a new sender every third message, else "joined"."""
    title = f"{when:%d.%m.%Y %H:%M:%S} UTC+05:00"
    joined = i % 3 != 0
    author = AUTHORS[(i // 3) % len(AUTHORS)]
    line = LINES[i % (len(LINES) - 1)].replace("&", "&amp;").replace("<", "&lt;")
    css_class = "message default clearfix" + (" joined" if joined else "")
    parts = [f'\n     <div class="{css_class}" id="message{i + 1}">\n']
    if not joined:
        parts.append(
            '\n      <div class="pull_left userpic_wrap">\n\n'
            '       <div class="userpic userpic3" style="width: 42px; height: 42px">\n\n'
            '        <div class="initials" style="line-height: 42px">\nАБ\n        </div>\n\n'
            "       </div>\n\n      </div>\n"
        )
    parts.append(
        '\n      <div class="body">\n\n'
        f'       <div class="pull_right date details" title="{title}">\n'
        f"{when:%H:%M}\n       </div>\n"
    )
    if not joined:
        parts.append(f'\n       <div class="from_name">\n{author}\n       </div>\n')
    if i % 7 == 0 and i:
        parts.append(
            '\n       <div class="reply_to details">\nIn reply to '
            f'<a href="#go_to_message{i}" onclick="return GoToMessage({i})">this message</a>\n'
            "       </div>\n"
        )
    if i % 15 == 0:
        parts.append(
            '\n       <div class="media_wrap clearfix">\n\n        <a class="photo_wrap clearfix '
            f'pull_left" href="photos/photo_{i}.jpg">\n\n         <img class="photo" '
            f'src="photos/photo_{i}_thumb.jpg" style="width: 260px; height: 146px"/>\n\n'
            "        </a>\n\n       </div>\n"
        )
    else:
        extra = (
            f"<br>продолжение {i}"
            if i % 10 == 0
            else f' <a href="https://example.invalid/{i}">ссылка</a>'
        )
        parts.append(
            f'\n       <div class="text">\n<strong>{line}</strong>{extra}\n       </div>\n'
        )
    parts.append("\n      </div>\n\n     </div>\n")
    return "".join(parts)


def write_telegram_export(folder: Path, count: int) -> int:
    """A Telegram Desktop HTML export of `count` messages, 1,000 a page; its size in bytes."""
    start = datetime(2025, 3, 14, 9, 0)
    size, pages = 0, (count + 999) // 1000
    for index in range(1, pages + 1):
        blocks = []
        for i in range((index - 1) * 1000, min(index * 1000, count)):
            when = start + timedelta(seconds=20 * i)
            if i % 1000 == 0 or when.date() != (when - timedelta(seconds=20)).date():
                blocks.append(
                    f'\n     <div class="message service" id="message-{i + 1}">\n\n'
                    f'      <div class="body details">\n{when:%d %B %Y}\n      </div>\n\n'
                    "     </div>\n"
                )
            blocks.append(telegram_message(i, when))
        name = "messages.html" if index == 1 else f"messages{index}.html"
        page = telegram_page(blocks, index=index, last=index == pages)
        size += (folder / name).write_bytes(page.encode("utf-8"))
    return size


def best_of_three(path: Path) -> tuple[float, int]:
    """The fastest of three parses, and how many posts it gave."""
    best, posts = float("inf"), 0
    for _ in range(3):
        began = time.perf_counter()
        posts = len(parse_import(path, source_name="bench"))
        best = min(best, time.perf_counter() - began)
    return best, posts


def main() -> None:
    """Generate each export, parse it three times, print the best rates."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chat.txt"
        path.write_text(generate(count), encoding="utf-8")
        size = path.stat().st_size
        best, posts = best_of_three(path)
        print(f"whatsapp import: {count:,} messages ({size / 1e6:.1f} MB) -> {posts:,} posts")
        print(f"  best of 3: {best:.2f} s = {count / best:,.0f} messages/s (one core)")
        export = Path(folder) / "ChatExport_2025-03-14"
        export.mkdir()
        size = write_telegram_export(export, count)
        best, posts = best_of_three(export)
        pages = len(list(export.glob("messages*.html")))
        print(
            f"telegram html import: {count:,} messages in {pages} pages ({size / 1e6:.1f} MB)"
            f" -> {posts:,} posts"
        )
        print(f"  best of 3: {best:.2f} s = {count / best:,.0f} messages/s (one core)")


if __name__ == "__main__":
    main()

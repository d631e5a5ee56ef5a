"""Parse throughput of a generated 100,000-message WhatsApp export (Android, Russian locale).

Run: `.venv/bin/python bench/sources/bench_imports.py [MESSAGES]`. The export is fictional:
a few authors cycling through template lines, one in ten messages spanning two lines, with
system and media-omitted lines mixed in, as in real group exports.
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


def main() -> None:
    """Generate, parse three times, print the best rate."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chat.txt"
        path.write_text(generate(count), encoding="utf-8")
        size = path.stat().st_size
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            posts = parse_import(path, source_name="bench")
            best = min(best, time.perf_counter() - began)
    print(f"whatsapp import: {count:,} messages ({size / 1e6:.1f} MB) -> {len(posts):,} posts")
    print(f"  best of 3: {best:.2f} s = {count / best:,.0f} messages/s (one core)")


if __name__ == "__main__":
    main()

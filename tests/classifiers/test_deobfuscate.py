"""De-obfuscation: leetspeak and spelled-out words become words again; ordinary text,
numbers and contact details stay exactly as written."""

from __future__ import annotations

import pytest

from classifiers.deobfuscate import deobfuscate


@pytest.mark.parametrize(
    ("obfuscated", "plain"),
    [
        ("я тебя у6ью", "я тебя убью"),
        ("з@р3жу тебя", "зарежу тебя"),
        ("k1ll them all", "kill them all"),
        ("wh0res and h4ters", "whores and haters"),
        ("k i l l yourself", "kill yourself"),
        ("у б ь ю", "убью"),
        ("тупaя сyка", "тупая сука"),  # Latin a and y inside Cyrillic words
        ("stupіd", "stupid"),  # Cyrillic і inside a Latin word
        ("Ж@нар, ты следующая", "Жанар, ты следующая"),
    ],
)
def test_obfuscated_words_are_restored(obfuscated: str, plain: str) -> None:
    assert deobfuscate(obfuscated) == plain


@pytest.mark.parametrize(
    "text",
    [
        "covid19, 5G and mp3 files",
        "B2B meeting on the A1 road at 10:30",
        "pay 100$ before 2024-05-01",
        "write to anna.k@mail.kz or call +7 701 123 45 67",
        "@aigerim_k #freeSpeech https://example.org/p1x2",
        "www.ex4mple.com",
        "я в у тебя",  # one-letter Russian words are not a spelled-out word
        "Almaty-да WiFi-ды тегін",  # code-switched words keep both scripts
        "Қазақстанда 3 адам",
        "с*ка, опять дождь",
        "",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert deobfuscate(text) == text


@pytest.mark.parametrize("text", ["g0nna b3at th3 l1fe 0ut", "m u s l i m s", "у6ью з@р3жу"])
def test_deobfuscation_is_idempotent(text: str) -> None:
    once = deobfuscate(text)
    assert deobfuscate(once) == once

"""Regenerate heldout_cases.jsonl: cases written after the engine, for the gaps it closed.

Run: .venv/bin/python tests/monitor/matching/make_heldout.py  (the output is committed)
Each case names the expected substrings; offsets are computed here. Fictional people only
(the defenders are those of corpus_defenders.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path

# (lang, text, [(defender, kind, substring), ...]); an empty list is a hard negative
CASES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    # Kazakh ending on the first word of a reversed name
    ("kk", "Касымовтың Ерлан туралы не білесіздер?", [("erlan", "name", "Касымовтың Ерлан")]),
    (
        "kk",
        "Нурланованың Айгерим сөзін оқыдыңыз ба?",
        [("aigerim", "name", "Нурланованың Айгерим")],
    ),
    ("kk", "Жақуповадан Сәуле әлі жауап бермеді", [("saule", "name", "Жақуповадан Сәуле")]),
    ("kk", "Ospanovtyń Timur jazbasy", [("timur", "name", "Ospanovtyń Timur")]),
    ("kk", "Қадыровамен Жанна кездесуге келді", [("zhanna", "name", "Қадыровамен Жанна")]),
    ("kk", "Ибраимовага Гульнара не деді?", [("gulnara", "name", "Ибраимовага Гульнара")]),
    ("kk", "КАСЫМОВТЫҢ ЕРЛАН тағы да", [("erlan", "name", "КАСЫМОВТЫҢ ЕРЛАН")]),
    # digit look-alikes inside digit runs
    ("ru", "звоните +7 7O1 555 2З 47 все", [("aigerim", "phone", "+7 7O1 555 2З 47")]),
    ("ru", "номер 8 7Ol 555 23 47, пишите", [("aigerim", "phone", "8 7Ol 555 23 47")]),
    ("ru", "тел: 8 (777) l23-45-08", [("erlan", "phone", "8 (777) l23-45-08")]),
    ("en", "WhatsApp +996 555 l2З 456 now", [("gulnara", "phone", "+996 555 l2З 456")]),
    ("ru", "+7 7OI 555 23 47 — её номер", [("aigerim", "phone", "+7 7OI 555 23 47")]),
    ("kk", "Нөмірі: 8 705 9OO 1l 22", [("saule", "phone", "8 705 9OO 1l 22")]),
    ("ru", "звоните 8 70l 555 2З 47!", [("aigerim", "phone", "8 70l 555 2З 47")]),
    # the dot of a trailing initial
    ("ru", "Опять Касымов Е. пишет глупости", [("erlan", "name", "Касымов Е.")]),
    ("ru", "Жалоба на Нурланову А. отправлена", [("aigerim", "name", "Нурланову А.")]),
    ("en", "Ospanov T. posted again", [("timur", "name", "Ospanov T.")]),
    # hard negatives: namesakes, first names alone, streets, numbers that are not the phone
    ("kk", "Касымовтың Дина туралы жазба", []),
    ("kk", "Касымовтың үйі қайда?", []),
    ("kk", "Оспановтың Тимурлан деген ұлы бар", []),
    ("kk", "Нурланованың Карина деген қызы", []),
    ("ru", "Ерлан пришёл на встречу вовремя", []),
    ("ru", "Айгерим и Жанна пошли в кино", []),
    ("ru", "Встреча на ул. Касымова 15", []),
    ("kk", "Қадырова көшесі 22 үй жөндеуде", []),
    ("ru", "звоните +7 7O1 555 2З 48", []),
    ("ru", "звоните 8 7O1 555 23 4l", []),
    ("ru", "в экстренном случае звоните 102 или 112", []),
    ("ru", "горячая линия 8 800 080 77 77, 1414", []),
    ("ru", "Заказ №70155523478 отправлен", []),
    ("ru", "Цена 7 701 555 тг, скидка 23 %", []),
    ("en", "Ozil scored 2 goals, oil price 70 usd, zoo open 9-l8", []),
    ("ru", "Счёт 2З:47, победа!", []),
    ("kk", "Тимур Оспанұлы сөйледі", []),
    ("en", "Timur and Saule went home", []),
    ("ru", "Жумабеков и Касымова провели тренинг", []),
]


def main() -> None:
    """Write heldout_cases.jsonl next to this file."""
    lines = []
    for i, (lang, text, expect) in enumerate(CASES):
        spans = []
        for who, kind, sub in expect:
            start = text.index(sub)
            spans.append({"defender": who, "kind": kind, "start": start, "end": start + len(sub)})
        row = {"lang": lang, "text": text, "expect": spans, "id": f"h{i:03d}"}
        lines.append(json.dumps(row, ensure_ascii=False))
    out = Path(__file__).with_name("heldout_cases.jsonl")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

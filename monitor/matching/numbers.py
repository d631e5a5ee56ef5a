"""Reading numbers out of skeleton tokens: digit groups and digits spelled out in words.

Works on the skeleton (see `textnorm`), where every separator is already one space, so
"+7 (701) 555-23-47", "8.701.555.23.47", "７０１" and a number split across a line break
all arrive as runs of digit tokens. Spelled-out digits in Russian, Kazakh (Cyrillic and
Latin) and English become digit groups: "семьсот один" → "701", "жетпіс бір" → "71".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from monitor.matching.textnorm import skeleton

_WORDS: dict[int, str] = {
    0: "ноль нуль нөл нол nol zero oh",
    1: "один одна одно бір bir one", 2: "два две екі eki two", 3: "три үш ush three",
    4: "четыре төрт tort four", 5: "пять бес bes five", 6: "шесть алты alty six",
    7: "семь жеті jeti seven", 8: "восемь сегіз segiz eight", 9: "девять тоғыз togyz nine",
    10: "десять он ten", 11: "одиннадцать eleven", 12: "двенадцать twelve",
    13: "тринадцать thirteen", 14: "четырнадцать fourteen", 15: "пятнадцать fifteen",
    16: "шестнадцать sixteen", 17: "семнадцать seventeen", 18: "восемнадцать eighteen",
    19: "девятнадцать nineteen", 20: "двадцать жиырма jiyrma twenty",
    30: "тридцать отыз otyz thirty", 40: "сорок қырық qyryq forty",
    50: "пятьдесят елу elu fifty", 60: "шестьдесят алпыс alpys sixty",
    70: "семьдесят жетпіс jetpis seventy", 80: "восемьдесят сексен seksen eighty",
    90: "девяносто тоқсан toqsan ninety", 100: "сто", 200: "двести", 300: "триста",
    400: "четыреста", 500: "пятьсот", 600: "шестьсот", 700: "семьсот", 800: "восемьсот",
    900: "девятьсот",
}  # fmt: skip
_HUNDRED = frozenset(skeleton(w).strip() for w in ["жүз", "jüz", "juz", "hundred"])
NUMBER_WORDS: dict[str, int] = {
    skeleton(w).strip(): value for value, words in _WORDS.items() for w in words.split()
}
_DIGITS = re.compile(r"[0-9o]*[0-9][0-9o]*")
#: Digit look-alikes beside the letter O: З/z for 3, l/I/і for 1 (skeleton "z", "l", "i").
_LOOKALIKE = re.compile(r"[0-9ozli]*[0-9][0-9ozli]*")
_TO_DIGIT = str.maketrans("ozli", "0311")


@dataclass(frozen=True, slots=True)
class Group:
    """One group of digits and the skeleton span it came from."""

    digits: str
    start: int
    end: int


def _token_value(tok: str) -> str | int | None:
    """A digit string for digit tokens, an int for number words, None otherwise."""
    if _DIGITS.fullmatch(tok):
        return tok.replace("o", "0")
    if _LOOKALIKE.fullmatch(tok):
        # only in a token that already has a real digit, so words are never read as numbers
        return tok.translate(_TO_DIGIT)
    if tok in _HUNDRED:
        return -100
    return NUMBER_WORDS.get(tok)


def _compose(words: list[tuple[int, int, int]]) -> Iterator[Group]:
    """Spelled-out values → groups: hundreds, then tens, then units; zero stands alone."""
    value, start, end, room = 0, -1, -1, 4  # room: a word of a lower order may still follow
    for v, a, b in words:
        if v == -100:  # Kazakh/English multiplier: "екі жүз" = 200, "жүз" = 100
            if start >= 0 and room < 1:
                yield Group(str(value), start, end)
                value, start = 0, -1
            value, room, end = (value or 1) * 100, 3, b
            start = a if start < 0 else start
            continue
        order = 0 if v == 0 else 3 if v >= 100 else 2 if v >= 10 else 1
        if start >= 0 and (order == 0 or order >= room):
            yield Group(str(value), start, end)
            value, start = 0, -1
        value += v
        start = a if start < 0 else start
        end = b
        room = {0: 0, 1: 1, 2: 2 if v >= 20 else 1, 3: 3}[order]
    if start >= 0:
        yield Group(str(value), start, end)


_NUMERIC = re.compile(
    r"(?<!\S)(?:[0-9ozli]*[0-9][0-9ozli]*|"
    + "|".join(re.escape(w) for w in sorted({*NUMBER_WORDS, *_HUNDRED}, key=len, reverse=True))
    + r")(?!\S)"
)


def digit_runs(s: str) -> Iterator[list[Group]]:
    """Runs of consecutive numeric tokens (digits or number words), as digit groups.

    Only numeric tokens are visited (one C-level regex scan), so text without digits or
    number words costs one search.
    """
    if not has_numeric(s):
        return
    run: list[Group] = []
    words: list[tuple[int, int, int]] = []
    prev_end = -1
    for m in _NUMERIC.finditer(s):
        a, b = m.span()
        if prev_end >= 0 and s[prev_end:a].strip():  # a non-numeric token in between
            if words:
                run.extend(_compose(words))
                words = []
            if run:
                yield run
                run = []
        prev_end = b
        value = _token_value(m.group(0))
        if value is None:  # a look-alike token that is not a number ends the run
            if words:
                run.extend(_compose(words))
                words = []
            if run:
                yield run
                run = []
            continue
        if isinstance(value, int):
            words.append((value, a, b))
            continue
        if words:
            run.extend(_compose(words))
            words = []
        if isinstance(value, str):
            run.append(Group(value, a, b))
    if words:
        run.extend(_compose(words))
    if run:
        yield run


_ANY_DIGIT = re.compile(r"[0-9]")
_ALL_WORDS = frozenset({*NUMBER_WORDS, *_HUNDRED})


def has_numeric(s: str) -> bool:
    """Cheap test: does the skeleton contain a digit or a number word at all?"""
    return _ANY_DIGIT.search(s) is not None or not _ALL_WORDS.isdisjoint(s.split())

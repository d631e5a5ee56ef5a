"""Folding text into a script-neutral "skeleton" with a map back to the original offsets.

Names are matched on the skeleton: NFKC, case folding, diacritics dropped (ё→е, й→и),
Cyrillic (Russian and Kazakh) transliterated to Latin, Latin/Cyrillic homoglyphs folded,
zero-width characters and soft hyphens removed, every other non-alphanumeric character
turned into a space, then romanisation differences collapsed (zh/j, kh/h, q/k, y/i,
doubled letters, spaced-out letters). Patterns go through the same function, so any
spelling that folds to the same skeleton matches.

`skeleton(text)` is the fast path (C-speed `str.translate` and `re.sub`);
`skeleton_mapped(text)` builds the same string plus, for every skeleton character, the
original start and end index. They share the tables and rules, so they cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, chain, repeat

from anyascii import anyascii

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z",
    "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i", "ї": "i", "є": "e", "ў": "u", "ј": "j",
}  # fmt: skip
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "'", "\u2019", "`", "\u02bc"}

#: Latin letters that look like Cyrillic ones (and back), for words mixing the scripts.
_LAT_TO_CYR = str.maketrans("aeopcyxkiABEKMHOPCTXY", "аеорсухкіАВЕКМНОРСТХУ")
_CYR_TO_LAT = str.maketrans("аеорсухкіАВЕКМНОРСТХУ", "aeopcyxkiABEKMHOPCTXY")
_LATIN_LETTER = re.compile(r"[a-zA-Z]")
_CYR_LETTER = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]")
#: Only the words that mix both scripts (lookaheads keep the scan in C).
_MIXED_WORD = re.compile(r"\b(?=\w*[a-zA-Z])(?=\w*[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ])\w+")


def _fold_char(ch: str) -> str:
    """The skeleton of one character (before the context rules)."""
    if ch in _DROP:
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        for d in unicodedata.normalize("NFD", c):
            if unicodedata.category(d) == "Mn" or d in _DROP:
                continue
            if "a" <= d <= "z" or "0" <= d <= "9":
                out.append(d)
            elif d in _CYR:
                out.append(_CYR[d])
            elif d.isdigit():
                out.append(str(unicodedata.digit(d, 0)))
            elif d.isalpha():
                out.append("".join(x for x in anyascii(d).lower() if x.isalnum()))
            else:
                out.append(" ")
    return "".join(out)


class _Table(dict[int, str]):
    """A lazily filled `str.translate` table: each code point folded once, then cached."""

    def __missing__(self, key: int) -> str:
        try:
            value = _fold_char(chr(key))
        except (ValueError, UnicodeError):
            value = " "
        self[key] = value
        return value


_TABLE = _Table()


class _LengthTable(dict[int, str]):
    """A lazily filled `str.translate` table: each code point to chr(length of its skeleton)."""

    def __missing__(self, key: int) -> str:
        value = chr(len(_TABLE[key]))
        self[key] = value
        return value


_LENGTHS = _LengthTable()

_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?: [a-z]){3,}(?![a-z0-9])")
_DIGRAPH = re.compile(  # the leading lookahead lets most positions fail on one class test
    r"(?=[dzkgnqxwcyi])(?:dzh|dj|zh|kh|gh|ng|q|x|w|c(?!h)"
    r"|(?P<ie>(?:^|(?<= ))[yi]e)|(?P<vi>(?<=[aeou])[yi](?=e))|y)"
)
_DIGRAPH_MAP = {"dzh": "j", "dj": "j", "zh": "j", "kh": "h", "gh": "g", "ng": "n", "q": "k",
                "x": "h", "y": "i", "w": "v", "c": "s"}  # fmt: skip


def _digraph(m: re.Match[str]) -> str:
    """Replacement for one romanisation difference."""
    if m.lastgroup == "ie":
        return "e"
    if m.lastgroup == "vi":
        return ""
    return _DIGRAPH_MAP[m.group(0)]


#: Doubled letters, except inside digit runs ("7OO" is 700, not 70).
_DOUBLE = re.compile(r"(?<![0-9])([a-z])\1+(?![0-9])")
_SPACES = re.compile(r"  +")

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: tuple[_Rule, ...] = (
    (_SPACED, lambda m: m.group(0).replace(" ", "")),
    (_DIGRAPH, _digraph),
    (_DOUBLE, lambda m: m.group(1)),
    (_SPACES, lambda m: " "),
)
#: The same rules for the fast path, with C-level replacement templates where possible.
_FAST_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    _RULES[0],
    _RULES[1],
    (_DOUBLE, r"\1"),
    (_SPACES, " "),
)


def fold_homoglyphs(text: str) -> str:
    """Rewrite look-alike letters in words mixing Latin and Cyrillic to the word's majority script.

    One character in, one out, so offsets are unchanged.
    """
    if not (_LATIN_LETTER.search(text) and _CYR_LETTER.search(text)):
        return text
    return _MIXED_WORD.sub(_fix_word, text)


def _fix_word(m: re.Match[str]) -> str:
    """One word: if it mixes scripts, fold the minority script's look-alikes."""
    word = m.group(0)
    if not (_LATIN_LETTER.search(word) and _CYR_LETTER.search(word)):
        return word
    cyr = len(_CYR_LETTER.findall(word))
    letters = sum(c.isalpha() for c in word)
    return word.translate(_LAT_TO_CYR if cyr * 2 >= letters else _CYR_TO_LAT)


def skeleton(text: str) -> str:
    """The skeleton of `text` (fast path, no offsets)."""
    s = fold_homoglyphs(text).translate(_TABLE)
    for pattern, repl in _FAST_RULES:
        s = pattern.sub(repl, s)
    return s


def skeleton_mapped(text: str) -> tuple[str, list[int], list[int]]:
    """The skeleton plus each skeleton character's original (start, end) indices."""
    folded = fold_homoglyphs(text)
    pieces = list(map(_TABLE.__getitem__, map(ord, folded)))
    lengths = list(map(len, pieces))
    s = "".join(pieces)
    # C-level expansion: index i repeated once per skeleton character its piece produced
    starts = list(chain.from_iterable(map(repeat, range(len(pieces)), lengths)))
    ends = list(chain.from_iterable(map(repeat, range(1, len(pieces) + 1), lengths)))
    for pattern, repl in _RULES:
        s, starts, ends = _sub_mapped(pattern, repl, s, starts, ends)
    return s, starts, ends


def _sub_mapped(
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
    s: str,
    starts: list[int],
    ends: list[int],
) -> tuple[str, list[int], list[int]]:
    """`pattern.sub(repl, s)` that carries the offset arrays along."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    matches = list(pattern.finditer(s))
    if not matches:
        return s, starts, ends
    pos = 0
    for m in matches:
        a, b = m.span()
        out.append(s[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        r = repl(m)
        out.append(r)
        new_starts.extend([starts[a]] * len(r))
        new_ends.extend([ends[b - 1]] * len(r))
        pos = b
    out.append(s[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(out), new_starts, new_ends


_Edit = tuple[int, int, int, int]  # (new start, new end, old start, old end) of one replacement


class OffsetMap:
    """The skeleton of a text, with original offsets resolved only for the positions asked for.

    Agrees with `skeleton_mapped` but records each rule's replacements instead of carrying
    two offset arrays through every rule, so a post with a hit pays little for its offsets.
    """

    def __init__(self, text: str) -> None:
        """Fold `text` and record how skeleton positions move back to it."""
        folded = fold_homoglyphs(text)
        s = folded.translate(_TABLE)
        # cumulative skeleton length after each original character (piece lengths via a table)
        self._cum = list(accumulate(map(ord, folded.translate(_LENGTHS))))
        self._stages: list[tuple[list[int], list[_Edit]]] = []
        for pattern, repl in _RULES:
            s = self._apply(pattern, repl, s)
        self.skeleton = s

    def _apply(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], s: str) -> str:
        """One rule over `s`, remembering where each replacement went."""
        edits: list[_Edit] = []
        out: list[str] = []
        pos = shift = 0
        for m in pattern.finditer(s):
            a, b = m.span()
            r = repl(m)
            out += (s[pos:a], r)
            edits.append((a + shift, a + shift + len(r), a, b))
            shift += len(r) - (b - a)
            pos = b
        if not edits:
            return s
        out.append(s[pos:])
        self._stages.append(([e[0] for e in edits], edits))
        return "".join(out)

    def _back(self, q: int, last: bool) -> int:
        """Original index of skeleton character `q` (its first or last source character)."""
        for keys, edits in reversed(self._stages):
            i = bisect_right(keys, q) - 1
            if i >= 0:
                _, new_b, old_a, old_b = edits[i]
                q = (old_b - 1 if last else old_a) if q < new_b else old_b + q - new_b
        return bisect_right(self._cum, q)

    def start(self, q: int) -> int:
        """Original start offset of skeleton character `q`."""
        return self._back(q, last=False)

    def end(self, q: int) -> int:
        """Original end offset of skeleton character `q`."""
        return self._back(q, last=True) + 1

"""The name automaton: every name form of every defender in one Aho-Corasick automaton.

A hit in the skeleton text becomes a mention only when it starts at a word boundary, ends
at one (or continues with an allowed Kazakh/Russian ending), is not part of a street or
stadium name, and, for initials, the initial is written as one (upper case, with a dot).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from monitor.matching.textnorm import skeleton
from monitor.matching.types import DefenderProfile
from monitor.matching.variants import MAX_SUFFIX, SUFFIXES, case_forms, split_name

FULL, ALIAS, INITIAL_BEFORE, INITIAL_AFTER, SURNAME = range(5)

_PLACE_BEFORE = frozenset(
    skeleton(w).strip()
    for w in [
        "ул",
        "улица",
        "улицы",
        "улице",
        "улицу",
        "улицей",
        "пр",
        "проспект",
        "проспекта",
        "проспекте",
        "пр-т",
        "бульвар",
        "переулок",
        "пер",
        "площадь",
        "пл",
        "стадион",
        "стадиона",
        "стадионе",
        "стадиону",
        "им",
        "имени",
        "школа",
        "школы",
        "гимназия",
        "лицей",
        "мкр",
        "микрорайон",
        "парк",
        "парка",
        "сквер",
        "аллея",
        "street",
        "st",
        "avenue",
        "ave",
        "stadium",
        "school",
        "park",
        "square",
        "road",
        "rd",
        "проезд",
        "тупик",
        "шоссе",
        "набережная",
        "наб",
    ]
)
_PLACE_AFTER_WORDS = frozenset(
    skeleton(w).strip()
    for w in ["st", "ave", "street", "avenue", "road", "park", "square", "school", "stadium"]
)
_PLACE_AFTER = tuple(
    skeleton(w).strip()
    for w in ["көше", "даңғыл", "стадион", "мектеб", "мектеп", "саябақ", "алаң", "boulevard"]
)


@dataclass(frozen=True, slots=True)
class NameHit:
    """A verified name mention in skeleton coordinates."""

    defender: int
    start: int
    end: int
    kind: int


def _add(index: dict[str, set[tuple[int, int]]], key: str, who: int, kind: int) -> None:
    """Record one pattern (skipping empty or one-letter keys)."""
    if len(key.replace(" ", "")) >= 3:
        index.setdefault(key, set()).add((who, kind))


def _profile_patterns(index: dict[str, set[tuple[int, int]]], who: int, p: DefenderProfile) -> None:
    """Every pattern for one defender."""
    for alias in (p.name, *p.aliases):
        key = skeleton(alias).strip()
        if " " in key or alias in p.aliases:
            _add(index, key, who, ALIAS if alias in p.aliases else FULL)
    parts = split_name(p.name)
    if parts is None:
        return
    first = case_forms(parts.first, "first", p.gender, parts.last)
    last = case_forms(parts.last, "last", p.gender, parts.last)
    pairs = {(first[i], last[i]) for i in range(len(first))}
    pairs |= {(first[0], form) for form in last} | {(form, last[0]) for form in first}
    for f, s in pairs:
        _add(index, f"{f} {s}", who, FULL)
        _add(index, f"{s} {f}", who, FULL)
        _add(index, f"{f}{s}", who, FULL)
    initial = skeleton(parts.first[:1]).strip()
    for s in set(last):
        if initial:
            _add(index, f"{initial} {s}", who, INITIAL_BEFORE)
            _add(index, f"{s} {initial}", who, INITIAL_AFTER)
        _add(index, s, who, SURNAME)


def build_automaton(profiles: Sequence[DefenderProfile]) -> ahocorasick.Automaton | None:
    """One automaton over all defenders' name forms; None when there are none."""
    index: dict[str, set[tuple[int, int]]] = {}
    for who, profile in enumerate(profiles):
        _profile_patterns(index, who, profile)
    if not index:
        return None
    automaton = ahocorasick.Automaton()
    for key, owners in index.items():
        automaton.add_word(key, (len(key), tuple(sorted(owners))))
    automaton.make_automaton()
    return automaton


def first_name_forms(profiles: Sequence[DefenderProfile]) -> list[frozenset[str]]:
    """Each defender's first-name skeletons (all cases), shared between equal first names."""
    cache: dict[tuple[str, str | None, str], frozenset[str]] = {}
    out: list[frozenset[str]] = []
    for p in profiles:
        parts = split_name(p.name)
        if parts is None:
            out.append(frozenset())
            continue
        key = (parts.first, p.gender, parts.last[-2:])  # gender guess looks at the ending only
        if key not in cache:
            cache[key] = frozenset(case_forms(parts.first, "first", p.gender, parts.last))
        out.append(cache[key])
    return out


def first_after(s: str, end: int, forms: frozenset[str]) -> int | None:
    """End of one of `forms` written as the next word after `end` (an ending allowed), else None.

    Finds the reversed order with a Kazakh ending on the surname ("Касымовтың Ерлан").
    """
    if not forms or s[end : end + 1] != " ":
        return None
    stop = s.find(" ", end + 1)
    word = s[end + 1 : stop if stop >= 0 else len(s)]
    for form in forms:
        if word == form or (word.startswith(form) and word[len(form) :] in SUFFIXES):
            return end + 1 + len(word)
    return None


def _word_end(s: str, end: int) -> int | None:
    """The end of the mention, allowing a bounded ending; None if the word goes on."""
    if end >= len(s) or s[end] == " ":
        return end
    stop = s.find(" ", end, end + MAX_SUFFIX + 1)
    if stop < 0:
        stop = len(s) if len(s) - end <= MAX_SUFFIX else end + MAX_SUFFIX + 1
    if stop - end <= MAX_SUFFIX and s[end:stop] in SUFFIXES:
        return stop
    return None


def is_place(s: str, start: int, end: int) -> bool:
    """True when the words around the hit make it a street, stadium or school name."""
    before = s[max(0, start - 40) : start].rstrip().rsplit(" ", 1)[-1] if start else ""
    if before in _PLACE_BEFORE:
        return True
    after = s[end : end + 40].lstrip().split(" ", 1)[0]
    return after in _PLACE_AFTER_WORDS or (bool(after) and after.startswith(_PLACE_AFTER))


def raw_hits(automaton: ahocorasick.Automaton, s: str) -> Iterator[NameHit]:
    """Hits that pass the boundary and place checks (initial and pair checks come later)."""
    for last, (length, owners) in automaton.iter(s):
        start = last - length + 1
        if start > 0 and s[start - 1] != " ":
            continue
        end = _word_end(s, last + 1)
        if end is None or is_place(s, start, end):
            continue
        for who, kind in owners:
            yield NameHit(who, start, end, kind)

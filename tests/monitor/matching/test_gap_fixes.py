"""The recall gaps closed after the first version: reversed names with a Kazakh ending,
digit look-alikes inside numbers, the dot of a trailing initial, and the offset map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.matching.engine import Matcher
from monitor.matching.numbers import digit_runs
from monitor.matching.textnorm import OffsetMap, skeleton, skeleton_mapped
from monitor.matching.types import DefenderProfile

ERLAN = DefenderProfile(
    id="erlan", name="Ерлан Касымов", gender="male", phones=("+7 701 555 23 47",), country="KZ"
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build([ERLAN])


def texts(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in matcher.find(text)]


def test_reversed_name_with_kazakh_ending(matcher: Matcher) -> None:
    assert texts(matcher, "Касымовтың Ерлан туралы") == [("name", "Касымовтың Ерлан")]
    assert texts(matcher, "Касымовтың Дина туралы") == []
    assert texts(matcher, "Касымовтың Ерланбек") == []


@pytest.mark.parametrize(
    "text", ["8 7O1 555 2З 47", "+7 70l 555 23 47", "8 7OI 555 23 47", "+7 701 555 2З 4７"]
)
def test_digit_lookalikes_inside_numbers(matcher: Matcher, text: str) -> None:
    assert [k for k, _ in texts(matcher, f"звоните {text} !")] == ["phone"]


@pytest.mark.parametrize("word", ["oil", "zoo", "lili", "ozil", "il", "zl", "ol"])
def test_words_of_lookalike_letters_are_not_numbers(word: str) -> None:
    assert list(digit_runs(skeleton(f"a {word} b"))) == []


def test_one_digit_off_with_lookalikes_is_not_a_match(matcher: Matcher) -> None:
    assert texts(matcher, "звоните 8 7O1 555 2З 48") == []
    assert texts(matcher, "звоните 8 7O1 555 2З 4l") == []


def test_trailing_initial_includes_its_dot(matcher: Matcher) -> None:
    assert texts(matcher, "Опять Касымов Е. пишет") == [("name", "Касымов Е.")]
    assert texts(matcher, "Опять Касымов Е пишет") == [("name", "Касымов Е")]


def test_offset_map_agrees_with_skeleton_mapped() -> None:
    corpus = Path(__file__).with_name("corpus_cases.jsonl").read_text(encoding="utf-8")
    samples = [json.loads(line)["text"] for line in corpus.splitlines()]
    samples += ["Н у р л а н о в а  kkhh\u200b Жаңаөзен", "", "ъъ", "a  b ie ye"]
    for text in samples:
        s, starts, ends = skeleton_mapped(text)
        om = OffsetMap(text)
        assert om.skeleton == s == skeleton(text)
        assert [om.start(i) for i in range(len(s))] == starts
        assert [om.end(i) for i in range(len(s))] == ends

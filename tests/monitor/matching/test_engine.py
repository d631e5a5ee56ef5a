"""Behaviour of the matcher on single posts: offsets, precision rules, hostile input."""

from __future__ import annotations

import io
import json

import pytest

from monitor.errors import InputError
from monitor.matching.command import match_stream
from monitor.matching.engine import Matcher
from monitor.matching.normalize import normalize_contact
from monitor.matching.textnorm import skeleton, skeleton_mapped
from monitor.matching.types import DefenderProfile

AIGERIM = DefenderProfile(
    id="aigerim",
    name="Айгерим Нурланова",
    gender="female",
    handles=("@aigerim_nur",),
    phones=("+7 701 555 23 47",),
    emails=("a.n@example.org",),
    addresses=("ул. Абая 152, кв. 34, Алматы",),
    country="KZ",
)
BOLAT = DefenderProfile(id="bolat", name="Болат Жумабеков", gender="male")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build([AIGERIM, BOLAT])


def kinds(matcher: Matcher, text: str) -> list[tuple[str, str, str]]:
    return [(s.defender, s.kind, s.text) for s in matcher.find(text)]


def test_offsets_point_into_the_original_text(matcher: Matcher) -> None:
    text = "Ｓｅｅ: «Нур\u200bлановой Айгерим» и Болату Жумабекову звоните 8 (701) 555-23-47!"
    spans = matcher.find(text)
    assert [(s.kind, s.text) for s in spans] == [
        ("name", "Нур\u200bлановой Айгерим"),
        ("name", "Болату Жумабекову"),
        ("phone", "8 (701) 555-23-47"),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert spans == sorted(spans, key=lambda s: (s.start, s.end))


@pytest.mark.parametrize(
    "text",
    [
        "Айгерим опять пишет",  # first name alone
        "Карина Нурланова пишет",  # same surname, other first name
        "встреча на ул. Нурлановой",  # street named after the surname
        "стадион Болата Жумабекова",
        "звоните 8 701 555 23 48",  # one digit off
        "заказ 870155523471",  # longer number
        "a.n@example.com",
        "@aigerim_nur_fan",
        "Абая 152, кв. 35",  # other flat
    ],
)
def test_precision_rules(matcher: Matcher, text: str) -> None:
    assert matcher.find(text) == []


def test_same_text_in_several_notations_matches(matcher: Matcher) -> None:
    for text in (
        "wa.me/77015552347",
        "tel:+77015552347",
        "восемь семь ноль один пять пять пять два три четыре семь",
    ):
        assert [k for _, k, _ in kinds(matcher, text)] == ["phone"], text


@pytest.mark.parametrize(
    "text",
    [
        "\ud800\udfff\x00" * 1000,
        "\x00\x01\x02" * 10000,
        "а" * 1_000_000,
        "8 " * 200_000,
        "@" * 50_000 + "x",
    ],
)
def test_never_raises_on_hostile_input(matcher: Matcher, text: str) -> None:
    assert isinstance(matcher.find(text), list)


def test_skeleton_paths_agree() -> None:
    for text in ["Aıgerım Nurlanova", "А й г е р и м", "ＡＢＣ ёлка Жаңаөзен", "\ud800x\u00ad"]:
        assert skeleton(text) == skeleton_mapped(text)[0]
    assert skeleton("Жаңаөзен") == skeleton("Jañaözen") == skeleton("Zhangaozen")


@pytest.mark.parametrize(
    ("kind", "notations"),
    [
        ("phone", ["+7 701 555 23 47", "8 (701) 555-23-47", "87015552347", "7O1 555 23 47"]),
        (
            "email",
            ["A.N@Example.org", "a.n [at] example [dot] org", "a.n собака example точка org"],
        ),
        (
            "address",
            [
                "ул. Абая 152, кв. 34",
                "Абай көшесі, 152 үй, 34 пәтер",
                "улица Абая, дом 152, квартира 34",
            ],
        ),
    ],
)
def test_normalize_contact_is_notation_independent(kind: str, notations: list[str]) -> None:
    forms = {normalize_contact(kind, n, country="KZ") for n in notations}
    assert len(forms) == 1


@pytest.mark.parametrize(
    ("kind", "value"), [("phone", "12"), ("email", "nobody"), ("address", "Алматы"), ("fax", "1")]
)
def test_normalize_contact_rejects_unreadable(kind: str, value: str) -> None:
    with pytest.raises(InputError):
        normalize_contact(kind, value, country="KZ")


def test_match_stream_writes_one_line_per_post(matcher: Matcher) -> None:
    lines = [
        json.dumps({"id": "1", "text": "Айгерим Нурланова"}),
        "",
        json.dumps({"id": 2, "text": "ничего"}),
    ]
    out = io.StringIO()
    assert match_stream(matcher, lines, out) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {
        "id": "1",
        "matches": [
            {
                "defender": "aigerim",
                "kind": "name",
                "start": 0,
                "end": 17,
                "text": "Айгерим Нурланова",
            }
        ],
    }
    assert rows[1] == {"id": "2", "matches": []}

"""The defenders YAML file: valid files load, every malformed one gives a one-line InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.defender.file import load_defenders_file, parse_defenders
from monitor.errors import InputError

GOOD = """
defenders:
  - id: aigerim
    name: Айгерим Нурланова
    gender: female
    aliases: ["Aigerim N."]
    handles: ["@aigerim_nur"]
    phones: ["+7 701 555 23 47"]
    emails: ["a.n@example.org"]
    addresses: ["ул. Абая 152, кв. 34, Алматы"]
    country: KZ
  - id: bolat
    name: Bolat Zhumabekov
"""


def test_loads_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(GOOD, encoding="utf-8")
    profiles = load_defenders_file(path)
    assert [p.id for p in profiles] == ["aigerim", "bolat"]
    assert profiles[0].phones == ("+7 701 555 23 47",)
    assert profiles[0].country == "KZ"
    assert profiles[1].gender is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("defenders: [", "not valid YAML"),
        ("- a\n- b\n", "'defenders:'"),
        ("defenders:\n  - name: X Y\n", "missing required field 'id'"),
        ("defenders:\n  - id: a\n", "defender #1 (a): missing required field 'name'"),
        ("defenders:\n  - {id: a, name: A B}\n  - {id: a, name: C D}\n", "duplicate id 'a'"),
        ("defenders:\n  - {id: a, name: A B, phones: 5}\n", "field 'phones'"),
        ("defenders:\n  - {id: a, name: A B, phones: ['12345']}\n", "field 'phones[0]'"),
        ("defenders:\n  - {id: a, name: A B, emails: ['nope']}\n", "field 'emails[0]'"),
        ("defenders:\n  - {id: a, name: A B, gender: x}\n", "field 'gender'"),
        ("defenders:\n  - {id: a, name: A B, colour: red}\n", "unknown field 'colour'"),
        ("defenders:\n  - {id: a, name: A B, country: Kazakhstan}\n", "field 'country'"),
    ],
)
def test_malformed_files_name_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_defenders_file(path)
    assert needle in info.value.message
    assert str(path) in info.value.message
    assert "\n" not in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_defenders_file(tmp_path / "none.yaml")


def test_parse_defenders_accepts_loaded_data() -> None:
    profiles = parse_defenders({"defenders": [{"id": "x", "name": "A B"}]}, source="api")
    assert profiles[0].name == "A B"

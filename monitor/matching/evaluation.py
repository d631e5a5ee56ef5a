"""Precision and recall of the matcher over a labelled corpus (JSON Lines with "expect")."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from monitor.matching.engine import Matcher


@dataclass
class Score:
    """Counts over a corpus, and the cases that went wrong (for debugging)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    cases: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of reported mentions that were expected."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of expected mentions that were reported."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(matcher: Matcher, corpus: Path) -> Score:
    """Score the matcher: a hit counts when defender and kind agree and the spans overlap."""
    score = Score()
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        score.cases += 1
        found = [(s.defender, s.kind, s.start, s.end) for s in matcher.find(case["text"])]
        expected = [(e["defender"], e["kind"], e["start"], e["end"]) for e in case["expect"]]
        unmatched = list(found)
        for e in expected:
            hit = next(
                (f for f in unmatched if f[:2] == e[:2] and f[2] < e[3] and e[2] < f[3]), None
            )
            if hit is None:
                score.fn += 1
                score.errors.append(f"miss {case['id']} {e[:2]}: {case['text']!r}")
            else:
                score.tp += 1
                unmatched.remove(hit)
        for f in unmatched:
            score.fp += 1
            score.errors.append(f"false {case['id']} {f}: {case['text']!r}")
    return score

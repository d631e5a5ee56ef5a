"""The one interface every classifier backend implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

#: The label contract from DESIGN.md, in the order scores are reported.
LABELS: tuple[str, ...] = (
    "threat",
    "incitement",
    "insult",
    "identity_attack",
    "sexual_harassment",
)


def check_thresholds(thresholds: Mapping[str, float]) -> dict[str, float]:
    """Validated per-label threshold overrides (an organisation's own operating point)."""
    unknown = sorted(set(thresholds) - set(LABELS))
    if unknown:
        raise ValueError(
            f"unknown classifier label(s) {', '.join(unknown)}; labels are {', '.join(LABELS)}"
        )
    out = {lab: float(v) for lab, v in thresholds.items()}
    bad = sorted(lab for lab, v in out.items() if not 0.0 < v < 1.0)
    if bad:
        raise ValueError(f"threshold for {', '.join(bad)} must be between 0 and 1 (exclusive)")
    return out


@dataclass(frozen=True, slots=True)
class Prediction:
    """Scores in [0, 1] for every label, the detected language, and why it was flagged."""

    lang: str
    scores: dict[str, float]
    flagged: tuple[str, ...] = ()
    explanations: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None


class TextClassifier(Protocol):
    """Batch-friendly scorer: the pipeline and `kalkan classify` depend only on this."""

    model_version: str
    thresholds: dict[str, float]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Score each text; never raises for odd input (empty, huge, binary) — see `error`."""
        ...

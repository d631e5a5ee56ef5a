"""The one interface every classifier backend implements."""

from __future__ import annotations

from collections.abc import Sequence
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

"""Text in, label scores out. No database access; ships its own model artefacts and corpus."""

from classifiers.base import LABELS, Prediction, TextClassifier
from classifiers.default import load_default

__all__ = ["LABELS", "Prediction", "TextClassifier", "load_default"]

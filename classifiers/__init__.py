"""Text in, label scores out. No database access; ships its own model artefacts and corpus."""

from classifiers.base import LABELS, Prediction, TextClassifier

__all__ = ["LABELS", "Prediction", "TextClassifier"]

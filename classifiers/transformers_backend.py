"""Optional backend: a local Hugging Face sequence-classification model (extra ``transformers``).

Organisations that have their own fine-tuned model directory can load it here; the
``fine_tune`` function trains one from a local base model on the project corpus (GPU when
present). Nothing is ever fetched from the hub: every load uses ``local_files_only``.
torch/transformers are imported lazily so the default install does not need them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import LABELS, Prediction
from classifiers.corpus.expand import TEMPLATES_DIR, load_corpus
from classifiers.features import best_threshold
from classifiers.langid import detect_language
from classifiers.text import sanitize

THRESHOLDS_FILE = "kalkan_thresholds.json"
#: Label names other models use for Kalkan's labels (e.g. Detoxify's heads).
SYNONYMS = {
    "severe_toxicity": None,
    "obscene": None,
    "toxicity": None,
    "sexual_explicit": "sexual_harassment",
    "identity_hate": "identity_attack",
}


def _device(preferred: str | None) -> str:
    import torch

    return preferred or ("cuda" if torch.cuda.is_available() else "cpu")


class TransformersClassifier:
    """TextClassifier over a local multi-label sequence-classification model directory."""

    def __init__(
        self,
        model_dir: Path,
        *,
        device: str | None = None,
        max_length: int = 256,
        batch_size: int = 16,
    ) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.model_dir = Path(model_dir)
        self.device = _device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
        self.model = (
            AutoModelForSequenceClassification.from_pretrained(
                self.model_dir, local_files_only=True
            )
            .to(self.device)
            .eval()
        )
        self.max_length, self.batch_size = max_length, batch_size
        self.columns = self._label_columns()
        meta_path = self.model_dir / THRESHOLDS_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        self.thresholds = {lab: float(meta.get("thresholds", {}).get(lab, 0.5)) for lab in LABELS}
        self.model_version = str(meta.get("model_version", f"hf:{self.model_dir.name}"))

    def _label_columns(self) -> dict[str, int]:
        """Which output column feeds which Kalkan label (by config.id2label names)."""
        columns: dict[str, int] = {}
        for idx, name in self.model.config.id2label.items():
            label = SYNONYMS.get(name, name) if name not in LABELS else name
            if label in LABELS and label not in columns:
                columns[label] = int(idx)
        return columns

    def _scores(self, texts: list[str]) -> np.ndarray:
        import torch

        out = np.zeros((len(texts), len(LABELS)))
        for start in range(0, len(texts), self.batch_size):
            chunk = [t or " " for t in texts[start : start + self.batch_size]]
            enc = self.tokenizer(
                chunk,
                truncation=True,
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            ).to(self.device)
            with torch.no_grad():
                probs = torch.sigmoid(self.model(**enc).logits).cpu().numpy()
            for label, col in self.columns.items():
                out[start : start + len(chunk), LABELS.index(label)] = probs[:, col]
        out[[i for i, t in enumerate(texts) if not t], :] = 0.0
        return out

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Score each text; odd input gets zero scores and an ``error``, never an exception."""
        clean: list[str] = []
        errors: list[str | None] = []
        for raw in texts:
            try:
                clean.append(sanitize(raw, limit=4000))
                errors.append(None)
            except TypeError as exc:
                clean.append("")
                errors.append(f"unscorable input: {exc}")
        scores = self._scores(clean)
        preds = []
        for text, row, err in zip(clean, scores, errors, strict=True):
            sc = {lab: round(float(v), 4) for lab, v in zip(LABELS, row, strict=True)}
            flagged = tuple(lab for lab in LABELS if sc[lab] >= self.thresholds[lab])
            why = {lab: [f"transformer model {self.model_version}"] for lab in flagged}
            preds.append(
                Prediction(detect_language(text) if text else "und", sc, flagged, why, err)
            )
        return preds


def fine_tune(
    *,
    base_model_dir: Path,
    out_dir: Path,
    corpus_dir: Path = TEMPLATES_DIR,
    epochs: int = 3,
    learning_rate: float = 3e-5,
    batch_size: int = 16,
    seed: int = 13,
    progress: bool = True,
    device: str | None = None,
) -> dict[str, Any]:
    """Fine-tune a local base model on the corpus train split; thresholds from dev; save it."""
    import torch
    from tqdm import tqdm
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    dev_name = _device(device)
    examples = load_corpus(Path(corpus_dir), seed=seed)
    train = [e for e in examples if e.split == "train"]
    dev = [e for e in examples if e.split == "dev"]
    tok = AutoTokenizer.from_pretrained(base_model_dir, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_model_dir,
        local_files_only=True,
        num_labels=len(LABELS),
        problem_type="multi_label_classification",
        id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)},
        ignore_mismatched_sizes=True,
    ).to(dev_name)
    optim = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    gen = torch.Generator().manual_seed(seed)
    y = torch.tensor([[float(lab in e.labels) for lab in LABELS] for e in train])
    for _ in tqdm(range(epochs), desc="fine-tuning", unit="epoch", disable=not progress):
        model.train()
        for idx in torch.randperm(len(train), generator=gen).split(batch_size):
            enc = tok(
                [sanitize(train[i].text) for i in idx],
                truncation=True,
                max_length=128,
                padding=True,
                return_tensors="pt",
            ).to(dev_name)
            loss = model(**enc, labels=y[idx].to(dev_name)).loss
            loss.backward()
            optim.step()
            optim.zero_grad()
    out_dir = Path(out_dir)
    model.save_pretrained(out_dir)
    tok.save_pretrained(out_dir)
    scorer = TransformersClassifier(out_dir, device=dev_name)
    scores = scorer._scores([sanitize(e.text) for e in dev]) if dev else np.zeros((0, 5))
    truth = np.array([[int(lab in e.labels) for lab in LABELS] for e in dev]).reshape(-1, 5)
    thresholds = {lab: best_threshold(truth[:, j], scores[:, j]) for j, lab in enumerate(LABELS)}
    meta = {
        "thresholds": thresholds,
        "model_version": f"kalkan-hf-{out_dir.name}",
        "base_model": str(base_model_dir),
        "epochs": epochs,
        "seed": seed,
        "n_train": len(train),
        "n_dev": len(dev),
    }
    (out_dir / THRESHOLDS_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    return meta

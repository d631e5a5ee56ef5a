"""Third-party training data that the licences allow (see the datasets README): EDOS only.

EDOS (Explainable Detection of Online Sexism, SemEval-2023 Task 10; CC0) is English.
It is mapped onto Kalkan labels with per-label masks, because a "not sexist" post can
still be an insult or a threat against someone else:
- identity_attack: known for every row (sexist = 1, not sexist = 0);
- threat: positive for vector 1.1 (threats of harm), otherwise unknown;
- incitement: positive for vector 1.2 (incitement and encouragement of harm), otherwise unknown;
- insult, sexual_harassment: unknown.
Not-sexist rows are subsampled deterministically to keep encoding time reasonable.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.base import LABELS

EDOS_FILE = Path("edos") / "edos_train_dev.csv"
EDOS_NEGATIVE_KEEP = 0.35  # share of not-sexist rows kept


@dataclass
class ExternalRows:
    """Texts with label matrix, label-known mask and group ids (for grouped folds)."""

    texts: list[str]
    y: np.ndarray
    mask: np.ndarray
    groups: list[str]
    sources: dict[str, str]  # file -> sha256


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, recorded in the artefact metadata."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _keep(row_id: str) -> bool:
    digest = hashlib.sha256(row_id.encode("utf-8")).digest()
    return digest[0] / 256 < EDOS_NEGATIVE_KEEP


def load_edos(datasets_dir: Path) -> ExternalRows:
    """EDOS train+dev rows mapped to Kalkan labels (see the module docstring)."""
    path = Path(datasets_dir) / EDOS_FILE
    texts, ys, masks, groups = [], [], [], []
    ia, th, inc = (LABELS.index(x) for x in ("identity_attack", "threat", "incitement"))
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            sexist = row["label_sexist"] == "sexist"
            if not sexist and not _keep(row["rewire_id"]):
                continue
            y = np.zeros(len(LABELS), dtype=np.int8)
            m = np.zeros(len(LABELS), dtype=bool)
            y[ia], m[ia] = int(sexist), True
            vector = row["label_vector"]
            if vector.startswith("1.1"):
                y[th], m[th] = 1, True
            if vector.startswith("1.2"):
                y[inc], m[inc] = 1, True
            texts.append(row["text"].replace("[USER]", "@user").replace("[URL]", "http://link"))
            ys.append(y)
            masks.append(m)
            groups.append(row["rewire_id"])
    return ExternalRows(
        texts, np.array(ys), np.array(masks), groups, {f"edos/{path.name}": sha256_file(path)}
    )

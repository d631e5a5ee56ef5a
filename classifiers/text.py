"""Text hygiene shared by every model part: make attacker-controlled input safe to score."""

from __future__ import annotations

import re
import unicodedata

#: Characters the encoder sees at most; e5-small reads 512 tokens, so more is wasted work.
ENCODER_CHARS = 2000
#: Characters the n-gram model and the rules see at most.
ANALYSIS_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")


def sanitize(text: object, *, limit: int = ANALYSIS_CHARS) -> str:
    """Coerce to str, drop lone surrogates and control/zero-width characters, NFC, truncate."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    text = text[: limit * 2]
    text = text.encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates -> '?'
    text = _CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", text).strip()[:limit]


def normalize_for_ngrams(text: str) -> str:
    """Lower-case, fold ё, squeeze letters repeated 3+ times (obfuscation, shouting)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _REPEAT.sub(r"\1\1", text)

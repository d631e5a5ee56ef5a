# ruff: noqa: E501
"""Matching benchmark: 10,000 fictional defenders, 100,000 posts, beside a naive regex baseline.

Run: .venv/bin/python bench/matching/bench_matching.py [--defenders N] [--posts N]
Prints automaton build time, throughput (posts/s, one core), peak memory, the baseline's
throughput (one compiled regex alternation per defender, timed on a sample of posts), and
precision/recall on the committed corpus and on the held-out cases. Seeded and fictional.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from pathlib import Path

from monitor.defender.file import load_defenders_file
from monitor.matching.engine import Matcher
from monitor.matching.evaluation import evaluate
from monitor.matching.types import DefenderProfile

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "monitor" / "matching"
FIRST_F = [
    "Айгерим",
    "Жанар",
    "Дана",
    "Сауле",
    "Алия",
    "Мадина",
    "Асель",
    "Гульмира",
    "Карлыгаш",
    "Жибек",
    "Томирис",
    "Аружан",
]
FIRST_M = [
    "Ерлан",
    "Тимур",
    "Нурлан",
    "Бауыржан",
    "Даурен",
    "Арман",
    "Серик",
    "Болат",
    "Ержан",
    "Марат",
    "Канат",
    "Азамат",
]
ROOTS = [
    "Нурлан",
    "Секер",
    "Касым",
    "Оспан",
    "Жумаб",
    "Ахмет",
    "Сейт",
    "Калиб",
    "Турсун",
    "Бекмур",
    "Ибраим",
    "Садык",
    "Тулеу",
]
KZ_MOBILE = ["701", "702", "705", "707", "747", "771", "775", "777", "778"]
TAILS = ["ов", "ев", "бек", "ин", "баев", "ханов", "жанов", "булатов"]
NOISE = [
    "Сегодня в Алматы прошла встреча, обсуждали экологию и цены на бензин.",
    "Бүгін ауа райы жақсы, кешке концерт болады.",
    "Great talk on Saturday about water rights, thanks everyone!",
    "Заказ №4512 доставлен, звоните на горячую линию 8 800 080 77 77.",
    "Цена 15 000 тг, скидка 20%. Пишите в личку.",
]
MENTION = ["Вы видели, что пишет {m}?", "{m} туралы не ойлайсыздар?", "Everyone message {m} now!"]


def make_defenders(n: int, rng: random.Random) -> list[DefenderProfile]:
    """N fictional defenders with generated names and phone numbers."""
    out = []
    for i in range(n):
        female = rng.random() < 0.5
        last = rng.choice(ROOTS) + rng.choice(TAILS) + f"{'а' if female else ''}"
        first = rng.choice(FIRST_F if female else FIRST_M)
        surname = last[:3] + "".join(rng.choice("абвгдеклмнорст") for _ in range(3)) + last[3:]
        phone = f"+7 {rng.choice(KZ_MOBILE)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        out.append(
            DefenderProfile(
                id=f"d{i}", name=f"{first} {surname}", gender="female" if female else "male",
                handles=(f"@hrd_{i}",), phones=(phone,), country="KZ",
            )
        )  # fmt: skip
    return out


def make_posts(defenders: list[DefenderProfile], n: int, rng: random.Random) -> list[str]:
    """N posts: about a third mention a defender (name, handle or phone), the rest are noise."""
    posts = []
    for _ in range(n):
        r = rng.random()
        if r < 0.2:
            d = rng.choice(defenders)
            posts.append(rng.choice(MENTION).format(m=d.name) + " " + rng.choice(NOISE))
        elif r < 0.3:
            d = rng.choice(defenders)
            posts.append(f"Вот номер: {d.phones[0]}, звоните все. {rng.choice(NOISE)}")
        else:
            posts.append(rng.choice(NOISE) + " " + rng.choice(NOISE))
    return posts


def baseline_patterns(defenders: list[DefenderProfile]) -> list[re.Pattern[str]]:
    """The naive approach: one compiled case-insensitive alternation per defender."""
    pats = []
    for d in defenders:
        first, last = d.name.split()
        variants = [f"{first} {last}", f"{last} {first}", d.handles[0], d.phones[0]]
        pats.append(re.compile("|".join(re.escape(v) for v in variants), re.I))
    return pats


def _peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--defenders", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(20210512)
    defenders = make_defenders(args.defenders, rng)
    posts = make_posts(defenders, args.posts, rng)

    rss_before = _peak_rss_mib()
    t0 = time.perf_counter()
    matcher = Matcher.build(defenders)
    build_s = time.perf_counter() - t0
    build_peak = _peak_rss_mib() - rss_before

    t0 = time.perf_counter()
    found = sum(len(matcher.find(p)) for p in posts)
    match_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    patterns = baseline_patterns(defenders)
    base_build = time.perf_counter() - t0
    sample = posts[: args.baseline_sample]
    t0 = time.perf_counter()
    base_found = sum(1 for p in sample for pat in patterns if pat.search(p))
    base_s = time.perf_counter() - t0

    corpus_matcher = Matcher.build(load_defenders_file(CORPUS / "corpus_defenders.yaml"))
    scores = {
        name: evaluate(corpus_matcher, CORPUS / f"{name}_cases.jsonl")
        for name in ("corpus", "heldout")
    }
    rss_mb = _peak_rss_mib()

    print(f"defenders: {len(defenders):,}  posts: {len(posts):,}")
    print(f"kalkan matcher: build {build_s:.1f} s (peak RSS grew {build_peak:.0f} MiB), "
          f"{len(posts) / match_s:,.0f} posts/s on one core, {found:,} mentions")  # fmt: skip
    print(f"naive regex baseline: build {base_build:.1f} s, "
          f"{len(sample) / base_s:,.0f} posts/s (timed on {len(sample)} posts), "
          f"{base_found} hits in the sample")  # fmt: skip
    print(f"process peak RSS: {rss_mb:.0f} MiB")
    for name, score in scores.items():
        print(
            f"{name}: {score.cases} cases, "
            f"precision {score.precision:.3f}, recall {score.recall:.3f}"
        )


if __name__ == "__main__":
    main()

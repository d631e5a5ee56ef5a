"""RSS/Atom parse-and-normalise throughput (posts/s) on generated feeds of a few thousand items.

Three figures per format, best of `--repeat` runs on one core:
- parse: feedparser on the bytes alone;
- parse+normalise: parse_feed + post_from_entry for every entry (what a fetch costs in CPU);
- fetch: RssSource.fetch end to end through httpx.MockTransport (adds HTTP and the cursor).
Baseline for comparison: issue 5 asks ≥ 2,000 posts/s for Telegram HTML on one core; a
feed is polled every few minutes and holds tens to hundreds of items, so anything in the
thousands per second is far from being the bottleneck.

    .venv/bin/python bench/sources/bench_rss.py [--entries 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

from sources._http import HttpOptions
from sources.registry import build_source
from sources.rss.payloads import parse_feed, post_from_entry

PARAGRAPH = (
    "Жиналыс &laquo;Феминита&raquo; ұйымының шақыруымен өтті. Участники обсудили "
    "<b>безопасность</b> правозащитниц &amp; журналистов в регионе.<br/>"
)
START = datetime(2026, 11, 1, tzinfo=UTC)


def rss_feed(count: int) -> bytes:
    """An RSS 2.0 feed with HTML descriptions (entity-escaped), newest first."""
    items = []
    for i in range(count, 0, -1):
        when = format_datetime(START + timedelta(minutes=i), usegmt=True)
        html = f"<p>{PARAGRAPH * 3}</p><p>Пост №{i}</p>"
        escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        items.append(
            f"<item><title>Новость {i}: fictional headline</title>"
            f"<link>https://news.example.kz/{i}</link><guid>news-{i}</guid>"
            f"<pubDate>{when}</pubDate><dc:creator>Автор {i % 17}</dc:creator>"
            f"<description>{escaped}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title>'
        f"<language>ru</language>{''.join(items)}</channel></rss>"
    ).encode()


def atom_feed(count: int) -> bytes:
    """An Atom feed with HTML content, newest first."""
    entries = []
    for i in range(count, 0, -1):
        when = (START + timedelta(minutes=i)).isoformat()
        html = f"<p>{PARAGRAPH * 3}</p>".replace("&", "&amp;").replace("<", "&lt;")
        entries.append(
            f"<entry><title>Жазба {i}</title><id>tag:blog.example.org,2026:{i}</id>"
            f'<link rel="alternate" href="https://blog.example.org/{i}"/>'
            f"<published>{when}</published><updated>{when}</updated>"
            f"<author><name>Автор {i % 11}</name></author>"
            f'<content type="html">{html}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:lang="kk"><title>Bench</title><id>urn:bench</id>{"".join(entries)}</feed>'
    ).encode()


def best_rate(run: Callable[[], int], repeat: int) -> float:
    """Best posts/s over `repeat` runs."""
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        rates.append(count / (time.perf_counter() - started))
    return max(rates)


def measure(label: str, body: bytes, repeat: int) -> None:
    """Print parse, parse+normalise and end-to-end fetch rates for one feed body."""

    def parse() -> int:
        return len(parse_feed(body, where="bench").entries)

    def normalise() -> int:
        parsed = parse_feed(body, where="bench")
        return len([post_from_entry(e, feed=parsed.feed, source="b") for e in parsed.entries])

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    options = HttpOptions(transport=transport)

    def fetch() -> int:
        config = {"name": "b", "platform": "rss", "url": "https://bench.example/feed"}
        with build_source(config, http_options=options) as source:
            return len(source.fetch(None).posts)

    size = len(body) / 1e6
    print(f"{label}: {parse()} entries, {size:.1f} MB")
    for name, run in (("parse", parse), ("parse+normalise", normalise), ("fetch", fetch)):
        print(f"  {name:16s} {best_rate(run, repeat):8.0f} posts/s")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    measure("RSS 2.0", rss_feed(args.entries), args.repeat)
    measure("Atom", atom_feed(args.entries), args.repeat)


if __name__ == "__main__":
    main()

"""Telegram web-preview parse-and-normalise throughput (posts/s, one core) on generated pages.

Pages are built from real t.me/s message markup: tchan's 31 recorded fragments in
../shared/fixtures/telegram when present (text, edited, signed, forwarded, reply, photo,
video, poll, sticker, link previews, service messages), else the project-written
tests/sources/telegram/data pages. Each page holds 20 messages, as Telegram serves.
Figures, best of `--repeat` runs on one core:
- parse+normalise: parse_page (selectolax/lexbor + html_to_text) for every page;
- fetch: TelegramSource.fetch end to end through httpx.MockTransport, paging back with
  ?before= from the newest page (adds HTTP handling, paging and the cursor).
Baseline: issue 5 asks >= 2,000 posts/s for Telegram HTML on one core.

    .venv/bin/python bench/sources/bench_telegram.py [--pages 250] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from sources._http import HttpOptions
from sources.ratelimit import HostLimiter
from sources.registry import build_source
from sources.telegram.payloads import parse_page

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "fixtures" / "telegram"
DATA = ROOT / "tests" / "sources" / "telegram" / "data"
PER_PAGE = 20
_DATA_POST = re.compile(r'data-post="[^"]+"')
_BLOCK = re.compile(r'<div class="tgme_widget_message_wrap.*?</div></div>\n', re.S)


def templates() -> tuple[list[str], str]:
    """Real message blocks (with a data-post placeholder) and where they came from."""
    if SHARED.is_dir():
        blocks = [
            _DATA_POST.sub('data-post="{post}"', p.read_text(encoding="utf-8"))
            for p in sorted(SHARED.glob("parse_*.html"))
            if "no_posts_found" not in p.name
        ]
        return blocks, "tchan's real fragments (../shared)"
    page = (DATA / "channel_page.html").read_text(encoding="utf-8")
    blocks = [_DATA_POST.sub('data-post="{post}"', b) for b in _BLOCK.findall(page)]
    message = (DATA / "message.html").read_text(encoding="utf-8")
    filled = message.format(
        channel="bench",
        id="{id}",
        text="Текст &amp; text<br/>line",
        views="1.2K",
        datetime="2026-11-20T10:00:00+00:00",
    ).replace('data-post="bench/{id}"', 'data-post="{post}"')
    return [*blocks, filled], "project-written pages (tests/sources/telegram/data)"


def build_pages(count: int) -> dict[int | None, bytes]:
    """`count` pages of 20 messages keyed by their `before` parameter (None: newest page)."""
    blocks, _ = templates()
    pages: dict[int | None, bytes] = {}
    total = count * PER_PAGE
    for number in range(count):
        first = total - (number + 1) * PER_PAGE + 1
        ids = range(first, first + PER_PAGE)
        body = "".join(
            blocks[i % len(blocks)].replace("{post}", f"bench/{i}").replace("{id}", str(i))
            for i in ids
        )
        prev = f'<link rel="prev" href="/s/bench?before={first}">' if first > 1 else ""
        html = (
            f"<!DOCTYPE html><html><head>{prev}</head><body><main class='tgme_main'>"
            "<div class='tgme_channel_info'>bench</div><section class='tgme_channel_history'>"
            f"{body}</section></main></body></html>"
        )
        pages[None if number == 0 else first + PER_PAGE] = html.encode()
    return pages


def best_rate(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Best posts/s over `repeat` runs, and the post count."""
    rates, count = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        rates.append(count / (time.perf_counter() - started))
    return max(rates), count


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = build_pages(args.pages)
    bodies = list(pages.values())

    def normalise() -> int:
        return sum(len(parse_page(body, source="b").posts) for body in bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        before = request.url.params.get("before")
        return httpx.Response(200, content=pages[int(before) if before else None])

    options = HttpOptions(transport=httpx.MockTransport(handler), limiter=HostLimiter())

    def fetch() -> int:
        config = {"name": "b", "platform": "telegram", "channel": "bench", "max_pages": 50}
        with build_source(config, http_options=options) as source:
            return len(source.fetch(None).posts)

    size = sum(map(len, bodies)) / 1e6
    print(f"Telegram HTML from {templates()[1]}: {len(bodies)} pages, {size:.1f} MB")
    for name, run in (("parse+normalise", normalise), ("fetch (50 pages)", fetch)):
        rate, count = best_rate(run, args.repeat)
        print(f"  {name:18s} {rate:8.0f} posts/s  ({count} posts; baseline >= 2,000)")


if __name__ == "__main__":
    main()

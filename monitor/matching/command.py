"""`kalkan match`: JSON Lines posts in, one line of matches per post out (contract)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from monitor.jsonl import read_posts, write_line
from monitor.matching.engine import Matcher


def match_stream(
    matcher: Matcher, lines: Iterable[str], out: TextIO, *, name: str = "input"
) -> int:
    """Write `{"id", "matches": [...]}` for every post, in input order; returns the count."""
    count = 0
    for post in read_posts(lines, name=name):
        spans = matcher.find(post["text"])
        write_line(
            out,
            {
                "id": post["id"],
                "matches": [
                    {
                        "defender": s.defender,
                        "kind": s.kind,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    }
                    for s in spans
                ],
            },
        )
        count += 1
    return count

"""Replay recorded HTTP exchanges (vcrpy YAML, Betamax JSON) through `TestHTTPServer`.

The fixtures in ../shared/fixtures (Mastodon: vcrpy; Reddit: Betamax) are real platform
exchanges. Load them and serve them from 127.0.0.1, then point a source's `base_url` at
the server::

    from support.cassettes import load_vcr, replay
    exchanges = load_vcr(FIXTURES / "mastodon" / "test_hashtag_tl.yaml")
    replay(http_server, exchanges)          # routes every recorded (method, path)
    # a request gets the recorded response whose query string matches its own, else the
    # next unserved one for that method and path, else the last one again

Bodies are served as recorded; hop-by-hop and length headers are recomputed, and
`Content-Encoding` is dropped when the cassette stored the body already decoded.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from support.http_server import RecordedRequest, Reply, TestHTTPServer

DROPPED_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


@dataclass(frozen=True)
class Exchange:
    """One recorded request (method, URL as recorded) and the reply to serve for it."""

    method: str
    url: str
    reply: Reply

    @property
    def path(self) -> str:
        """The recorded URL's path."""
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> dict[str, list[str]]:
        """The recorded URL's query parameters."""
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)


def load_vcr(path: str | Path) -> list[Exchange]:
    """Exchanges from a vcrpy YAML cassette (`interactions: [{request, response}]`)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [
        _exchange(i["request"], i["response"], i["response"]["status"]["code"])
        for i in data.get("interactions", [])
    ]


def load_betamax(path: str | Path) -> list[Exchange]:
    """Exchanges from a Betamax JSON cassette (`interactions` or `http_interactions`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data.get("interactions") or data.get("http_interactions") or []
    return [_exchange(i["request"], i["response"], i["response"]["status"]["code"]) for i in items]


def replay(server: TestHTTPServer, exchanges: Iterable[Exchange]) -> None:
    """Route every recorded (method, path) on `server` to its recorded replies."""
    grouped: dict[tuple[str, str], list[Exchange]] = defaultdict(list)
    for exchange in exchanges:
        grouped[(exchange.method, exchange.path)].append(exchange)
    for (method, path), recorded in grouped.items():
        server.route(path, _Replayer(recorded), method=method)


class _Replayer:
    """Picks the recorded reply for a request: same query first, else in recorded order."""

    def __init__(self, recorded: list[Exchange]) -> None:
        self.recorded = recorded
        self.served: set[int] = set()

    def __call__(self, request: RecordedRequest) -> Reply:
        unserved = [i for i in range(len(self.recorded)) if i not in self.served]
        same_query = [i for i in unserved if self.recorded[i].query == request.query]
        index = (same_query or unserved or [len(self.recorded) - 1])[0]
        self.served.add(index)
        return self.recorded[index].reply


def _exchange(request: Mapping[str, Any], response: Mapping[str, Any], status: int) -> Exchange:
    body, decoded = _body(response.get("body"))
    headers = []
    for name, values in (response.get("headers") or {}).items():
        lower = name.lower()
        if lower in DROPPED_HEADERS or (decoded and lower == "content-encoding"):
            continue
        for value in values if isinstance(values, list) else [values]:
            headers.append((name, str(value)))
    return Exchange(
        str(request["method"]).upper(), str(request["uri"]), Reply(status, body, headers)
    )


def _body(raw: Any) -> tuple[bytes, bool]:
    """The body bytes and whether the cassette stored them decoded (text, not raw bytes)."""
    if raw is None:
        return b"", True
    if isinstance(raw, str):
        return raw.encode("utf-8"), True
    if "base64_string" in raw:
        return base64.b64decode(raw["base64_string"]), False
    value = raw.get("string", "")
    if isinstance(value, bytes):
        return value, False
    return str(value).encode(raw.get("encoding") or "utf-8", "surrogateescape"), True

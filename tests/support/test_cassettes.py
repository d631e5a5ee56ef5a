"""Recorded cassettes replay byte-compatible responses, matched by method, path and query."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import httpx
import pytest
from support.cassettes import load_betamax, load_vcr, replay
from support.http_server import TestHTTPServer

MASTODON = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "mastodon"


def betamax(tmp_path: Path) -> Path:
    zipped = base64.b64encode(gzip.compress(b'{"page": 2}')).decode()
    doc = {
        "interactions": [
            {
                "request": {"method": "GET", "uri": "https://api.example/r/new?after=t3_b"},
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Encoding": ["gzip"], "x-ratelimit-remaining": ["99.0"]},
                    "body": {"base64_string": zipped},
                },
            },
            {
                "request": {"method": "GET", "uri": "https://api.example/r/new"},
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Encoding": ["gzip"], "Content-Length": ["999"]},
                    "body": {"string": '{"page": 1}', "encoding": "utf-8"},
                },
            },
        ]
    }
    path = tmp_path / "cassette.json"
    path.write_text(json.dumps(doc))
    return path


def test_betamax_replay_matches_queries_and_keeps_encoded_bodies(tmp_path: Path) -> None:
    exchanges = load_betamax(betamax(tmp_path))
    with TestHTTPServer() as server:
        replay(server, exchanges)
        first = httpx.get(server.url_for("/r/new"))
        second = httpx.get(server.url_for("/r/new"), params={"after": "t3_b"})
    assert first.json() == {"page": 1}, "decoded text body served without Content-Encoding"
    assert second.json() == {"page": 2} and second.headers["x-ratelimit-remaining"] == "99.0"


@pytest.mark.skipif(not MASTODON.exists(), reason=f"shared fixtures not found at {MASTODON}")
def test_vcr_mastodon_cassette_replays_real_headers() -> None:
    exchanges = load_vcr(MASTODON / "test_min_max_id.yaml")
    with TestHTTPServer() as server:
        replay(server, exchanges)
        query = {"since_id": "117020594094053884"}
        response = httpx.get(server.url_for("/api/v1/timelines/home"), params=query)
    recorded = next(e for e in exchanges if e.query == {"since_id": ["117020594094053884"]})
    assert response.status_code == recorded.reply.status
    assert response.content == recorded.reply.payload()
    assert isinstance(response.json(), list)

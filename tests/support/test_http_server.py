"""The test HTTP server itself: routes, sequences, handlers, faults and the request log."""

from __future__ import annotations

import httpx
import pytest
from support.http_server import Reply, TestHTTPServer


def test_routes_sequences_and_request_log() -> None:
    with TestHTTPServer() as server:
        server.route("/seq", [Reply(status=500), Reply(body="ok", headers=[("X-A", "1")])])
        first = httpx.get(server.url_for("/seq?q=a&q=b"), headers={"X-Test": "yes"})
        second = httpx.get(server.url_for("/seq"))
        third = httpx.get(server.url_for("/seq"))
        missing = httpx.get(server.url_for("/nothing"))
    assert [first.status_code, second.status_code, third.status_code] == [500, 200, 200]
    assert second.text == "ok" and second.headers["x-a"] == "1"
    assert missing.status_code == 404
    logged = server.requests_to("/seq")
    assert len(logged) == 3
    assert logged[0].query == {"q": ["a", "b"]} and logged[0].headers["x-test"] == "yes"


def test_handler_and_method_specific_routes() -> None:
    with TestHTTPServer() as server:
        server.route("/x", lambda req: Reply.json({"got": req.body.decode()}), method="POST")
        server.route("/x", Reply(body=b"get"))
        posted = httpx.post(server.url_for("/x"), content=b"hello")
        fetched = httpx.get(server.url_for("/x"))
    assert posted.json() == {"got": "hello"}
    assert fetched.content == b"get"


def test_redirect_delay_and_truncation() -> None:
    with TestHTTPServer() as server:
        server.redirect("/old", "/new", status=301)
        server.route("/new", Reply(body=b"moved"))
        server.route("/slow", Reply(body=b"late", delay=5))
        server.route("/cut", Reply(body=b"x" * 1000, truncate_at=10))
        assert httpx.get(server.url_for("/old"), follow_redirects=True).content == b"moved"
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.url_for("/slow"), timeout=0.2)
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(server.url_for("/cut"))

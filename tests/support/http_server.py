"""A real, programmable HTTP server on 127.0.0.1 for testing collectors against the wire.

README
------
Start one per test (random free port, background threads) and program its routes::

    from support.http_server import Reply, TestHTTPServer

    with TestHTTPServer() as server:
        server.route("/feed.xml", Reply(body=feed_bytes, headers={"ETag": '"v1"'}))
        server.route("/flaky", [Reply(status=500), Reply(body=b"ok")])  # in order, last repeats
        server.route("/slow", Reply(body=b"late", delay=2.0))           # for read timeouts
        server.route("/cut", Reply(body=b"x" * 1000, truncate_at=100))   # connection dropped
        server.redirect("/old", "/feed.xml", status=301)                 # same-host redirect
        server.route("/dyn", lambda req: Reply(status=304)               # any logic you need
                     if req.headers.get("if-none-match") == '"v1"' else Reply(body=b"..."))
        httpx.get(server.url + "/feed.xml")
        [req] = server.requests_to("/feed.xml")   # RecordedRequest: method, path, query,
        req.headers["if-none-match"]              # headers (lower-case keys), body

Routes match the path without the query string, any method unless `method=` is given;
anything unrouted answers 404. `server.url` is `http://127.0.0.1:<port>`;
`server.url_for("/p")` builds a full URL. A handler is any callable taking the
`RecordedRequest` and returning a `Reply`; sequences may mix Replies and handlers; a
handler that raises answers 500 with the exception in the body. Headers may be a dict or
a list of pairs (repeated headers such as `Link` or `Set-Cookie`). `delay` waits before
the status line, `body_delay` waits after the headers (for read timeouts mid-response),
`truncate_at` announces the full Content-Length but closes the connection after that many
bytes, `drip` sends the body in 64-byte pieces that many seconds apart (slow-drip servers).

As a pytest fixture, import it into a conftest.py of your test directory::

    from support.http_server import http_server  # noqa: F401  (fixture)

Sleeping handlers are interrupted when the server stops, so slow routes never slow teardown.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass(frozen=True)
class Reply:
    """One programmed response: status, headers, body, and optional faults."""

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] | Sequence[tuple[str, str]] = field(default_factory=dict)
    delay: float = 0.0
    body_delay: float = 0.0
    truncate_at: int | None = None
    drip: float = 0.0

    @classmethod
    def json(cls, data: Any, *, status: int = 200, **kwargs: Any) -> Reply:
        """A JSON reply with the right Content-Type."""
        headers = [("Content-Type", "application/json"), *_pairs(kwargs.pop("headers", {}))]
        return cls(status=status, body=json.dumps(data).encode(), headers=headers, **kwargs)

    @classmethod
    def file(cls, path: str | Path, *, content_type: str, **kwargs: Any) -> Reply:
        """A reply whose body is a recorded file, served byte for byte."""
        headers = [("Content-Type", content_type), *_pairs(kwargs.pop("headers", {}))]
        return cls(body=Path(path).read_bytes(), headers=headers, **kwargs)

    def payload(self) -> bytes:
        """The body as bytes (str bodies are UTF-8)."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received, for assertions on headers and query parameters."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Handler = Callable[[RecordedRequest], Reply]


class TestHTTPServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 serving programmed routes and logging requests."""

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self._routes: dict[tuple[str | None, str], list[Reply | Handler] | Handler] = {}
        self._served: dict[tuple[str | None, str], int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def url_for(self, path: str) -> str:
        """Full URL of a path on this server."""
        return self.url + path

    def route(
        self,
        path: str,
        reply: Reply | Handler | Sequence[Reply | Handler],
        *,
        method: str | None = None,
    ) -> None:
        """Serve `reply` at `path`: a Reply, a handler, or a sequence of them (last repeats)."""
        key = (method.upper() if method else None, path)
        value = [reply] if isinstance(reply, Reply) else reply
        value = list(value) if isinstance(value, Sequence) else value
        with self._lock:
            self._routes[key] = value
            self._served[key] = 0

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """Answer `path` with a redirect to `location` (relative or absolute)."""
        self.route(path, Reply(status=status, headers={"Location": location}))

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Requests received for `path`, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> TestHTTPServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, waking any handler that is still sleeping."""
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> TestHTTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            key = (request.method, request.path)
            if key not in self._routes:
                key = (None, request.path)
            route = self._routes.get(key)
            if route is None:
                return Reply(status=404, body=b"not routed")
            if callable(route):
                step: Reply | Handler = route
            else:
                step = route[min(self._served[key], len(route) - 1)]
                self._served[key] += 1
        return step if isinstance(step, Reply) else step(request)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops; True when it is stopping."""
        return seconds > 0 and self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (timeouts, truncation tests) are expected, not errors."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _make_handler(owner: TestHTTPServer) -> type[BaseHTTPRequestHandler]:
    class RouteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            try:
                reply = owner._reply_for(request)
            except Exception as exc:  # a broken handler is a test bug: make it visible
                reply = Reply(status=500, body=f"handler failed: {exc!r}")
            if owner._sleep(reply.delay):
                return
            self._write(reply)

        def _write(self, reply: Reply) -> None:
            body = reply.payload()
            self.send_response(reply.status)
            names = set()
            for name, value in _pairs(reply.headers):
                self.send_header(name, value)
                names.add(name.lower())
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            if owner._sleep(reply.body_delay) or self.command == "HEAD":
                return
            if reply.drip > 0:
                for start in range(0, len(body), 64):
                    self.wfile.write(body[start : start + 64])
                    self.wfile.flush()
                    if owner._sleep(reply.drip):
                        return
                return
            if reply.truncate_at is None:
                self.wfile.write(body)
                return
            self.wfile.write(body[: reply.truncate_at])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return RouteHandler


def _pairs(headers: Mapping[str, str] | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)


@pytest.fixture
def http_server() -> Iterator[TestHTTPServer]:
    """A started TestHTTPServer, stopped after the test."""
    with TestHTTPServer() as server:
        yield server

"""Web fixtures: the real app on the test database (SQLite and PostgreSQL), a seeded officer."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from builders import Credentials, make_user_with_token
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dashboard.app import create_app
from monitor.config import Settings
from monitor.db import session_scope
from monitor.runtime import Runtime
from monitor.security.keys import derive_keys

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def runtime(settings: Settings, engine: Engine, session_factory: sessionmaker[Session]) -> Runtime:
    """The app's runtime on the fixture database."""
    keys = derive_keys(settings)
    return Runtime(settings=settings, engine=engine, session_factory=session_factory, keys=keys)


@pytest.fixture
def app(settings: Settings, runtime: Runtime) -> FastAPI:
    """The dashboard without the scheduler."""
    return create_app(settings, runtime=runtime, start_scheduler=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client that does not follow redirects (tests look at them)."""
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def make_account(runtime: Runtime) -> Callable[..., Credentials]:
    """Commit a user with a known password and an API token."""

    def make(**overrides: object) -> Credentials:
        with session_scope(runtime.session_factory) as session:
            return make_user_with_token(session, keys=runtime.keys, **overrides)

    return make


@pytest.fixture
def officer(make_account: Callable[..., Credentials]) -> Credentials:
    """An officer account, committed."""
    return make_account()


@pytest.fixture
def csrf_of() -> Callable[[str], str]:
    """Reads the CSRF token of the first form on a page."""

    def read(html: str) -> str:
        found = CSRF_RE.search(html)
        assert found, "page has no CSRF token"
        return found.group(1)

    return read


@pytest.fixture
def login(client: TestClient, csrf_of: Callable[[str], str]) -> Callable[[Credentials], str]:
    """Logs the client in through the form; returns the session's CSRF token."""

    def do(account: Credentials) -> str:
        token = csrf_of(client.get("/login").text)
        form = {"username": account.username, "password": account.password, "csrf_token": token}
        response = client.post("/login", data=form)
        assert response.status_code == 303, response.text
        return csrf_of(client.get("/").text)

    return do


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a thread (for browser tests)."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)

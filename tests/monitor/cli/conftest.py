"""Fixtures for command tests: a real HTTP server on 127.0.0.1 for fake platforms."""

from support.http_server import http_server  # noqa: F401 - pytest fixture

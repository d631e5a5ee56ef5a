"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts.

    with TestSMTPServer() as server:           # free port, background thread
        ...  # point KALKAN_SMTP_HOST/PORT at server.host/server.port
        [mail] = server.messages               # Received: envelope + raw bytes + parsed
        server.refuse("bad@example.org")        # answer 550 to RCPT TO for this address
    server.start()                             # the same port again (an SMTP outage ends)

`TestSMTPServer.free_port()` gives a port nothing listens on, for "server down" tests;
`TestSMTPServer(smtputf8=False)` is a server that cannot take non-ASCII addresses.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One accepted message: who it was for, its exact bytes, and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """The parsed message (modern policy: decoded headers and parts)."""
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def texts(self) -> list[str]:
        """Every decoded text part (plain and HTML), for content assertions."""
        return [
            part.get_content()
            for part in self.message.walk()
            if part.get_content_maintype() == "text"
        ]

    def everything(self) -> str:
        """Raw bytes, decoded headers and decoded parts together: what could leak anywhere."""
        message = self.message
        headers = "\n".join(f"{k}: {v}" for k, v in message.items())
        return "\n".join([self.raw.decode("utf-8", "replace"), headers, *self.texts()])


class _Handler:
    def __init__(self, server: TestSMTPServer) -> None:
        self._server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self._server.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        with self._server.lock:
            self._server.messages.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(data))
            )
        return "250 Message accepted"


class TestSMTPServer:
    """aiosmtpd on 127.0.0.1; restartable on the same port."""

    __test__ = False  # a helper, not a test class
    host = "127.0.0.1"

    def __init__(self, port: int | None = None, *, smtputf8: bool = True) -> None:
        self.port = port or self.free_port()
        self.smtputf8 = smtputf8
        self.messages: list[Received] = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @staticmethod
    def free_port() -> int:
        """A TCP port on 127.0.0.1 that nothing listens on right now."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def refuse(self, address: str) -> None:
        """Answer 550 when this recipient is given."""
        self.refused.add(address.lower())

    def start(self) -> TestSMTPServer:
        """Listen (again) on `port`."""
        self._controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            decode_data=False,
            enable_SMTPUTF8=self.smtputf8,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until `start()`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> TestSMTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def smtp_server() -> Iterator[TestSMTPServer]:
    """A running SMTP server for one test."""
    with TestSMTPServer() as server:
        yield server

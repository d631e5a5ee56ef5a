"""The SMTP transport: one connection per run, every failure reduced to a loggable label.

Failures are described by `MailFailure.label` — the exception's class and, for SMTP
replies, the reply code — never by the server's reply text (it may echo an address) nor by
anything from the message. `broken` tells a failure of the connection (stop this run,
retry everything later) from one message refused (go on with the others): a refused
recipient, a rejected message, an address this server cannot take.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from monitor.config import Settings
from monitor.errors import ConfigurationError


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand mail over; built from the KALKAN_SMTP_* settings."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The configured server; ConfigurationError when KALKAN_SMTP_HOST is not set."""
        if not settings.smtp_host:
            raise ConfigurationError("no SMTP server configured: set KALKAN_SMTP_HOST")
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=password.get_secret_value() if password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )


class MailFailure(Exception):
    """A message was not handed over; `label` is safe to log and show to the operator."""

    def __init__(self, label: str, *, broken: bool) -> None:
        super().__init__(label)
        self.label = label
        self.broken = broken


def describe(exc: BaseException) -> str:
    """`ClassName` or `ClassName 550`: what failed, without any server text or address."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(reply[0]) for reply in exc.recipients.values()})
        code = "/".join(codes) or None
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


class Mailbox:
    """An open SMTP session that sends one message at a time."""

    def __init__(self, smtp: smtplib.SMTP, sender: str) -> None:
        self._smtp = smtp
        self._sender = sender

    def send(self, message: EmailMessage, *, to: str) -> None:
        """Hand one message for one address to the server; MailFailure when it is not taken."""
        try:
            self._smtp.send_message(message, from_addr=self._sender, to_addrs=[to])
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPDataError,
            smtplib.SMTPNotSupportedError,  # e.g. a non-ASCII address, server without SMTPUTF8
            UnicodeError,
            ValueError,
        ) as exc:
            raise MailFailure(describe(exc), broken=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailFailure(describe(exc), broken=True) from None


@contextmanager
def open_mailbox(config: SmtpConfig) -> Iterator[Mailbox]:
    """Connect (STARTTLS and login when configured); MailFailure(broken) when that fails."""
    try:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailure(describe(exc), broken=True) from None
    try:
        try:
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            raise MailFailure(describe(exc), broken=True) from None
        yield Mailbox(smtp, config.sender)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def mask_address(address: str) -> str:
    """`o***@example.org`: enough to recognise a recipient, not to copy an address."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"

"""Errors every source raises, so the scheduler can tell "try later" from "fix the config".

The hierarchy::

    SourceError                      any failure of a source; str() is one operator-safe line
    ├── TransientError               worth retrying later (5xx, timeout, connection reset)
    │   └── RateLimited              the platform throttled us; `retry_after` seconds if known
    ├── AuthError                    401/403: credentials missing, wrong or expired
    ├── NotFound                     404/410: the feed, channel or account is gone
    ├── MalformedResponse            the platform answered with something we cannot parse
    └── ConfigError                  the source's options are invalid (caught before fetching)

Only `TransientError` (and so `RateLimited`) is retried. Messages never carry secrets: no
tokens, no query strings with keys, no post text.
"""

from __future__ import annotations


class SourceError(Exception):
    """Base of every source failure; the message is one line, safe to show an operator."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class TransientError(SourceError):
    """A failure that may go away by itself: the scheduler retries with backoff."""


class RateLimited(TransientError):
    """The platform throttled us; wait `retry_after` seconds (None: unknown) before retrying."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthError(SourceError):
    """Credentials are missing, wrong or expired; retrying will not help."""


class NotFound(SourceError):
    """The resource is gone (404/410) or has no public view."""


class MalformedResponse(SourceError):
    """The response could not be understood (bad XML/JSON/HTML, oversize, truncated)."""


class ConfigError(SourceError):
    """The source's options are invalid; raised when a source is built, before any request."""

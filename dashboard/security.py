"""Web security pieces: response headers, CSRF tokens, and the login throttle.

CSRF: every session carries one random token; every HTML form posts it back and every
unsafe HTML request is refused without it. `/api/v1` authenticates with bearer tokens
(never cookies), so it needs none.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

from monitor.errors import KalkanError

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_SESSION_KEY = "csrf"


class CsrfFailed(KalkanError):
    """An unsafe HTML request without this session's CSRF token."""

    status_code = 403


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    """Adds CSP and friends to every response, and no-store to everything but static files."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Pass the request on, then stamp the headers on its response."""
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form lacks the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_SESSION_KEY)
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfFailed("the form expired or did not come from this site; reload and retry")


@dataclass
class _Attempts:
    failures: int = 0
    blocked_until: float = 0.0


class LoginThrottle:
    """Per (username, IP) failure counter with exponential back-off, in memory.

    After `free` failures each further failure blocks the pair for 2, 4, 8 … seconds, up
    to `max_block`. A success clears the pair. One process only (the embedded shape).
    """

    def __init__(
        self,
        *,
        free: int = 5,
        max_block: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self.free = free
        self.max_block = max_block
        self.clock = clock
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._attempts: dict[tuple[str, str], _Attempts] = {}

    def retry_after(self, username: str, ip: str) -> float:
        """Seconds until this pair may try again (0 when it may now)."""
        with self._lock:
            entry = self._attempts.get((username.lower(), ip))
            return max(0.0, entry.blocked_until - self.clock()) if entry else 0.0

    def failure(self, username: str, ip: str) -> None:
        """Count a failed login and extend the block once past the free attempts."""
        with self._lock:
            if len(self._attempts) >= self._max_entries:
                self._prune()
            entry = self._attempts.setdefault((username.lower(), ip), _Attempts())
            entry.failures += 1
            extra = entry.failures - self.free
            if extra > 0:
                entry.blocked_until = self.clock() + min(self.max_block, 2.0**extra)

    def success(self, username: str, ip: str) -> None:
        """Forget the pair's failures."""
        with self._lock:
            self._attempts.pop((username.lower(), ip), None)

    def _prune(self) -> None:
        now = self.clock()
        for key in [k for k, v in self._attempts.items() if v.blocked_until <= now]:
            del self._attempts[key]

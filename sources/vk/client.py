"""VK API calls: the token, 3 requests/s pacing per token, and the HTTP-200 error envelope.

VK answers every API error with HTTP 200 and `{"error": {"error_code", "error_msg",
"request_params"}}`; `check_envelope` maps the codes onto `sources.errors`. The message
never includes `request_params` (it echoes the access token).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sources._http import HttpClient, HttpOptions
from sources.errors import (
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    SourceError,
    TransientError,
)

API_VERSION = "5.199"
MIN_INTERVAL = 1 / 3 + 0.01  # VK allows 3 requests per second per token
MOSCOW = ZoneInfo("Europe/Moscow")
AUTH_CODES = frozenset({5, 17, 27, 28})
GONE_CODES = frozenset({15, 18, 19, 30, 113})
TRANSIENT_CODES = frozenset({1, 10})

_next_slot: dict[str, float] = {}
_slot_lock = threading.Lock()


def seconds_to_daily_reset(now: datetime | None = None) -> float:
    """Seconds to the next Moscow midnight, when VK's daily method caps are assumed to reset."""
    current = (now or datetime.now(MOSCOW)).astimezone(MOSCOW)
    midnight = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - current).total_seconds())


def check_envelope(data: Any, method: str) -> dict[str, Any]:
    """The `response` object of a VK answer; raise the source error an `error` object means."""
    if not isinstance(data, dict):
        raise MalformedResponse(f"VK {method}: expected a JSON object")
    error = data.get("error")
    if isinstance(error, dict):
        raise error_for(error, method)
    response = data.get("response")
    if not isinstance(response, dict):
        raise MalformedResponse(f"VK {method}: neither 'response' nor 'error' in the answer")
    return response


def error_for(error: dict[str, Any], method: str) -> SourceError:
    """The source error for one VK error object (code and message only, never the params)."""
    code = error.get("error_code")
    text = f"VK {method}: error {code} ({str(error.get('error_msg', ''))[:120]})"
    if code == 6:
        return RateLimited(text, retry_after=1.0)
    if code == 9:
        return RateLimited(text, retry_after=3600.0)
    if code == 29:
        return RateLimited(text, retry_after=seconds_to_daily_reset())
    if code in AUTH_CODES:
        return AuthError(text)
    if code in GONE_CODES:
        return NotFound(text)
    if code in TRANSIENT_CODES:
        return TransientError(text)
    if code == 100:
        return ConfigError(text)
    return SourceError(text)


class VkClient:
    """Calls `https://api.vk.ru/method/<name>` with the token, paced to 3 requests/s."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        hosts: list[str],
        http_options: HttpOptions,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._pace_key = hashlib.sha256(token.encode()).hexdigest()[:16]
        self._sleep, self._clock = http_options.sleep, clock
        self.http = HttpClient(allowed_hosts=hosts, options=http_options)

    def close(self) -> None:
        """Release connections."""
        self.http.close()

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call one API method; "too many requests per second" is retried once after a second."""
        for attempt in range(2):
            self._pace()
            query = {**params, "v": API_VERSION, "access_token": self._token}
            data = self.http.get(f"{self.base_url}/method/{method}", params=query).json()
            try:
                return check_envelope(data, method)
            except RateLimited as exc:
                if attempt or exc.retry_after != 1.0:
                    raise
                self._sleep(1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self) -> None:
        """Wait for this token's next slot (shared by every source using the token)."""
        with _slot_lock:
            now = self._clock()
            start = max(now, _next_slot.get(self._pace_key, 0.0))
            _next_slot[self._pace_key] = start + MIN_INTERVAL
        if start > now:
            self._sleep(start - now)

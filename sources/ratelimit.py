"""Per-host pacing shared by every source in the process, and memory of a host's throttling.

Several sources often share one host (many hashtags on one Mastodon server, many feeds on
one news site). `HostLimiter` spaces their requests by `min_interval` seconds per host and,
after a host has said "rate limited, retry in N seconds", refuses further requests to it
until then — raising `RateLimited` at once instead of sleeping, so the scheduler
reschedules and the platform is not hammered. Waits shorter than `max_wait` are slept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sources.errors import RateLimited


class HostLimiter:
    """Thread-safe per-host spacing and back-off; never sleeps longer than `max_wait`."""

    def __init__(
        self,
        *,
        min_interval: float = 0.0,
        per_host: dict[str, float] | None = None,
        max_wait: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self.per_host = {h.lower(): v for h, v in (per_host or {}).items()}
        self.max_wait = max_wait
        self._clock, self._sleep = clock, sleep
        self._next_slot: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def acquire(self, host: str) -> None:
        """Wait for this host's next slot, or raise RateLimited if that is too far away."""
        host = host.lower()
        with self._lock:
            now = self._clock()
            blocked = self._blocked_until.get(host, 0.0) - now
            if blocked > self.max_wait:
                raise RateLimited(f"{host} asked us to wait", retry_after=round(blocked, 1))
            start = max(now + max(blocked, 0.0), self._next_slot.get(host, 0.0))
            wait = start - now
            if wait > self.max_wait:
                raise RateLimited(f"{host} request budget used up", retry_after=round(wait, 1))
            self._next_slot[host] = start + self.per_host.get(host, self.min_interval)
        if wait > 0:
            self._sleep(wait)

    def block(self, host: str, seconds: float) -> None:
        """Remember that `host` throttled us for `seconds` (from its own reset signal)."""
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            host = host.lower()
            self._blocked_until[host] = max(until, self._blocked_until.get(host, 0.0))


DEFAULT_LIMITER = HostLimiter()
"""The process-wide limiter HttpOptions uses unless given another (no spacing by default)."""

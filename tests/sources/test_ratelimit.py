"""Per-host pacing and memory of throttling, alone and through the HTTP client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from support.http_server import Reply, TestHTTPServer

from sources._http import HttpClient, HttpOptions
from sources.errors import RateLimited
from sources.ratelimit import HostLimiter
from sources.retry_after import parse_reset_time


def limiter(fake_time: Any, **kwargs: Any) -> HostLimiter:
    return HostLimiter(clock=fake_time.clock, sleep=fake_time.sleep, **kwargs)


def test_requests_to_one_host_are_spaced(fake_time: Any) -> None:
    pacer = limiter(fake_time, min_interval=1.0, per_host={"slow.example": 0.5})
    pacer.acquire("a.example")
    pacer.acquire("b.example")
    pacer.acquire("a.example")
    pacer.acquire("slow.example")
    pacer.acquire("slow.example")
    assert fake_time.sleeps == [1.0, 0.5]


def test_a_long_wait_raises_instead_of_sleeping(fake_time: Any) -> None:
    pacer = limiter(fake_time, min_interval=10.0, max_wait=2.0)
    pacer.acquire("a.example")
    with pytest.raises(RateLimited) as caught:
        pacer.acquire("a.example")
    assert caught.value.retry_after == 10.0 and fake_time.sleeps == []


def test_blocked_host_refuses_until_its_reset(fake_time: Any) -> None:
    pacer = limiter(fake_time, max_wait=2.0)
    pacer.block("A.example", 60)
    with pytest.raises(RateLimited) as caught:
        pacer.acquire("a.example")
    assert caught.value.retry_after == 60.0
    fake_time.sleep(59)
    pacer.acquire("a.example")  # one second left: slept, not refused
    assert fake_time.sleeps[-1] == 1.0


def test_a_throttled_host_is_not_asked_again_by_other_sources(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/a", Reply(status=429, headers={"Retry-After": "600"}))
    http_server.route("/b", Reply(body=b"fine"))
    first = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http)
    with first, pytest.raises(RateLimited):
        first.get(http_server.url_for("/a"))
    second = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http)
    with second, pytest.raises(RateLimited) as caught:
        second.get(http_server.url_for("/b"))
    assert caught.value.retry_after is not None and caught.value.retry_after > 590
    assert http_server.requests_to("/b") == []


def test_platform_reset_header_is_used_without_retry_after(fast_http: HttpOptions) -> None:
    reset = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()

    def mastodon_like(request: httpx.Request) -> httpx.Response:
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
        return httpx.Response(429, json={"error": "Too many requests"}, headers=headers)

    options = HttpOptions(
        transport=httpx.MockTransport(mastodon_like),
        sleep=fast_http.sleep,
        limiter=fast_http.limiter,
    )

    def read_reset(headers: httpx.Headers) -> float | None:
        return parse_reset_time(headers.get("x-ratelimit-reset"))

    client = HttpClient(allowed_hosts=["masto.example"], options=options, reset_after=read_reset)
    with client, pytest.raises(RateLimited) as caught:
        client.get("https://masto.example/api/v1/timelines/tag/x")
    assert caught.value.retry_after is not None and 250 < caught.value.retry_after <= 300

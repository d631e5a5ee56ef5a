"""HTTP for the Mastodon API: JSON pages with their `Link` header and rate-limit signals.

Mastodon sends `X-RateLimit-Reset` as an ISO-8601 time (not seconds) and a 429 carries no
`Retry-After`; `reset_after` turns the reset time into seconds to wait, else a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from sources._http import HttpClient, safe_url
from sources.errors import MalformedResponse, RateLimited
from sources.retry_after import parse_reset_time

DEFAULT_RETRY_SECONDS = 300.0  # Mastodon's unauthenticated window is 5 minutes
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def reset_after(headers: httpx.Headers) -> float | None:
    """Seconds until X-RateLimit-Reset when the budget is spent (remaining 0), else None."""
    if headers.get("x-ratelimit-remaining", "").strip() not in ("0", "0.0"):
        return None
    return parse_reset_time(headers.get("x-ratelimit-reset"))


@dataclass(frozen=True, slots=True)
class JsonPage:
    """A decoded JSON body and the query parameters of its `Link` relations (next/prev)."""

    data: Any
    links: dict[str, dict[str, str]]


def parse_links(header: str | None) -> dict[str, dict[str, str]]:
    """`Link: <…?max_id=1>; rel="next", <…?min_id=2>; rel="prev"` -> {rel: {param: value}}."""
    links: dict[str, dict[str, str]] = {}
    for url, rel in _LINK.findall(header or ""):
        query = parse_qs(urlsplit(url).query)
        links[rel] = {key: values[-1] for key, values in query.items()}
    return links


class MastodonClient:
    """GETs JSON from one Mastodon-API server through the shared HttpClient."""

    def __init__(self, base_url: str, *, http: HttpClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    def get(self, path: str, params: dict[str, str] | None = None) -> JsonPage:
        """GET `path` as JSON; a 429 without any reset signal waits the default window."""
        url = self.base_url + path
        try:
            response = self.http.get(url, params=params, headers={"Accept": "application/json"})
        except RateLimited as exc:
            if exc.retry_after is not None:
                raise
            raise RateLimited(str(exc), retry_after=DEFAULT_RETRY_SECONDS) from exc
        data = response.json()
        if isinstance(data, dict) and "error" in data and len(data) == 1:
            raise MalformedResponse(f"error object from {safe_url(url)}")
        return JsonPage(data, parse_links(response.headers.get("link")))

"""HTTP for the Telegram web preview: one page of `/s/<channel>`, redirects read, not followed.

Telegram answers a channel without a public preview (private, or preview disabled) with a
redirect away from `/s/` (to the `t.me/<channel>` landing page); that is a configuration
problem, not a transient one, so redirects are inspected here instead of being followed.
A redirect that stays under `/s/` (e.g. a canonical spelling of the name) is followed once.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import httpx

from sources._http import REDIRECT_CODES, HttpClient, safe_url
from sources.errors import MalformedResponse, NotFound

# English pages: the "edited" marker and "No posts found" are matched in English.
THROTTLE_RETRY_SECONDS = 60.0  # "No posts found" on a channel page: Telegram throttles us
HEADERS = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", "Accept-Language": "en"}


class PreviewClient:
    """Fetches preview pages of one channel from `base_url` through the shared HttpClient."""

    def __init__(self, base_url: str, channel: str, *, http: HttpClient) -> None:
        self.url = f"{base_url.rstrip('/')}/s/{quote(channel)}"
        self.channel, self.http = channel, http

    def page(self, *, before: int | None = None, query: str | None = None) -> bytes:
        """One page: the newest (before=None) or the one ending just before message `before`."""
        params: dict[str, str] = {}
        if query:
            params["q"] = query
        if before is not None:
            params["before"] = str(before)
        url = self.url
        for _hop in range(2):
            response = self.http.get(
                url, params=params or None, headers=HEADERS, follow_redirects=False
            )
            if response.status_code not in REDIRECT_CODES:
                return response.content
            target = httpx.URL(response.url).join(response.headers.get("location", ""))
            if not urlsplit(str(target)).path.startswith("/s/"):
                raise NotFound(f"channel has no public preview (redirected from {safe_url(url)})")
            url, params = str(target.copy_with(query=None)), dict(target.params) or params
        raise MalformedResponse(f"redirect loop at {safe_url(self.url)}")

"""HTTP for feeds: one conditional GET, with validators from the previous fetch."""

from __future__ import annotations

from dataclasses import dataclass

from sources._http import HttpClient, safe_url

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FeedResponse:
    """A feed body (None when not modified) and the validators to send next time."""

    content: bytes | None
    etag: str | None
    last_modified: str | None
    url: str
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304: nothing new since the last fetch."""
        return self.content is None


class FeedClient:
    """Fetches one feed URL through the shared HttpClient, using ETag/Last-Modified."""

    def __init__(self, url: str, *, http: HttpClient) -> None:
        self.url = url
        self.http = http

    def fetch(self, *, etag: str | None = None, last_modified: str | None = None) -> FeedResponse:
        """GET the feed; a 304 comes back as `not_modified` keeping the old validators."""
        headers = {"Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self.http.get(self.url, headers=headers)
        if response.status_code == 304:
            return FeedResponse(None, etag, last_modified, safe_url(response.url))
        return FeedResponse(
            response.content,
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            safe_url(response.url),
            response.headers.get("content-type"),
        )

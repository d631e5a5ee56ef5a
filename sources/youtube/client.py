"""YouTube Data API v3 calls through the shared HttpClient, with Google's error bodies read.

Google reports quota exhaustion as HTTP 403 with `errors[].reason == "quotaExceeded"`
(no rate-limit headers). That is not an auth failure: it becomes `RateLimited` with
`retry_after` = seconds to the next midnight Pacific time, when quotas reset; the client
never sleeps for it. `commentsDisabled` (403) and missing videos/channels become NotFound.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sources._http import HttpClient, HttpOptions, HttpResponse, safe_url
from sources.errors import AuthError, MalformedResponse, NotFound, RateLimited, SourceError

PACIFIC = ZoneInfo("America/Los_Angeles")
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
SHORT_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
GONE_REASONS = frozenset({"commentsDisabled", "videoNotFound", "channelNotFound", "forbidden"})
KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "accessNotConfigured"})


def seconds_to_pacific_midnight(now: datetime | None = None) -> float:
    """Seconds until the next midnight in America/Los_Angeles, when YouTube quotas reset."""
    current = (now or datetime.now(PACIFIC)).astimezone(PACIFIC)
    tomorrow = (current + timedelta(days=1)).date()
    midnight = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=PACIFIC)
    return max(1.0, (midnight - current).total_seconds())


def pacific_day(now: datetime | None = None) -> str:
    """Today's date in Pacific time (the day a YouTube quota belongs to), ISO format."""
    return (now or datetime.now(PACIFIC)).astimezone(PACIFIC).date().isoformat()


def google_reason(response: HttpResponse) -> str | None:
    """The first `error.errors[].reason` of a Google API error body, if any."""
    try:
        body = json.loads(response.content)
        return str(body["error"]["errors"][0]["reason"])
    except (ValueError, UnicodeDecodeError, KeyError, IndexError, TypeError):
        return None


def classify_google_error(response: HttpResponse) -> SourceError | None:
    """The source error a Google error body names (400/403/404), or None to map by status.

    A spent quota is a rate limit until Pacific midnight, not an auth failure; disabled
    comments and missing videos are NotFound; only a bad key is an AuthError.
    """
    if response.status_code not in (400, 403, 404):
        return None
    reason, where = google_reason(response), safe_url(response.url)
    if reason in QUOTA_REASONS:
        return RateLimited(
            f"YouTube quota exceeded ({where})", retry_after=seconds_to_pacific_midnight()
        )
    if reason in SHORT_LIMIT_REASONS:
        return RateLimited(f"YouTube {reason} ({where})", retry_after=60.0)
    if reason in GONE_REASONS:
        return NotFound(f"YouTube {reason} ({where})")
    if reason in KEY_REASONS:
        return AuthError(f"YouTube API key rejected: {reason} ({where})")
    return None


class YoutubeClient:
    """GETs `/youtube/v3/<resource>` with the API key (never logged: URLs are logged bare)."""

    def __init__(self, *, base_url: str, key: str, hosts: list[str], http_options: HttpOptions):
        self.base_url = base_url.rstrip("/")
        self._key = key
        self.http = HttpClient(
            allowed_hosts=hosts, options=http_options, classify_error=classify_google_error
        )

    def close(self) -> None:
        """Release connections."""
        self.http.close()

    def list(self, resource: str, params: dict[str, Any]) -> dict[str, Any]:
        """One page of `resource` (`commentThreads`, `search`) as a JSON object."""
        url = f"{self.base_url}/youtube/v3/{resource}"
        data = self.http.get(url, params={**params, "key": self._key}).json()
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise MalformedResponse(f"unexpected YouTube answer from {safe_url(url)}")
        return data

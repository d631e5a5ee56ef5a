"""XRPC over the shared HttpClient: author feeds (public), search (session), session cache.

`createSession` is limited to 30 per 5 minutes and 300 per day per account, so sessions are
cached per (PDS, identifier) for the whole process and re-created only when refreshing
fails. An expired access token (HTTP 400 `ExpiredToken`) is refreshed once and the call
repeated once. `RateLimit-Reset` (epoch seconds) becomes `RateLimited.retry_after`.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import httpx

from sources._http import HttpClient, HttpOptions, HttpResponse, safe_url
from sources.errors import AuthError, ConfigError, MalformedResponse, NotFound, SourceError
from sources.retry_after import parse_reset_time

logger = logging.getLogger(__name__)

MAX_URIS_PER_LOOKUP = 25  # the lexicon's maxLength for getPosts `uris`
EXPIRED = frozenset({"ExpiredToken", "InvalidToken"})
GONE = frozenset(
    {
        "ActorNotFound",
        "AccountTakedown",
        "AccountDeactivated",
        "BlockedActor",
        "BlockedByActor",
        "NotFound",
        "RepoNotFound",
    }
)


class ExpiredSession(AuthError):
    """The access token expired: refresh the session and try once more."""


@dataclass(frozen=True, slots=True)
class Session:
    """An app-password session: the two JWTs and the account's DID."""

    access_jwt: str
    refresh_jwt: str
    did: str


_SESSIONS: dict[tuple[str, str], Session] = {}
_SESSIONS_LOCK = threading.Lock()


def clear_sessions() -> None:
    """Forget every cached session (tests; or after an app password is revoked)."""
    with _SESSIONS_LOCK:
        _SESSIONS.clear()


def reset_seconds(headers: httpx.Headers) -> float | None:
    """Seconds until `RateLimit-Reset` (epoch seconds), Bluesky's own reset signal."""
    return parse_reset_time(headers.get("ratelimit-reset"))


def classify_xrpc_error(response: HttpResponse) -> SourceError | None:
    """The source error an XRPC error body names (400/401), or None to map by status.

    An expired token is an `ExpiredSession` (refresh and retry once); a gone or blocked
    actor is NotFound; a query the server refuses is a configuration problem.
    """
    if response.status_code not in (400, 401):
        return None
    name, where = xrpc_error(response), safe_url(response.url)
    if name in EXPIRED:
        return ExpiredSession(f"session token expired ({name}) at {where}")
    if name in GONE:
        return NotFound(f"{name} from {where}")
    if name == "BadQueryString":
        return ConfigError(f"Bluesky rejected the search query ({where})")
    return None


def xrpc_error(response: HttpResponse) -> str | None:
    """The `error` name of an XRPC error body, None when the body is not one."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return str(body.get("error")) if isinstance(body, dict) and body.get("error") else None


class BlueskyClient:
    """Calls the AppView (public reads) and the PDS (session, search) through one HttpClient."""

    def __init__(
        self,
        *,
        appview: str,
        pds: str,
        hosts: list[str],
        http_options: HttpOptions,
        identifier: str | None = None,
        password: str | None = None,
    ) -> None:
        self.appview, self.pds = appview.rstrip("/"), pds.rstrip("/")
        self.identifier, self._password = identifier, password
        self.http = HttpClient(
            allowed_hosts=hosts,
            options=http_options,
            reset_after=reset_seconds,
            classify_error=classify_xrpc_error,
        )

    def close(self) -> None:
        """Release connections (the session stays cached for the next run)."""
        self.http.close()

    def author_feed(self, actor: str, *, cursor: str | None, limit: int, filter: str) -> Any:
        """One page of `app.bsky.feed.getAuthorFeed` from the public AppView."""
        params = {"actor": actor, "limit": limit, "filter": filter}
        if cursor:
            params["cursor"] = cursor
        return self._json(
            self.http.get(f"{self.appview}/xrpc/app.bsky.feed.getAuthorFeed", params=params)
        )

    def get_posts(self, uris: list[str]) -> Any:
        """`app.bsky.feed.getPosts` for at most 25 post URIs; missing posts are left out."""
        if len(uris) > MAX_URIS_PER_LOOKUP:
            raise ValueError(f"getPosts takes at most {MAX_URIS_PER_LOOKUP} URIs")
        url = f"{self.appview}/xrpc/app.bsky.feed.getPosts"
        return self._json(self.http.get(url, params={"uris": uris}))

    def search(self, query: str, *, since: str | None, cursor: str | None, limit: int) -> Any:
        """One page of `app.bsky.feed.searchPosts` (latest first) via the PDS, with a session."""
        params: dict[str, Any] = {"q": query, "sort": "latest", "limit": limit}
        if since:
            params["since"] = since
        if cursor:
            params["cursor"] = cursor
        url = f"{self.pds}/xrpc/app.bsky.feed.searchPosts"
        session = self._session()
        try:
            return self._json(
                self.http.get(url, params=params, headers=_bearer(session.access_jwt))
            )
        except ExpiredSession:
            session = self._renew(session)
            return self._json(
                self.http.get(url, params=params, headers=_bearer(session.access_jwt))
            )

    def _session(self) -> Session:
        if not (self.identifier and self._password):
            raise AuthError("Bluesky search needs identifier and app_password")
        key = (self.pds, self.identifier)
        with _SESSIONS_LOCK:
            cached = _SESSIONS.get(key)
        return cached or self._create()

    def _create(self) -> Session:
        logger.info("creating a Bluesky session (rate-limited: 30 per 5 min per account)")
        payload = {"identifier": self.identifier, "password": self._password}
        url = f"{self.pds}/xrpc/com.atproto.server.createSession"
        response = self.http.request("POST", url, json=payload)
        return self._store(response)

    def _renew(self, old: Session) -> Session:
        """Refresh the session once; if the refresh token is dead too, create a new one."""
        try:
            response = self.http.request(
                "POST",
                f"{self.pds}/xrpc/com.atproto.server.refreshSession",
                headers=_bearer(old.refresh_jwt),
            )
        except (ExpiredSession, AuthError):
            with _SESSIONS_LOCK:
                _SESSIONS.pop((self.pds, self.identifier or ""), None)
            return self._create()
        return self._store(response)

    def _store(self, response: HttpResponse) -> Session:
        data = self._json(response)
        try:
            session = Session(str(data["accessJwt"]), str(data["refreshJwt"]), str(data["did"]))
        except (KeyError, TypeError):
            raise MalformedResponse(
                f"session response without tokens from {safe_url(response.url)}"
            ) from None
        with _SESSIONS_LOCK:
            _SESSIONS[(self.pds, self.identifier or "")] = session
        return session

    @staticmethod
    def _json(response: HttpResponse) -> Any:
        data = response.json()
        if not isinstance(data, dict):
            raise MalformedResponse(f"expected a JSON object from {safe_url(response.url)}")
        return data


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

"""The one HTTP client every source uses: timeouts, proxy, host allow-list, error mapping.

Why one place: each platform differs in its wire format, not in how a timeout or a 503
should be treated. `HttpClient.request` follows redirects itself so that every hop is
checked against the allowed hosts (queries to platforms reveal whom we protect, so nothing
goes anywhere an operator did not configure), caps the body size while streaming, maps
failures onto `sources.errors`, and retries transient failures a little (a few seconds at
most) — longer waits are the scheduler's job.

Platforms that explain a failure in the error body (an XRPC `ExpiredToken`, Google's
`quotaExceeded`) pass an `ErrorClassifier`: it reads each 4xx/5xx response first and may
name the source error; otherwise the status decides. Request bodies go through `request`'s
`json=` or `content=`, so no platform client needs HttpClient's private methods.

SOCKS proxies (`socks5://…`, e.g. Tor) need the optional `httpx[socks]` extra (socksio).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from sources.errors import (
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    SourceError,
    TransientError,
)
from sources.ratelimit import DEFAULT_LIMITER, HostLimiter
from sources.retry_after import parse_retry_after

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Kalkan/0.1 (+self-hosted harassment early warning; collector)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

ResetReader = Callable[[httpx.Headers], "float | None"]
"""Reads a platform's own rate-limit reset header (seconds to wait) when Retry-After is absent."""

ErrorClassifier = Callable[["HttpResponse"], "SourceError | None"]
"""Reads a platform's error body (status >= 400) and names the SourceError it means.

Returning None leaves the response to the status mapping (401 -> AuthError, 429 ->
RateLimited, ...). What it returns is handled like any mapped error: a TransientError is
retried briefly, a RateLimited with `retry_after` blocks the host for that long.
"""


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """Deployment-wide HTTP settings handed to every source (from settings, not per source)."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 60.0  # a slow-drip body cannot hold a job longer than this
    user_agent: str = DEFAULT_USER_AGENT
    proxy: str | None = None
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    max_retry_sleep: float = 4.0
    max_body_bytes: int = 10 * 1024 * 1024
    verify: bool = True
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = field(default=time.sleep)
    limiter: HostLimiter = field(default=DEFAULT_LIMITER)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read response: status, headers, body and the final URL after redirects."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str

    def json(self) -> Any:
        """Decode the body as JSON, or raise MalformedResponse naming where it came from."""
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedResponse(f"invalid JSON from {safe_url(self.url)}") from exc


def safe_url(url: str | httpx.URL) -> str:
    """The URL without query or credentials: query strings may carry keys or names."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def host_of(url: str | httpx.URL) -> str:
    """The lower-case host name of a URL ('' when it has none)."""
    return (urlsplit(str(url)).hostname or "").lower()


def limit_key(url: str | httpx.URL) -> str:
    """What the rate limiter counts by: host and explicit port (one server, one budget)."""
    parts = urlsplit(str(url))
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


class HttpClient:
    """An httpx client confined to `allowed_hosts`; `request` maps failures onto source errors."""

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str],
        options: HttpOptions | None = None,
        reset_after: ResetReader | None = None,
        classify_error: ErrorClassifier | None = None,
    ) -> None:
        self.options = options or HttpOptions()
        self.reset_after = reset_after
        self.classify_error = classify_error
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts if h)
        if not self.allowed_hosts:
            raise ConfigError("no host configured for this source")
        _check_proxy(self.options.proxy)
        self._client: httpx.Client | None = None  # built on first use: validating costs nothing

    def close(self) -> None:
        """Release connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, **kwargs: Any) -> HttpResponse:
        """GET `url` (see `request`)."""
        return self.request("GET", url, **kwargs)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
    ) -> HttpResponse:
        """Send a request, retrying transient failures briefly; raise a SourceError otherwise.

        `json=` sends a JSON body (with its Content-Type), `content=` raw bytes; give at most
        one. 2xx and 304 come back as responses; with `follow_redirects=False` a 3xx does
        too, so a platform whose redirects carry meaning can read them.
        """
        outgoing = _Outgoing.build(method, url, params, headers, json, content)
        slept = 0.0
        for attempt in range(self.options.retries + 1):
            try:
                return self._once(outgoing, follow_redirects)
            except TransientError as exc:
                delay = _retry_delay(exc, attempt, self.options)
                last = attempt == self.options.retries
                if last or delay is None or slept + delay > self.options.max_retry_sleep:
                    raise
                logger.info("retrying %s after %s (%.1fs)", safe_url(url), exc, delay)
                self.options.sleep(delay)
                slept += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, outgoing: _Outgoing, follow_redirects: bool) -> HttpResponse:
        current = outgoing.url
        for _hop in range(self.options.max_redirects + 1):
            self._check_host(current, redirect=_hop > 0)
            response = self._send(outgoing, current)
            location = response.headers.get("location")
            if not (follow_redirects and response.status_code in REDIRECT_CODES and location):
                return self._checked(response)
            current = current.join(location)
            if response.status_code == 303:
                outgoing = outgoing.as_get()
        raise MalformedResponse(f"too many redirects from {safe_url(outgoing.url)}")

    def _checked(self, response: HttpResponse) -> HttpResponse:
        """Return 2xx/3xx/304 responses; raise the source error matching any other status.

        The platform's `classify_error` reads the body first. A rate limit's wait comes from
        Retry-After, else from the platform's own reset header (`reset_after`); the host is
        then blocked for that long for every source.
        """
        if response.status_code < 400:
            return response
        error = self.classify_error(response) if self.classify_error else None
        if error is None:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is None and response.status_code in (429, 503) and self.reset_after:
                retry_after = self.reset_after(response.headers)
            error = _status_error(response, retry_after)
        if isinstance(error, RateLimited) and error.retry_after:
            self.options.limiter.block(limit_key(response.url), error.retry_after)
        raise error

    def _check_host(self, url: httpx.URL, *, redirect: bool) -> None:
        if url.scheme not in ("http", "https"):
            raise ConfigError(f"refusing non-HTTP URL scheme {url.scheme!r}")
        if url.host.lower() not in self.allowed_hosts:
            if redirect:
                raise NotFound(f"redirect to unconfigured host {url.host} refused")
            raise ConfigError(f"request to unconfigured host {url.host} refused")

    def _send(self, outgoing: _Outgoing, url: httpx.URL) -> HttpResponse:
        where = safe_url(url)
        self.options.limiter.acquire(limit_key(url))
        try:
            if self._client is None:
                self._client = _build_client(self.options)
            with self._client.stream(
                outgoing.method, url, headers=outgoing.headers, content=outgoing.content
            ) as response:
                body = _read_capped(response, self.options, where)
                return HttpResponse(response.status_code, response.headers, body, str(url))
        except httpx.TimeoutException as exc:
            raise TransientError(f"timeout ({type(exc).__name__}) from {where}") from exc
        except httpx.UnsupportedProtocol as exc:
            raise ConfigError(f"unsupported protocol for {where}") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"connection failed ({type(exc).__name__}) to {where}") from exc


@dataclass(frozen=True, slots=True)
class _Outgoing:
    """One request as built once by `HttpClient.request`: method, URL, headers and body."""

    method: str
    url: httpx.URL
    headers: dict[str, str]
    content: bytes | None

    @classmethod
    def build(
        cls,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        json_body: Any,
        content: bytes | None,
    ) -> _Outgoing:
        """Encode the body (JSON or bytes) and its Content-Type; refuse both at once."""
        if json_body is not None and content is not None:
            raise ValueError("give json= or content=, not both")
        merged = dict(headers or {})
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            if not any(name.lower() == "content-type" for name in merged):
                merged["Content-Type"] = "application/json"
        target = httpx.URL(url, params=params) if params else httpx.URL(url)
        return cls(method.upper(), target, merged, content)

    def as_get(self) -> _Outgoing:
        """The request a 303 redirect asks for: GET, without the body or its type."""
        headers = {k: v for k, v in self.headers.items() if k.lower() != "content-type"}
        return _Outgoing("GET", self.url, headers, None)


def _check_proxy(proxy: str | None) -> None:
    """Refuse a proxy httpx cannot use, without echoing it (it may hold credentials)."""
    if proxy is None:
        return
    scheme = urlsplit(proxy).scheme.lower()
    if scheme not in ("http", "https", "socks5", "socks5h"):
        raise ConfigError("proxy must be an http://, https://, socks5:// or socks5h:// URL")
    if scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigError("SOCKS proxy support needs the httpx[socks] extra")


def _build_client(options: HttpOptions) -> httpx.Client:
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    return httpx.Client(
        timeout=timeout,
        headers={"User-Agent": options.user_agent},
        follow_redirects=False,
        proxy=None if options.transport else options.proxy,
        transport=options.transport,
        verify=options.verify,
        trust_env=False,
    )


def _read_capped(response: httpx.Response, options: HttpOptions, where: str) -> bytes:
    """Read the (decoded) body, refusing more than max_body_bytes or total_timeout seconds."""
    cap, deadline = options.max_body_bytes, time.monotonic() + options.total_timeout
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise MalformedResponse(f"response from {where} is larger than {cap} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise MalformedResponse(f"response from {where} is larger than {cap} bytes")
        if time.monotonic() > deadline:
            raise TransientError(
                f"timeout (body took over {options.total_timeout:g}s) from {where}"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _status_error(response: HttpResponse, retry_after: float | None) -> SourceError:
    """The source error matching an error response's status (400 and above)."""
    status, where = response.status_code, safe_url(response.url)
    if status == 429 or (status == 503 and retry_after is not None):
        return RateLimited(f"HTTP {status} (rate limited) from {where}", retry_after=retry_after)
    if status in (401, 403):
        return AuthError(f"HTTP {status} (not authorised) from {where}")
    if status in (404, 410):
        return NotFound(f"HTTP {status} (not found) from {where}")
    if status >= 500 or status == 408:
        return TransientError(f"HTTP {status} from {where}")
    return SourceError(f"HTTP {status} (request rejected) from {where}")


def _retry_delay(exc: TransientError, attempt: int, options: HttpOptions) -> float | None:
    """Seconds to wait before retrying inside this fetch, or None to give up now."""
    if isinstance(exc, RateLimited):
        return exc.retry_after if exc.retry_after is not None else None
    return options.backoff * (2**attempt)

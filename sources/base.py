"""The plugin interface every platform implements, and the options model they share.

A platform package provides an options model (a `SourceOptions` subclass: pydantic,
unknown keys rejected) and a `Source` subclass built from it. `sources.registry` maps the
platform name to both. A source is built per collection run, fetched once or a few times,
and closed; it keeps no state between runs except through the cursor it returns.

A source whose platform can look posts up by id also answers `recheck` (and says so with
`can_recheck = True`), so the monitor can notice evidence being deleted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sources.post import FetchResult
from sources.recheck import RecheckResult


def check_http_url(value: str) -> str:
    """Accept only absolute http(s) URLs with a host; used by every URL option."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    return value.strip()


class SourceOptions(BaseModel):
    """Options common to every source; platform models add theirs. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    platform: str = Field(min_length=1)
    interval: int | None = Field(default=None, ge=1)  # the scheduler's; accepted here
    enabled: bool = True
    base_url: str | None = None  # overrides the platform's host (tests, mirrors, proxies)
    allowed_hosts: list[str] = Field(default_factory=list)  # extra hosts redirects may reach

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts_are_bare_names(cls, hosts: list[str]) -> list[str]:
        cleaned = [h.strip().lower() for h in hosts]
        if any(not h or set(h) & set("/:@ ?#") for h in cleaned):
            raise ValueError("must be bare host names like 'feeds.example.org'")
        return cleaned


class Source(ABC):
    """One configured source: `fetch(cursor)` returns new posts (oldest first) and a cursor."""

    platform: ClassVar[str]
    can_recheck: ClassVar[bool] = False
    """Whether `recheck` can tell deleted posts from live ones on this platform."""

    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def fetch(self, cursor: str | None) -> FetchResult:
        """Fetch what is new since `cursor` (None: first run); raise a SourceError on failure."""

    def recheck(self, external_ids: Sequence[str]) -> RecheckResult:
        """Look collected posts up again: which are gone, which are still there.

        The default checks nothing (every id comes back unchecked): a platform without a
        lookup by id cannot tell a deleted post from one that left its feed. Overriding
        sources set `can_recheck`. Failures are reported in the result, never raised.
        """
        return RecheckResult()

    @abstractmethod
    def close(self) -> None:
        """Release network resources; the source is not used afterwards."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Closable(Protocol):
    """Anything holding network resources that `close()` releases."""

    def close(self) -> None: ...


OptionsT = TypeVar("OptionsT", bound=SourceOptions)
ClientT = TypeVar("ClientT", bound=Closable)


class ApiSource(Source, Generic[OptionsT, ClientT]):
    """A source that talks to one platform API through one client it owns."""

    def __init__(self, name: str, *, options: OptionsT, client: ClientT) -> None:
        super().__init__(name)
        self.options, self.client = options, client

    def close(self) -> None:
        """Release the HTTP client."""
        self.client.close()

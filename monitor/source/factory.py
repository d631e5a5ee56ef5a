"""Building sources with the deployment's HTTP settings (proxy, user agent)."""

from __future__ import annotations

from functools import partial

from monitor.config import Settings
from sources._http import HttpOptions
from sources.base import Source
from sources.registry import build_source


def http_options(settings: Settings) -> HttpOptions:
    """The HTTP options every collector gets: one proxy for all (Tor/VPN), one user agent."""
    if settings.http_user_agent:
        return HttpOptions(proxy=settings.http_proxy, user_agent=settings.http_user_agent)
    return HttpOptions(proxy=settings.http_proxy)


def source_factory(settings: Settings) -> partial[Source]:
    """`config dict -> Source` with the deployment's HTTP options applied."""
    return partial(build_source, http_options=http_options(settings))

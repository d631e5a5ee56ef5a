"""The explicit table of platforms, and `build_source` that turns a config dict into a Source.

Adding a platform is one entry in `PLATFORMS`: its options model and its Source class,
whose `from_options` takes the validated options and the deployment's `HttpOptions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from sources._http import HttpOptions
from sources.base import Source, SourceOptions
from sources.bluesky.source import BlueskyOptions, BlueskySource
from sources.errors import ConfigError
from sources.imports.source import ImportOptions, ImportSource
from sources.mastodon.source import MastodonOptions, MastodonSource
from sources.rss.source import RssOptions, RssSource
from sources.telegram.source import TelegramOptions, TelegramSource
from sources.vk.source import VkOptions, VkSource
from sources.youtube.source import YoutubeOptions, YoutubeSource


class SourceClass(Protocol):
    """What the registry needs of a platform's Source class: its factory and capabilities."""

    can_recheck: bool

    def from_options(self, options: Any, http_options: HttpOptions) -> Source: ...


@dataclass(frozen=True, slots=True)
class Platform:
    """A platform's options model and the Source class built from them."""

    options: type[SourceOptions]
    source: SourceClass


PLATFORMS: dict[str, Platform] = {
    "rss": Platform(RssOptions, RssSource),
    "import": Platform(ImportOptions, ImportSource),
    "telegram": Platform(TelegramOptions, TelegramSource),
    "mastodon": Platform(MastodonOptions, MastodonSource),
    "bluesky": Platform(BlueskyOptions, BlueskySource),
    "vk": Platform(VkOptions, VkSource),
    "youtube": Platform(YoutubeOptions, YoutubeSource),
}


def recheck_platforms() -> frozenset[str]:
    """The platforms whose sources can tell which collected posts were deleted."""
    return frozenset(name for name, platform in PLATFORMS.items() if platform.source.can_recheck)


def validate_config(config: Mapping[str, Any]) -> SourceOptions:
    """Validate a source's config dict against its platform's model; ConfigError if invalid."""
    name = str(config.get("name") or "?")
    platform = config.get("platform")
    if not isinstance(platform, str) or platform not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise ConfigError(f"source {name!r}: unknown platform {platform!r} (known: {known})")
    try:
        return PLATFORMS[platform].options.model_validate(dict(config))
    except ValidationError as exc:
        raise ConfigError(f"source {name!r} ({platform}): {describe(exc)}") from None


def build_source(config: Mapping[str, Any], *, http_options: HttpOptions | None = None) -> Source:
    """Build the source a config dict describes (keys: name, platform, platform options)."""
    options = validate_config(config)
    return PLATFORMS[options.platform].source.from_options(options, http_options or HttpOptions())


def describe(exc: ValidationError) -> str:
    """One line naming each invalid option, without echoing values (they may be secrets)."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "config"
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown option {where!r}")
        elif error["type"] == "missing":
            problems.append(f"missing option {where!r}")
        else:
            problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)

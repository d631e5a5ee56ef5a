"""The names-only guard every remote search goes through (Telegram, Bluesky, VK, YouTube)."""

from __future__ import annotations

import pytest

from sources.errors import ConfigError
from sources.queries import names_only
from sources.registry import build_source


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("+7 701 555 23 47", "phone"),
        ("Айгерим 8(701)5552347", "phone"),
        ("Айгерим 23-47-5", "phone"),  # five digits: a partial number already identifies
        ("a.n@example.org", "e-mail"),
        ("   ", "empty"),
    ],
)
def test_contact_details_and_empty_queries_are_refused(query: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        names_only(query)


@pytest.mark.parametrize("query", ["Айгерим Нурланова", "Aigerim N.", "Dana 2026", "#kalkan"])
def test_names_pass_stripped(query: str) -> None:
    assert names_only(f"  {query} ") == query


@pytest.mark.parametrize(
    "config",
    [
        {"platform": "telegram", "channel": "kalkan_demo"},
        {"platform": "bluesky", "identifier": "a.bsky.social", "app_password": "x-y-z-w"},
        {"platform": "vk", "access_token": "t", "opt_in": True},
        {"platform": "youtube", "api_key": "k"},
    ],
    ids=lambda c: c["platform"],
)
def test_every_searching_platform_uses_the_same_guard(config: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="phone"):
        build_source({"name": "s", **config, "query": "Айгерим 12345"})

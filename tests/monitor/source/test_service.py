"""Sources as stored: validated, credentials sealed, cursor reset when the feed changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.errors import InputError
from monitor.security.keys import derive_keys
from monitor.source.service import load_sources_file, source_config, upsert_sources
from sources.errors import ConfigError
from sources.registry import validate_config

VK = {
    "name": "vk-search",
    "platform": "vk",
    "query": "Айгерим Нурланова",
    "access_token": "vk1.a.SUPERSECRET",
    "opt_in": True,
    "interval": 600,
}


def test_credentials_are_sealed_and_given_back_only_to_the_source(
    session: Session, settings: Settings
) -> None:
    keys = derive_keys(settings)
    (row,) = upsert_sources(session, entries=[VK], validate=validate_config, keys=keys)
    assert "access_token" not in row.config
    assert row.secret_options is not None and b"SUPERSECRET" not in row.secret_options
    assert row.interval_seconds == 600
    config = source_config(row, keys=keys)
    assert config["access_token"] == "vk1.a.SUPERSECRET"
    assert (config["name"], config["platform"]) == ("vk-search", "vk")


def test_a_changed_feed_starts_from_scratch(session: Session, settings: Settings) -> None:
    keys = derive_keys(settings)
    entry = {"name": "news", "platform": "rss", "url": "https://news.example/feed"}
    (row,) = upsert_sources(session, entries=[entry], validate=validate_config, keys=keys)
    row.cursor = "resume-here"
    upsert_sources(session, entries=[entry], validate=validate_config, keys=keys)
    assert row.cursor == "resume-here", "the same feed keeps its cursor"
    moved = {**entry, "url": "https://other.example/feed"}
    upsert_sources(session, entries=[moved], validate=validate_config, keys=keys)
    assert row.cursor is None


def test_an_invalid_source_is_refused_before_anything_is_stored(
    session: Session, settings: Settings
) -> None:
    bad = {"name": "x", "platform": "rss", "url": "https://a.example/f", "colour": "red"}
    with pytest.raises(ConfigError, match="unknown option 'colour'"):
        upsert_sources(session, entries=[bad], validate=validate_config, keys=derive_keys(settings))


def test_duplicate_names_in_a_sources_file_are_named(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {name: a, platform: rss}\n  - {name: a, platform: rss}\n")
    with pytest.raises(InputError, match="'a' is used twice"):
        load_sources_file(path)

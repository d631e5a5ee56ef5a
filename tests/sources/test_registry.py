"""Building sources from config dicts: validation errors are one clear line, never a traceback."""

from __future__ import annotations

import pytest

from sources.base import Source
from sources.errors import ConfigError
from sources.registry import PLATFORMS, build_source, validate_config
from sources.rss.source import RssOptions, RssSource


def test_builds_an_rss_source_with_scheduler_keys_accepted() -> None:
    config = {
        "name": "news",
        "platform": "rss",
        "url": "https://news.example.kz/rss/",
        "interval": 300,
        "enabled": True,
    }
    source = build_source(config)
    try:
        assert isinstance(source, RssSource) and isinstance(source, Source)
        assert source.name == "news" and source.platform == "rss"
        assert source.http.allowed_hosts == {"news.example.kz"}
    finally:
        source.close()


def test_every_platform_has_a_model_and_factory() -> None:
    assert PLATFORMS["rss"].options is RssOptions
    for platform in PLATFORMS.values():
        assert platform.options.model_config.get("extra") == "forbid"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"name": "n", "platform": "rss", "url": "https://x.example/f", "colour": "red"},
            "source 'n' (rss): unknown option 'colour'",
        ),
        ({"name": "n", "platform": "rss"}, "source 'n' (rss): missing option 'url'"),
        ({"name": "n", "platform": "rss", "url": "file:///etc/passwd"}, "url: Value error"),
        (
            {"name": "n", "platform": "rss", "url": "https://x.example/f", "base_url": "x"},
            "base_url: Value error",
        ),
        ({"name": "n", "platform": "myspace"}, "unknown platform 'myspace' (known: "),
        (
            {
                "name": "n",
                "platform": "rss",
                "url": "https://x.example/f",
                "allowed_hosts": ["https://cdn.example/"],
            },
            "allowed_hosts: Value error, must be bare host names",
        ),
        ({"name": "n"}, "unknown platform None"),
        ({"platform": "rss", "url": "https://x.example/f"}, "missing option 'name'"),
    ],
)
def test_invalid_configs_raise_one_line_config_errors(config: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_source(config)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_errors_do_not_echo_option_values() -> None:
    config = {"name": "n", "platform": "rss", "url": "https://x.example/f", "interval": "SECRETx"}
    with pytest.raises(ConfigError) as caught:
        validate_config(config)
    assert "SECRET" not in str(caught.value) and "interval" in str(caught.value)


def test_base_url_replaces_scheme_and_host() -> None:
    options = validate_config(
        {
            "name": "n",
            "platform": "rss",
            "url": "https://news.example.kz/rss/?a=1",
            "base_url": "http://127.0.0.1:8081/mirror/",
        }
    )
    assert isinstance(options, RssOptions)
    assert options.feed_url() == "http://127.0.0.1:8081/mirror/rss/?a=1"

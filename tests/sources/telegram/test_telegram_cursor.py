"""The Telegram cursor: the old decimal form still reads; gaps round-trip and stay bounded."""

from __future__ import annotations

import logging

import pytest

from sources.telegram.cursor import MAX_GAPS, Cursor, dump_cursor, load_cursor


def test_the_decimal_form_of_earlier_versions_still_reads() -> None:
    assert load_cursor("120") == Cursor(120)
    assert load_cursor(None) == load_cursor("") == Cursor()
    assert dump_cursor(Cursor(120), source="tg") == "120"
    assert dump_cursor(Cursor(), source="tg") is None


def test_gaps_round_trip_and_empty_ones_vanish() -> None:
    text = dump_cursor(Cursor(120, ((90, 100), (50, 51), (10, 40))), source="tg")
    assert text == '{"v":2,"high":120,"gaps":[[90,100],[10,40]]}'
    assert load_cursor(text) == Cursor(120, ((90, 100), (10, 40)))


@pytest.mark.parametrize("text", ["{broken", '{"v": 9, "high": 3}', '{"v": 2}', "[1, 2]"])
def test_an_unreadable_cursor_means_a_first_run(
    text: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_cursor(text) == Cursor()
    assert "unreadable Telegram cursor" in caplog.text


def test_too_many_gaps_drop_the_oldest_loudly(caplog: pytest.LogCaptureFixture) -> None:
    gaps = tuple((n * 100, n * 100 + 50) for n in range(MAX_GAPS + 2, 0, -1))
    with caplog.at_level(logging.WARNING):
        kept = load_cursor(dump_cursor(Cursor(5000, gaps), source="tg"))
    assert kept.gaps == gaps[:MAX_GAPS]
    assert "messages 201-249 skipped" in caplog.text and "messages 101-149 skipped" in caplog.text

"""The `kalkan` command fails on bad input with one line on stderr and no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DEFENDERS = Path(__file__).resolve().parents[3] / "monitor" / "demo" / "defenders.yaml"


def kalkan(
    *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kalkan: error")]
    assert len(errors) == 1 and needle in errors[0], result.stderr


def test_match_names_the_missing_defenders_file(tmp_path: Path) -> None:
    result = kalkan("match", "--defenders", str(tmp_path / "nope.yaml"), "--input", "-")
    assert_one_line_error(result, "nope.yaml")


def test_match_names_the_malformed_input_line() -> None:
    result = kalkan(
        "match",
        "--defenders",
        str(DEFENDERS),
        "--input",
        "-",
        stdin='{"id": "1", "text": "ok"}\n{broken\n',
    )
    assert_one_line_error(result, ":2")


def test_classify_rejects_a_line_without_text() -> None:
    result = kalkan("classify", "--input", "-", stdin='{"id": "1"}\n')
    assert_one_line_error(result, "text")


@pytest.mark.parametrize("content", ["sources: 3", "sources:\n  - name: a\n", "[: bad"])
def test_collect_explains_a_bad_sources_file(tmp_path: Path, content: str) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(content)
    result = kalkan("collect", "--config", str(config), "--once", cwd=tmp_path)
    assert_one_line_error(result, "sources.yaml")

"""Opening `FILE|-` arguments the same way for every command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from monitor.errors import InputError


@contextmanager
def open_input(name: str) -> Iterator[TextIO]:
    """Standard input for '-', else the named UTF-8 file (a clear error if it is missing)."""
    if name == "-":
        yield sys.stdin
        return
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield handle


@contextmanager
def open_output(name: str | None) -> Iterator[TextIO]:
    """Standard output for '-' or None, else the named file (created or replaced)."""
    if name in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    with Path(name).open("w", encoding="utf-8") as handle:
        yield handle

"""Reading and writing the JSON Lines post format shared by `kalkan match` and `classify`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from monitor.errors import InputError


def read_posts(stream: Iterable[str], *, name: str = "input") -> Iterator[dict[str, Any]]:
    """Yield `{"id": str, "text": str, …}` objects; blank lines are skipped.

    A malformed line raises `InputError` naming the line, so the user can fix the file.
    """
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{name}:{number}: expected a JSON object per line")
        if not isinstance(obj.get("id"), str | int) or isinstance(obj.get("id"), bool):
            raise InputError(f"{name}:{number}: missing string field 'id'")
        if not isinstance(obj.get("text"), str):
            raise InputError(f"{name}:{number}: missing string field 'text'")
        obj["id"] = str(obj["id"])
        yield obj


def write_line(stream: TextIO, obj: dict[str, Any]) -> None:
    """Write one object as a JSON line, keeping non-ASCII text readable."""
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")

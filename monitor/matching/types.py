"""Records the matching engine consumes and produces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MatchKind = Literal["name", "handle", "phone", "email", "address"]


@dataclass(frozen=True, slots=True)
class DefenderProfile:
    """Everything the matcher needs about one defender, in plain text (never logged)."""

    id: str
    name: str
    gender: str | None = None
    aliases: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    country: str | None = None


@dataclass(frozen=True, slots=True)
class MatchSpan:
    """One mention: offsets are Python string indices into the original post text."""

    defender: str
    kind: MatchKind
    start: int
    end: int
    text: str

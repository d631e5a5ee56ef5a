"""Loading the defenders YAML file (contract in DESIGN.md) into matcher profiles.

Every problem is reported as one `InputError` line naming the file, the defender (index
and id) and the field, so a person can fix the file without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.errors import InputError
from monitor.matching.normalize import normalize_contact
from monitor.matching.types import DefenderProfile


class DefenderEntry(BaseModel):
    """One defender as written in the file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    gender: Literal["female", "male", "other"] | None = None
    aliases: list[str] = []
    handles: list[str] = []
    phones: list[str] = []
    emails: list[str] = []
    addresses: list[str] = []
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")

    @field_validator("aliases", "handles", "phones", "emails", "addresses")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        """Blank list entries are mistakes, not values."""
        if any(not v.strip() for v in values):
            raise ValueError("contains an empty value")
        return [v.strip() for v in values]


class DefendersFile(BaseModel):
    """The whole file: a list under `defenders:`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    defenders: list[dict[str, Any]]


def load_defenders_file(path: str | Path) -> list[DefenderProfile]:
    """Read and validate a defenders YAML file; InputError (one line) on any problem."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{source}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{source}: cannot read file ({type(exc).__name__})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{source}: not valid YAML{where}") from None
    return parse_defenders(data, source=source)


def parse_defenders(data: object, *, source: str) -> list[DefenderProfile]:
    """Validate already-loaded data (e.g. from YAML or JSON) into profiles."""
    try:
        top = DefendersFile.model_validate(data)
    except ValidationError:
        raise InputError(f"{source}: expected a mapping with a 'defenders:' list") from None
    profiles: list[DefenderProfile] = []
    seen: set[str] = set()
    for index, raw in enumerate(top.defenders):
        label = f"{source}: defender #{index + 1}"
        if isinstance(raw.get("id"), str) and raw["id"].strip():
            label += f" ({raw['id'].strip()})"
        entry = _entry(raw, label)
        if entry.id in seen:
            raise InputError(f"{label}: duplicate id {entry.id!r}")
        seen.add(entry.id)
        _check_contacts(entry, label)
        profiles.append(_profile(entry))
    return profiles


def _entry(raw: object, label: str) -> DefenderEntry:
    """One validated entry, or an InputError naming the first bad field."""
    try:
        return DefenderEntry.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "entry"
        if err["type"] == "missing":
            raise InputError(f"{label}: missing required field '{field}'") from None
        if err["type"] == "extra_forbidden":
            raise InputError(f"{label}: unknown field '{field}'") from None
        raise InputError(f"{label}: field '{field}': {err['msg']}") from None


def _check_contacts(entry: DefenderEntry, label: str) -> None:
    """Every contact detail must normalise, or the matcher could never find it."""
    for kind, field in (("phone", "phones"), ("email", "emails"), ("address", "addresses")):
        for position, value in enumerate(getattr(entry, field)):
            try:
                normalize_contact(kind, value, country=entry.country)
            except InputError as exc:
                raise InputError(f"{label}: field '{field}[{position}]': {exc.message}") from None


def _profile(entry: DefenderEntry) -> DefenderProfile:
    """The matcher's view of one entry."""
    return DefenderProfile(
        id=entry.id,
        name=entry.name,
        gender=entry.gender,
        aliases=tuple(entry.aliases),
        handles=tuple(entry.handles),
        phones=tuple(entry.phones),
        emails=tuple(entry.emails),
        addresses=tuple(entry.addresses),
        country=entry.country.upper() if entry.country else None,
    )

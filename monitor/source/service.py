"""Sources as configured by operators: validated by the registry, stored with their cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.errors import InputError
from monitor.models import Source as SourceRow
from monitor.security.keys import Keys
from monitor.source.secrets import seal, split_secrets, unseal

#: Keys of a source entry that Kalkan itself uses; the rest is the platform's options.
OWN_KEYS = ("name", "platform", "interval", "enabled")
DEFAULT_INTERVAL = 300


def load_sources_file(path: str | Path) -> list[dict[str, Any]]:
    """Read `sources:` entries from YAML; one-line errors name the file and entry."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}: not valid YAML{where}") from None
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a top-level 'sources:' list")
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("platform"):
            raise InputError(f"{path}: source #{index} needs 'name' and 'platform'")
        if entry["name"] in seen:
            raise InputError(f"{path}: source name {entry['name']!r} is used twice")
        seen.add(str(entry["name"]))
    return entries


def upsert_sources(
    session: Session,
    *,
    entries: Sequence[dict[str, Any]],
    validate: Callable[[dict[str, Any]], object],
    keys: Keys,
) -> list[SourceRow]:
    """Create or update sources, validated by the registry; credentials stored encrypted."""
    rows = []
    for entry in entries:
        options = {k: v for k, v in entry.items() if k not in OWN_KEYS}
        validate({"name": entry["name"], "platform": entry["platform"], **options})
        row = session.scalars(select(SourceRow).where(SourceRow.name == entry["name"])).first()
        if row is None:
            row = SourceRow(name=str(entry["name"]), platform=str(entry["platform"]), cursor=None)
            session.add(row)
        public, secret = split_secrets(options)
        if row.cursor and (row.platform != entry["platform"] or row.config != public):
            row.cursor = None  # a different feed: start afresh
        row.platform = str(entry["platform"])
        row.config = public
        row.secret_options = seal(keys, secret)
        row.interval_seconds = int(entry.get("interval", DEFAULT_INTERVAL))
        row.enabled = bool(entry.get("enabled", True))
        rows.append(row)
    session.flush()
    return rows


def list_sources(session: Session) -> list[SourceRow]:
    """Every configured source, by name."""
    return list(session.scalars(select(SourceRow).order_by(SourceRow.name)))


def source_config(row: SourceRow, *, keys: Keys) -> dict[str, Any]:
    """The registry config for a source row: options, decrypted credentials, name, platform."""
    return {
        **row.config,
        **unseal(keys, row.secret_options),
        "name": row.name,
        "platform": row.platform,
    }

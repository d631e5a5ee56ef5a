"""`parse_import`: pick the format of an exported file (or take the one given) and parse it."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from sources.errors import ConfigError
from sources.imports.common import MAX_IMPORT_BYTES, load_zone, malformed, read_text
from sources.imports.tabular import parse_csv, parse_jsonl
from sources.imports.telegram_desktop import looks_like_telegram_export, parse_telegram_export
from sources.imports.telegram_html import looks_like_telegram_html, page_number, parse_telegram_html
from sources.imports.whatsapp import looks_like_whatsapp, parse_whatsapp
from sources.post import Post

Parser = Callable[..., list[Post]]
PARSERS: dict[str, Parser] = {
    "whatsapp": parse_whatsapp,
    "telegram_export": parse_telegram_export,
    "telegram_html": parse_telegram_html,
    "csv": parse_csv,
    "jsonl": parse_jsonl,
}
KINDS = tuple(PARSERS)
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "telegram_html",
    ".htm": "telegram_html",
}


def parse_import(
    path: str | Path, *, kind: str | None = None, source_name: str, timezone: str = "UTC"
) -> list[Post]:
    """Parse one exported file (or Telegram Desktop HTML export folder) into Posts, in order.

    `kind` None means detect it. `timezone` is the IANA zone the exporting phone or computer
    was set to: WhatsApp and older Telegram Desktop versions write local times without an
    offset. Raises ConfigError for an unknown kind, zone or unreadable path,
    MalformedResponse (naming file and line) for a bad file.
    """
    path = Path(path)
    if kind is not None and kind not in PARSERS:
        raise ConfigError(f"unknown import kind {kind!r} (known: {', '.join(KINDS)})")
    zone = load_zone(timezone)
    if path.is_dir():
        return _parse_html_folder(path, kind=kind, source_name=source_name, zone=zone)
    text = _read(path)
    chosen = kind or detect_kind(path.name, text)
    return PARSERS[chosen](text, where=path.name, source_name=source_name, zone=zone)


def html_pages(folder: Path) -> list[Path]:
    """A Telegram Desktop HTML export folder's pages in order: messages.html, messages2.html…"""
    numbered = ((page_number(p.name), p) for p in folder.iterdir() if p.is_file())
    return [p for n, p in sorted((n, p) for n, p in numbered if n is not None)]


def _parse_html_folder(
    folder: Path, *, kind: str | None, source_name: str, zone: tzinfo
) -> list[Post]:
    """Every page of an HTML export folder (each page stands alone: see telegram_html)."""
    if kind not in (None, "telegram_html"):
        raise ConfigError(f"import {folder.name} is a folder; only telegram_html exports are")
    try:
        pages = html_pages(folder)
    except OSError as exc:
        raise ConfigError(f"cannot read import {folder.name}: {exc.strerror or exc}") from None
    if not pages:
        raise ConfigError(f"import folder {folder.name} holds no Telegram Desktop messages.html")
    posts: list[Post] = []
    for page in pages:
        text = _read(page)
        posts.extend(parse_telegram_html(text, where=page.name, source_name=source_name, zone=zone))
    return posts


def parse_text(text: str, *, kind: str, name: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse already-read export text of a known kind (for callers holding uploads in memory)."""
    return PARSERS[kind](text, where=name, source_name=source_name, zone=zone)


def detect_kind(name: str, text: str) -> str:
    """The kind of an export from its name and content; MalformedResponse if none fits."""
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if looks_like_whatsapp(text):
        return "whatsapp"
    if looks_like_telegram_html(text):
        return "telegram_html"
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return "jsonl"  # several objects, one per line
        return "telegram_export" if looks_like_telegram_export(data) else "jsonl"
    raise malformed(
        name, None, "unrecognised export format (WhatsApp, Telegram JSON/HTML, CSV, JSONL)"
    )


def _read(path: Path) -> str:
    """The export's text; for a WhatsApp .zip, its chat .txt (media files are ignored)."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise malformed(path.name, None, f"file is larger than {MAX_IMPORT_BYTES} bytes")
        if zipfile.is_zipfile(path):
            return _read_zip(path)
        legacy = "cp1251" if SUFFIXES.get(path.suffix.lower()) == "csv" else None
        return read_text(path.read_bytes(), path.name, fallback=legacy)
    except OSError as exc:
        raise ConfigError(f"cannot read import {path.name}: {exc.strerror or exc}") from None


def _read_zip(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        chats = [i for i in archive.infolist() if i.filename.lower().endswith(".txt")]
        if not chats:
            raise malformed(path.name, None, "zip holds no chat .txt file")
        chat = min(chats, key=lambda i: (not i.filename.endswith("_chat.txt"), i.filename))
        if chat.file_size > MAX_IMPORT_BYTES:
            raise malformed(path.name, None, f"chat is larger than {MAX_IMPORT_BYTES} bytes")
        return read_text(archive.read(chat), path.name)

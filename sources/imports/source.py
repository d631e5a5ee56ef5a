"""`ImportSource` (platform `import`): a file or a drop folder of exports, as a Source.

Officers drop exported chats into a folder; each collection run parses the files it has not
seen (or whose content changed: a later export of the same chat) and returns their posts.
The cursor is a small JSON object (version 1)::

    {"v": 1, "files": {"<path relative to the folder>": "<16-hex SHA-256 of its bytes>"}}

External ids are deterministic, so a changed file re-reports its old messages under the same
ids (the pipeline's upsert stores nothing twice). A Telegram Desktop HTML export is a folder:
each of its pages (messages.html, messages2.html…) is one file here, and the media it holds
(photos/, files/…) is never read as an export. In a folder, an unreadable file is logged
and remembered (not retried until it changes) so one bad file never blocks the others; a
single configured file that is unreadable raises.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import field_validator

from sources._http import HttpOptions
from sources.base import Source, SourceOptions
from sources.errors import ConfigError, NotFound, SourceError
from sources.imports.common import load_zone
from sources.imports.detect import parse_import
from sources.imports.telegram_html import page_number
from sources.post import FetchResult, Post

logger = logging.getLogger(__name__)

CURSOR_VERSION = 1
SKIPPED_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", "~")
IMPORTABLE_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".zip")
#: What Telegram Desktop writes beside messages.html: the chat's media and the page assets.
TELEGRAM_MEDIA_FOLDERS = frozenset(
    {"photos", "files", "video_files", "voice_messages", "round_video_messages", "stickers"}
    | {"contacts", "css", "js", "images"}
)


class ImportOptions(SourceOptions):
    """Options of an import source: a file or folder, its format (None: detect), its zone."""

    path: str
    kind: Literal["whatsapp", "telegram_export", "telegram_html", "csv", "jsonl"] | None = None
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            load_zone(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class ImportSource(Source):
    """Parses new or changed export files under `path`; never touches the network."""

    platform = "import"

    def __init__(self, name: str, *, path: Path, kind: str | None, timezone: str) -> None:
        super().__init__(name)
        self.path, self.kind, self.timezone = path, kind, timezone

    @classmethod
    def from_options(cls, options: ImportOptions, http_options: HttpOptions) -> ImportSource:
        """Build from validated options (HTTP options are unused: imports are local)."""
        del http_options
        path = Path(options.path).expanduser()
        return cls(options.name, path=path, kind=options.kind, timezone=options.timezone)

    def close(self) -> None:
        """Nothing to release."""

    def fetch(self, cursor: str | None) -> FetchResult:
        """Parse files not imported before; posts oldest first, cursor naming every file seen."""
        seen = load_cursor(cursor)
        files = self._files()
        posts: list[Post] = []
        failed = 0
        for file in files:
            try:
                digest = file_digest(file)
            except OSError:
                continue  # removed or unreadable since listing: try again next run
            key = self._key(file)
            if seen.get(key) == digest:
                continue
            try:
                posts.extend(self._parse(file))
            except SourceError as exc:
                if not self.path.is_dir():
                    raise
                failed += 1
                logger.debug("import %s: skipped %s: %s", self.name, key, exc)
            seen[key] = digest
        if failed:
            logger.warning("import %s: skipped %d unreadable file(s)", self.name, failed)
        return FetchResult(posts=oldest_first(posts), cursor=dump_cursor(seen))

    def _files(self) -> list[Path]:
        """The configured file, or every importable file under the folder (sub-folders too:
        an unzipped WhatsApp export is a folder of media beside its chat .txt)."""
        if self.path.is_file():
            return [self.path]
        if not self.path.is_dir():
            raise NotFound(f"import path for source {self.name!r} does not exist")
        found = [p for p in self.path.rglob("*") if _importable(p.relative_to(self.path))]
        exports = {p.parent for p in found if p.name.lower() == "messages.html"}
        return sorted(p for p in found if p.is_file() and not _attachment(p, exports))

    def _key(self, file: Path) -> str:
        """The file's name in the cursor: its path relative to the folder."""
        return file.name if file == self.path else file.relative_to(self.path).as_posix()

    def _parse(self, file: Path) -> list[Post]:
        return parse_import(file, kind=self.kind, source_name=self.name, timezone=self.timezone)


def _importable(relative: Path) -> bool:
    """Export files only: no hidden or half-copied files, no media beside a chat, and of
    HTML only Telegram Desktop's chat pages (not its other pages, nor saved web pages)."""
    if any(part.startswith(".") for part in relative.parts):
        return False
    name = relative.name.lower()
    if name.endswith(".html"):
        return page_number(name) is not None
    return name.endswith(IMPORTABLE_SUFFIXES) and not name.endswith(SKIPPED_SUFFIXES)


def _attachment(file: Path, exports: set[Path]) -> bool:
    """A file in a Telegram HTML export's media folders (files/, photos/…) was sent in the
    chat, it is not an export: a CSV or .txt someone attached must not become posts."""
    for folder in exports:
        if folder in file.parents:
            return file.relative_to(folder).parts[0].lower() in TELEGRAM_MEDIA_FOLDERS
    return False


def oldest_first(posts: list[Post]) -> list[Post]:
    """Stable sort by time; undated posts keep their file order after dated ones."""
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(posts, key=lambda post: post.created_at or far)


def file_digest(path: Path) -> str:
    """16 hex digits of the file's SHA-256: notices a changed file without storing it."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def load_cursor(cursor: str | None) -> dict[str, str]:
    """Decode the cursor; an unreadable one means a first run (ids keep that harmless)."""
    if not cursor:
        return {}
    try:
        data: Any = json.loads(cursor)
        if data.get("v") != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        return {str(k): str(v) for k, v in data["files"].items()}
    except (ValueError, TypeError, AttributeError, KeyError):
        logger.warning("ignoring an unreadable import cursor; re-reading every file")
        return {}


def dump_cursor(files: dict[str, str]) -> str:
    """Encode the cursor as compact JSON."""
    return json.dumps({"v": CURSOR_VERSION, "files": files}, separators=(",", ":"))

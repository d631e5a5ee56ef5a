"""Checking an evidence bundle against its manifest (what `kalkan verify` runs).

A bundle is intact when every file the manifest lists is present once, with the listed
SHA-256 and size, and nothing else is in the archive. With the installation's evidence key
the manifest's signature is checked too, which also catches a file and its manifest line
edited together. A path that is not a readable ZIP or has no usable manifest is bad input
(`InputError`), not a verdict.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.case.manifest import FORMAT, MANIFEST_NAME, SignatureState, signature_state
from monitor.errors import InputError

_READ = 1 << 16


@dataclass
class Verdict:
    """What verification found: problems (each naming a file) make the bundle not intact."""

    files: int = 0
    problems: list[str] = field(default_factory=list)
    signature: SignatureState | None = None

    @property
    def intact(self) -> bool:
        """True when every file matched and nothing was missing, added or re-signed."""
        return not self.problems


def verify_bundle(path: Path, *, key: bytes | None = None) -> Verdict:
    """Check the bundle at `path`; `key` (the evidence key) also checks the signature."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, IsADirectoryError, OSError) as exc:
        raise InputError(f"{path} is not a ZIP file ({exc})") from None
    with archive:
        manifest = _manifest(archive, path)
        listed = _listed(manifest, path)
        verdict = Verdict(files=len(listed))
        names = Counter(archive.namelist())
        twice = [name for name, count in names.items() if count > 1]
        verdict.problems += [f"duplicated: {name} (stored more than once)" for name in twice]
        for name, (sha256, size) in listed.items():
            if name not in names:
                verdict.problems.append(f"missing: {name}")
                continue
            problem = _check_file(archive, name, sha256, size)
            if problem:
                verdict.problems.append(problem)
        extra = sorted(set(names) - set(listed) - {MANIFEST_NAME})
        verdict.problems += [f"unlisted: {name} (not in the manifest)" for name in extra]
    if key is not None:
        verdict.signature = signature_state(manifest, key)
        if verdict.signature == "invalid":
            verdict.problems.append(
                f"altered: {MANIFEST_NAME} (its signature does not match: the manifest changed)"
            )
    return verdict


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST_NAME)
    except KeyError:
        raise InputError(f"{path} has no {MANIFEST_NAME}: not a Kalkan evidence bundle") from None
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise InputError(f"{path}: {MANIFEST_NAME} cannot be read ({exc})") from None
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{path}: {MANIFEST_NAME} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path}: {MANIFEST_NAME} is not a {FORMAT} manifest")
    return manifest


def _listed(manifest: dict[str, Any], path: Path) -> dict[str, tuple[str, int]]:
    """The manifest's files as {path: (sha256, size)}; malformed entries are bad input."""
    entries = manifest.get("files")
    if not isinstance(entries, list):
        raise InputError(f"{path}: {MANIFEST_NAME} has no file list")
    listed: dict[str, tuple[str, int]] = {}
    for entry in entries:
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        )
        if not ok or entry["path"] in listed:
            raise InputError(f"{path}: {MANIFEST_NAME} has a malformed or repeated file entry")
        listed[entry["path"]] = (entry["sha256"].lower(), entry["size"])
    return listed


def _check_file(archive: zipfile.ZipFile, name: str, sha256: str, size: int) -> str | None:
    """None when the stored file has this hash and size; otherwise what is wrong with it."""
    digest = hashlib.sha256()
    read = 0
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(_READ):
                digest.update(chunk)
                read += len(chunk)
                if read > size:
                    return f"altered: {name} (larger than the manifest says)"
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        return f"altered: {name} (damaged in the archive: {exc})"
    if read != size or digest.hexdigest() != sha256:
        return f"altered: {name} (SHA-256 differs from the manifest)"
    return None

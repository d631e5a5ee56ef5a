"""Exporting a case as a ZIP evidence bundle, and writing it deterministically.

Layout (always in this order): `manifest.json`, `alerts.json`, `case.json`,
`posts/post-<id>.json` by id, `summary.html`. Every entry carries the export time as its
timestamp, so the same case exported twice differs only where the data or time did. The
bundle is built in memory: a case holds a few thousand posts at most, a few megabytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy.orm import Session

from monitor.audit.service import record_event
from monitor.case.evidence import EvidenceDocuments, collect_documents, iso
from monitor.case.manifest import (
    MANIFEST_NAME,
    build_manifest,
    dump_manifest,
    sha256_hex,
    sign_manifest,
)
from monitor.case.redact import ContactRedactor
from monitor.case.service import get_case
from monitor.case.summary import render_summary
from monitor.defender.service import load_profiles
from monitor.models import User
from monitor.security.keys import Keys
from monitor.user.service import require_role


@dataclass(frozen=True)
class Bundle:
    """An exported bundle: its suggested file name, bytes, and what the audit trail notes."""

    filename: str
    data: bytes
    manifest_sha256: str
    file_count: int


def export_case(
    session: Session,
    *,
    case_id: int,
    user: User,
    keys: Keys,
    now: datetime,
    ip: str | None = None,
) -> Bundle:
    """Build the case's evidence bundle, signed by this installation (the export is audited)."""
    require_role(user, "officer")
    case = get_case(session, case_id)
    redactor = ContactRedactor(load_profiles(session, keys=keys, include_inactive=True))
    docs = collect_documents(
        session,
        case,
        redactor=redactor,
        exported_by=user.username,
        exported_at=now,
        version=_kalkan_version(),
    )
    files = bundle_files(docs)
    for name, data in files.items():
        redactor.check_clean(name, data)
    manifest = build_manifest(
        files, case_id=case.id, exported_at=iso(now), exported_by=user.username
    )
    manifest_bytes = dump_manifest(sign_manifest(manifest, keys.evidence_hmac))
    bundle = Bundle(
        filename=f"kalkan-case-{case.id}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.zip",
        data=write_zip(files, manifest_bytes, at=now),
        manifest_sha256=sha256_hex(manifest_bytes),
        file_count=len(files),
    )
    record_event(
        session,
        actor=user,
        action="case.export",
        target_type="case",
        target_id=case.id,
        detail={
            "files": bundle.file_count,
            "posts": len(docs.posts),
            "alerts": len(docs.alerts),
            "manifest_sha256": bundle.manifest_sha256,
        },
        ip=ip,
        now=now,
    )
    return bundle


def bundle_files(docs: EvidenceDocuments) -> dict[str, bytes]:
    """Every file of the bundle except the manifest, by path."""
    files = {"case.json": _json(docs.case), "alerts.json": _json(docs.alerts)}
    for post in docs.posts:
        files[f"posts/post-{post['id']:09d}.json"] = _json(post)
    files["summary.html"] = render_summary(docs)
    return files


def write_zip(files: dict[str, bytes], manifest: bytes, *, at: datetime) -> bytes:
    """The ZIP: manifest first, then the files by path, all stamped with `at` (UTC)."""
    stamp = at.astimezone(UTC)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(MANIFEST_NAME, manifest), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


def _kalkan_version() -> str:
    try:
        return version("kalkan")
    except PackageNotFoundError:
        return "unknown"

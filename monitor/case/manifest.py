"""The manifest of an evidence bundle: every file with its SHA-256 and size, optionally signed.

Hashes alone show that nothing changed since the manifest was written, but someone who edits
a file can rewrite its hash too. The signature closes that gap for the installation that made
the bundle: it is an HMAC-SHA256 over the manifest (canonical JSON, without the signature)
keyed by a purpose key derived from the installation's master secret. Only that installation
can check it; `key_id` (a hash of the key, not the key) says which installation signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any, Literal

FORMAT = "kalkan-evidence/1"
MANIFEST_NAME = "manifest.json"
SIGNATURE_ALGORITHM = "HMAC-SHA256"

SignatureState = Literal["valid", "invalid", "unsigned", "other-installation"]


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of some bytes, as lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def build_manifest(files: Mapping[str, bytes], **meta: Any) -> dict[str, Any]:
    """A manifest listing `files` by path (sorted), with `meta` (case id, export time, …)."""
    entries = [
        {"path": path, "sha256": sha256_hex(data), "size": len(data)}
        for path, data in sorted(files.items())
    ]
    return {"format": FORMAT, **meta, "algorithm": "sha256", "files": entries}


def key_id(key: bytes) -> str:
    """A short public name for a signing key (a hash of it; reveals nothing usable)."""
    return hashlib.sha256(b"kalkan-evidence-key-id\x00" + key).hexdigest()[:16]


def signed_bytes(manifest: Mapping[str, Any]) -> bytes:
    """What the signature covers: canonical JSON of the manifest without its signature."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_manifest(manifest: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """The manifest with an HMAC signature by this installation's evidence key."""
    value = hmac.new(key, signed_bytes(manifest), hashlib.sha256).hexdigest()
    signature = {"algorithm": SIGNATURE_ALGORITHM, "key_id": key_id(key), "value": value}
    return {**manifest, "signature": signature}


def signature_state(manifest: Mapping[str, Any], key: bytes) -> SignatureState:
    """Whether this installation's key signed exactly this manifest."""
    signature = manifest.get("signature")
    if not isinstance(signature, dict):
        return "unsigned"
    if signature.get("key_id") != key_id(key):
        return "other-installation"
    expected = hmac.new(key, signed_bytes(manifest), hashlib.sha256).hexdigest()
    value = signature.get("value")
    ok = isinstance(value, str) and hmac.compare_digest(value, expected)
    return "valid" if ok else "invalid"


def dump_manifest(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as the bundle stores it (readable JSON)."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()

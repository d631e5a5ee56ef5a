"""The master secret and the purpose-specific keys derived from it.

One secret (from `KALKAN_SECRET_KEY`, or generated once into `<data_dir>/secret.key` with mode
0600) is stretched with HKDF into independent keys: one signs session cookies, one encrypts
contact details, one keys the hashes contact details are matched by, one signs the manifests
of evidence bundles. Losing the file makes stored contact details unreadable, so the README
tells operators to back it up.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from monitor.config import Settings
from monitor.errors import ConfigurationError

SECRET_FILE_NAME = "secret.key"  # noqa: S105 - a file name, not a secret


@dataclass(frozen=True, slots=True)
class Keys:
    """Independent keys derived from the master secret, one per purpose."""

    session: bytes
    encryption: bytes
    lookup_hmac: bytes
    token_hmac: bytes
    evidence_hmac: bytes


def _derive(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        master
    )


def read_master_secret(settings: Settings) -> bytes | None:
    """The configured secret or the one in `<data_dir>/secret.key`; None when there is none.

    Never creates a secret: `kalkan verify` uses it on machines that may not run Kalkan.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = Path(settings.data_dir) / SECRET_FILE_NAME
    if not path.exists():
        return None
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigurationError(
            f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}"
        )
    return path.read_bytes().strip()


def load_master_secret(settings: Settings) -> bytes:
    """Return the configured secret, or read/create `<data_dir>/secret.key` (0600)."""
    existing = read_master_secret(settings)
    if existing is not None:
        return existing
    path = Path(settings.data_dir) / SECRET_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    value = base64.urlsafe_b64encode(secrets.token_bytes(48))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(value + b"\n")
    return value


def derive_keys(settings: Settings) -> Keys:
    """Derive every purpose key from the master secret (created on first use)."""
    return keys_from_master(load_master_secret(settings))


def existing_keys(settings: Settings) -> Keys | None:
    """The installation's keys when it has a secret already; None (nothing created) if not."""
    master = read_master_secret(settings)
    return keys_from_master(master) if master is not None else None


def keys_from_master(master: bytes) -> Keys:
    """Every purpose key, derived from the master secret."""
    return Keys(
        session=_derive(master, "kalkan/session/v1"),
        encryption=_derive(master, "kalkan/contact-encryption/v1"),
        lookup_hmac=_derive(master, "kalkan/contact-lookup/v1"),
        token_hmac=_derive(master, "kalkan/api-token/v1"),
        evidence_hmac=_derive(master, "kalkan/evidence-manifest/v1"),
    )
